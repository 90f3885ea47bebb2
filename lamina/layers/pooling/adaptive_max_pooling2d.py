"""AdaptiveMaxPooling2D: max pooling of height and width to a fixed output size."""

from __future__ import annotations

from lamina.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """The maximum of each adaptive bin over 2 spatial dims, giving ``output_size`` cells whatever the
    input size; arguments as ``BaseAdaptivePooling``.

    Example:
        >>> tuple(AdaptiveMaxPooling2D((3, 2))(np.ones((2, 9, 7, 3), "float32")).shape)
        (2, 3, 2, 3)
    """

    rank = 2
    pool_mode = "max"
