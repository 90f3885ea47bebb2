"""RepeatVector: repeat a vector ``n`` times along a new time axis."""

from __future__ import annotations

from lamina import ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.utils.argument_validation import check_positive_int


class RepeatVector(Layer):
    """Repeats each input vector ``n`` times, e.g. to feed an encoding to every step of a decoder.

    Args:
        n: the number of repetitions, a positive int.

    Input shape: ``(batch_size, features)``. Output shape: ``(batch_size, n, features)``.

    Example:
        >>> tuple(RepeatVector(3)(np.zeros((2, 32))).shape)
        (2, 3, 32)
    """

    def __init__(self, n: int, **kwargs):
        super().__init__(**kwargs)
        self.n = check_positive_int(n, "n", "RepeatVector")
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def compute_output_spec(self, inputs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}
