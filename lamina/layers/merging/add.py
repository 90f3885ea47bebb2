"""Add: the elementwise sum of a list of tensors."""

from __future__ import annotations

from lamina import ops
from lamina.layers.merging.base_merge import Merge, functional_form


class Add(Merge):
    """Adds a list of two or more tensors elementwise.

    Inputs of different shapes broadcast as described in `Merge`; the output has the broadcast shape.

    Example:
        >>> tuple(Add()([np.ones((2, 3)), np.ones((2, 3))]).shape)
        (2, 3)
    """

    _pairwise = staticmethod(ops.add)


add = functional_form(Add)
