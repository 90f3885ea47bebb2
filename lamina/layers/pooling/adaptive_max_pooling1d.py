"""AdaptiveMaxPooling1D: max pooling of steps to a fixed output size."""

from __future__ import annotations

from lamina.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """The maximum of each adaptive bin over 1 spatial dim, giving ``output_size`` cells whatever the
    input size; arguments as ``BaseAdaptivePooling``.

    Example:
        >>> tuple(AdaptiveMaxPooling1D(4)(np.ones((2, 10, 8), "float32")).shape)
        (2, 4, 8)
    """

    rank = 1
    pool_mode = "max"
