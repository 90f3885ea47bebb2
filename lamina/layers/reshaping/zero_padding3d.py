"""ZeroPadding3D: pad each spatial axis of 3D data with zeros."""

from __future__ import annotations

from lamina.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    """Adds rows of zeros at both ends of the three spatial axes of a batch of 3D data.

    Args:
        padding: an int (the same amount at both ends of every spatial axis), a tuple of 3 ints (a
            symmetric amount per axis), or a tuple of 3 pairs ``(before, after)``.
        data_format: ``"channels_last"`` (``(batch_size, dim1, dim2, dim3, channels)``) or ``"channels_first"``
            (``(batch_size, channels, dim1, dim2, dim3)``); defaults to ``lamina.config.image_data_format()``.

    Input shape: a 5D tensor laid out by ``data_format``. Output shape: the same, with the spatial axes padded.

    Example:
        >>> tuple(ZeroPadding3D(1)(np.ones((2, 2, 2, 2, 4))).shape)
        (2, 4, 4, 4, 4)
    """

    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format: str | None = None, **kwargs):
        super().__init__(padding, data_format=data_format, **kwargs)
