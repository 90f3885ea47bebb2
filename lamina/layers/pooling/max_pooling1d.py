"""MaxPooling1D: max pooling over steps."""

from __future__ import annotations

from lamina.layers.pooling.base_pooling import BasePooling


class MaxPooling1D(BasePooling):
    """Max pooling over one spatial dim: the maximum of each window of ``pool_size`` steps; arguments as
    ``BasePooling``.

    Example:
        >>> tuple(MaxPooling1D(3)(np.ones((4, 10, 8), "float32")).shape)
        (4, 3, 8)
    """

    rank = 1
    pool_mode = "max"
