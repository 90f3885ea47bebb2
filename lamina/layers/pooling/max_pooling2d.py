"""MaxPooling2D: max pooling over images."""

from __future__ import annotations

from lamina.layers.pooling.base_pooling import BasePooling


class MaxPooling2D(BasePooling):
    """Max pooling over two spatial dims; arguments as ``BasePooling``.

    Example:
        >>> tuple(MaxPooling2D((2, 2))(np.ones((4, 28, 28, 8), "float32")).shape)
        (4, 14, 14, 8)
    """

    rank = 2
    pool_mode = "max"
