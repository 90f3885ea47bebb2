"""Reshape: give each sample a new shape with the same number of elements."""

from __future__ import annotations

import math

from lamina import ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer


class Reshape(Layer):
    """Reshapes each sample to ``target_shape``; the batch axis is kept.

    Args:
        target_shape: the shape of one output sample (no batch dimension), a tuple of positive integers
            of which one may be -1: that dimension is inferred from the size of the input.

    Input shape: ``(batch_size, ...)``. Output shape: ``(batch_size, *target_shape)``.

    Example:
        >>> tuple(Reshape((3, 4))(np.zeros((2, 12))).shape)
        (2, 3, 4)
        >>> tuple(Reshape((-1, 2, 2))(np.zeros((2, 3, 4))).shape)
        (2, 3, 2, 2)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = (target_shape,) if isinstance(target_shape, int) else tuple(target_shape)
        if any(not isinstance(d, int) or isinstance(d, bool) or (d < 1 and d != -1) for d in target_shape) or (
            target_shape.count(-1) > 1
        ):
            raise ValueError(
                "Invalid value for argument `target_shape` of Reshape. Expected a tuple of positive integers "
                f"with at most one -1. Received: target_shape={target_shape}"
            )
        self.target_shape = target_shape
        self._build_at_init()

    def _sample_shape(self, input_shape) -> tuple:
        """The output shape of one sample of ``input_shape`` (without batch), with -1 resolved when it can be."""
        sample = tuple(input_shape[1:])
        if None in sample:
            return tuple(None if d == -1 else d for d in self.target_shape)
        size, known = math.prod(sample), math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            if size % known:
                raise ValueError(
                    f"Layer '{self.name}' (Reshape): the input size {size} cannot be divided by the known "
                    f"dimensions of target_shape={self.target_shape} (product {known}). "
                    f"Received: input_shape={tuple(input_shape)}"
                )
            return tuple(size // known if d == -1 else d for d in self.target_shape)
        if size != known:
            raise ValueError(
                f"Layer '{self.name}' (Reshape): the total size of a sample must be unchanged. Expected "
                f"{known} elements per sample for target_shape={self.target_shape}, but the input has {size}. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        return self.target_shape

    def call(self, inputs):
        shape = ops.shape(inputs)
        return ops.reshape(inputs, (shape[0], *self._sample_shape(shape)))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self._sample_shape(input_shape))

    def compute_output_spec(self, inputs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": self.target_shape}
