"""GlobalAveragePooling1D: the mean over all steps."""

from __future__ import annotations

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """The mean over the steps of each channel; masked steps (from a ``mask``) are left out, and the output
    has no mask. Arguments as ``BaseGlobalPooling``.

    Example:
        >>> tuple(GlobalAveragePooling1D()(np.ones((4, 10, 8), "float32")).shape)
        (4, 8)
    """

    rank = 1
    pool_mode = "average"
