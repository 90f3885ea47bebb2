"""Cropping3D: remove entries at both ends of each spatial axis of 3D data."""

from __future__ import annotations

from lamina.layers.reshaping.base_cropping import BaseCropping


class Cropping3D(BaseCropping):
    """Crops a batch of 3D data along its three spatial axes.

    Args:
        cropping: an int (the same amount at both ends of every spatial axis), a tuple of 3 ints (a
            symmetric amount per axis), or a tuple of 3 pairs ``(before, after)``.
        data_format: ``"channels_last"`` (``(batch_size, dim1, dim2, dim3, channels)``) or ``"channels_first"``
            (``(batch_size, channels, dim1, dim2, dim3)``); defaults to ``lamina.config.image_data_format()``.

    Input shape: a 5D tensor laid out by ``data_format``. Output shape: the same, with the spatial axes cropped.

    Example:
        >>> tuple(Cropping3D(1)(np.zeros((2, 4, 4, 4, 3))).shape)
        (2, 2, 2, 2, 3)
    """

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format: str | None = None, **kwargs):
        super().__init__(cropping, data_format=data_format, **kwargs)
