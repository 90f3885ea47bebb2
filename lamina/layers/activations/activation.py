"""Activation: applies an activation function to its input."""

from __future__ import annotations

from lamina import activations
from lamina.layers.layer import Layer


class Activation(Layer):
    """Applies ``activation`` element-wise (or along the last axis, for softmax-like functions).

    Args:
        activation: an activation name (``"relu"``, ``"softmax"``, ...) or a callable; None is linear.

    Input shape: any. Output shape: the same as the input.

    Example:
        >>> ops.convert_to_numpy(Activation("relu")(np.array([-1.0, 2.0]))).tolist()
        [0.0, 2.0]
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
