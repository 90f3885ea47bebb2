"""ZeroPadding2D: pad each spatial axis of 2D data with zeros."""

from __future__ import annotations

from lamina.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding2D(BaseZeroPadding):
    """Adds rows of zeros at both ends of the height and width of a batch of 2D data.

    Args:
        padding: an int (the same amount at both ends of every spatial axis), a tuple of 2 ints (a
            symmetric amount per axis), or a tuple of 2 pairs ``(before, after)``.
        data_format: ``"channels_last"`` (``(batch_size, rows, cols, channels)``) or ``"channels_first"``
            (``(batch_size, channels, rows, cols)``); defaults to ``lamina.config.image_data_format()``.

    Input shape: a 4D tensor laid out by ``data_format``. Output shape: the same, with the spatial axes padded.

    Example:
        >>> tuple(ZeroPadding2D(((1, 0), (2, 2)))(np.ones((2, 3, 3, 4))).shape)
        (2, 4, 7, 4)
    """

    rank = 2

    def __init__(self, padding=(1, 1), data_format: str | None = None, **kwargs):
        super().__init__(padding, data_format=data_format, **kwargs)
