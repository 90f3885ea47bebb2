"""GlobalMaxPooling2D: the maximum over height and width."""

from __future__ import annotations

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling2D(BaseGlobalPooling):
    """The maximum over the two spatial dims of each channel; arguments as ``BaseGlobalPooling``.

    Example:
        >>> tuple(GlobalMaxPooling2D()(np.ones((4, 5, 5, 8), "float32")).shape)
        (4, 8)
    """

    rank = 2
    pool_mode = "max"
