"""Permute: reorder the non-batch axes of the input."""

from __future__ import annotations

from lamina import ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class Permute(Layer):
    """Permutes the axes of the input after the batch axis, e.g. to swap time and features.

    Args:
        dims: a permutation of ``1..rank-1`` (1-based, the batch axis 0 is never moved): ``(2, 1)`` swaps
            the first and second non-batch axes.

    Input shape: ``(batch_size, d_1, ..., d_k)`` with ``k = len(dims)``.
    Output shape: ``(batch_size, d_dims[0], ..., d_dims[k-1])``.

    Example:
        >>> tuple(Permute((2, 1))(np.zeros((2, 10, 64))).shape)
        (2, 64, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Invalid value for argument `dims` of Permute. Expected a permutation of the consecutive "
                f"axes 1..{len(dims)} (the batch axis 0 is excluded). Received: dims={dims}"
            )
        self.dims = dims
        self.input_spec = InputSpec(ndim=len(dims) + 1)

    def call(self, inputs):
        return ops.transpose(inputs, (0, *self.dims))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def compute_output_spec(self, inputs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": self.dims}
