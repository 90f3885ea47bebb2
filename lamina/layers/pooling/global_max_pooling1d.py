"""GlobalMaxPooling1D: the maximum over all steps."""

from __future__ import annotations

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """The maximum over the steps of each channel; masked steps (from a ``mask``) are left out (Keras' layer
    ignores masks), and the output has no mask. Arguments as ``BaseGlobalPooling``.

    Example:
        >>> tuple(GlobalMaxPooling1D()(np.ones((4, 10, 8), "float32")).shape)
        (4, 8)
    """

    rank = 1
    pool_mode = "max"
