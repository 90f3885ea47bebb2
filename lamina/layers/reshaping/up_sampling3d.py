"""UpSampling3D: repeat the entries of each spatial axis of 3D data."""

from __future__ import annotations

from lamina.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling3D(BaseUpSampling):
    """Repeats the entries of the three spatial axes ``size[0]``, ``size[1]`` and ``size[2]`` times.

    Args:
        size: an int (the same factor on every axis) or a tuple of 3 positive ints.
        data_format: ``"channels_last"`` (``(batch_size, dim1, dim2, dim3, channels)``) or ``"channels_first"``
            (``(batch_size, channels, dim1, dim2, dim3)``); defaults to ``lamina.config.image_data_format()``.

    Input shape: a 5D tensor laid out by ``data_format``. Output shape: the same, each spatial axis multiplied
    by its factor.

    Example:
        >>> tuple(UpSampling3D((1, 2, 3))(np.ones((2, 2, 2, 2, 4))).shape)
        (2, 2, 4, 6, 4)
    """

    rank = 3

    def __init__(self, size=(2, 2, 2), data_format: str | None = None, **kwargs):
        super().__init__(size, data_format=data_format, **kwargs)
