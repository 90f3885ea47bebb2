"""Average: the elementwise mean of a list of tensors."""

from __future__ import annotations

from lamina import backend, ops
from lamina.layers.merging.base_merge import Merge, functional_form


class Average(Merge):
    """Averages a list of two or more tensors elementwise (integer inputs give a float result).

    Inputs of different shapes broadcast as described in `Merge`; the output has the broadcast shape.

    Example:
        >>> tuple(Average()([np.ones((2, 3)), np.zeros((2, 3))]).shape)
        (2, 3)
    """

    _pairwise = staticmethod(ops.add)

    def _merge_function(self, inputs):
        return ops.divide(super()._merge_function(inputs), len(inputs))

    def _output_dtype(self, dtypes) -> str:
        return backend.result_type(*dtypes, float)


average = functional_form(Average)
