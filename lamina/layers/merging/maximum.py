"""Maximum: the elementwise maximum of a list of tensors."""

from __future__ import annotations

from lamina import ops
from lamina.layers.merging.base_merge import Merge, functional_form


class Maximum(Merge):
    """Takes the elementwise maximum of a list of two or more tensors.

    Inputs of different shapes broadcast as described in `Merge`; the output has the broadcast shape.

    Example:
        >>> tuple(Maximum()([np.ones((2, 3)), np.ones((2, 3))]).shape)
        (2, 3)
    """

    _pairwise = staticmethod(ops.maximum)


maximum = functional_form(Maximum)
