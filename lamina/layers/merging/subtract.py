"""Subtract: the elementwise difference of two tensors."""

from __future__ import annotations

from lamina import ops
from lamina.layers.merging.base_merge import Merge, functional_form


class Subtract(Merge):
    """Subtracts the second of exactly two tensors from the first, elementwise: ``inputs[0] - inputs[1]``.

    Inputs of different shapes broadcast as described in `Merge`; the output has the broadcast shape.

    Example:
        >>> tuple(Subtract()([np.ones((2, 3)), np.ones((2, 3))]).shape)
        (2, 3)
    """

    _num_inputs = 2
    _pairwise = staticmethod(ops.subtract)


subtract = functional_form(Subtract)
