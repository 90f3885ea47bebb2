"""GlobalAveragePooling2D: the mean over height and width."""

from __future__ import annotations

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    """The mean over the two spatial dims of each channel; arguments as ``BaseGlobalPooling``.

    Example:
        >>> tuple(GlobalAveragePooling2D()(np.ones((4, 5, 5, 8), "float32")).shape)
        (4, 8)
    """

    rank = 2
    pool_mode = "average"
