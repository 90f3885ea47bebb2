"""MaxPooling3D: max pooling over volumes."""

from __future__ import annotations

from lamina.layers.pooling.base_pooling import BasePooling


class MaxPooling3D(BasePooling):
    """Max pooling over three spatial dims; arguments as ``BasePooling``.

    Example:
        >>> tuple(MaxPooling3D(2)(np.ones((2, 4, 4, 4, 8), "float32")).shape)
        (2, 2, 2, 2, 8)
    """

    rank = 3
    pool_mode = "max"
