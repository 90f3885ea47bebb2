"""Cropping2D: remove entries at both ends of each spatial axis of 2D data."""

from __future__ import annotations

from lamina.layers.reshaping.base_cropping import BaseCropping


class Cropping2D(BaseCropping):
    """Crops a batch of 2D data along its height and width.

    Args:
        cropping: an int (the same amount at both ends of every spatial axis), a tuple of 2 ints (a
            symmetric amount per axis), or a tuple of 2 pairs ``(before, after)``.
        data_format: ``"channels_last"`` (``(batch_size, rows, cols, channels)``) or ``"channels_first"``
            (``(batch_size, channels, rows, cols)``); defaults to ``lamina.config.image_data_format()``.

    Input shape: a 4D tensor laid out by ``data_format``. Output shape: the same, with the spatial axes cropped.

    Example:
        >>> tuple(Cropping2D(((1, 0), (2, 2)))(np.zeros((2, 5, 6, 3))).shape)
        (2, 4, 2, 3)
    """

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format: str | None = None, **kwargs):
        super().__init__(cropping, data_format=data_format, **kwargs)
