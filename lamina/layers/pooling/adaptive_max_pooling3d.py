"""AdaptiveMaxPooling3D: max pooling of the three spatial dims to a fixed output size."""

from __future__ import annotations

from lamina.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """The maximum of each adaptive bin over 3 spatial dims, giving ``output_size`` cells whatever the
    input size; arguments as ``BaseAdaptivePooling``.

    Example:
        >>> tuple(AdaptiveMaxPooling3D(2)(np.ones((1, 6, 5, 4, 2), "float32")).shape)
        (1, 2, 2, 2, 2)
    """

    rank = 3
    pool_mode = "max"
