"""GlobalMaxPooling3D: the maximum over the three spatial dims."""

from __future__ import annotations

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling3D(BaseGlobalPooling):
    """The maximum over the three spatial dims of each channel; arguments as ``BaseGlobalPooling``.

    Example:
        >>> tuple(GlobalMaxPooling3D()(np.ones((2, 3, 3, 3, 8), "float32")).shape)
        (2, 8)
    """

    rank = 3
    pool_mode = "max"
