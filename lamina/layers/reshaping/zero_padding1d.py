"""ZeroPadding1D: pad each spatial axis of 1D data with zeros."""

from __future__ import annotations

from lamina.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
    """Adds rows of zeros at both ends of the time axis of a batch of 1D data.

    Args:
        padding: an int (the same amount at both ends) or a pair ``(before, after)``.
        data_format: ``"channels_last"`` (``(batch_size, axis_to_pad, features)``) or ``"channels_first"``
            (``(batch_size, features, axis_to_pad)``); defaults to ``lamina.config.image_data_format()``.

    Input shape: a 3D tensor laid out by ``data_format``. Output shape: the same, with the spatial axes padded.

    Example:
        >>> tuple(ZeroPadding1D((1, 2))(np.ones((2, 3, 4))).shape)
        (2, 6, 4)
    """

    rank = 1

    def __init__(self, padding=1, data_format: str | None = None, **kwargs):
        super().__init__(padding, data_format=data_format, **kwargs)
