"""Keras 1's ``Highway`` layer (Keras 3 has none): ``T * activation(x @ W + b) + (1 - T) * x`` with the
transform gate ``T = sigmoid(x @ W_carry + b_carry)``."""

from __future__ import annotations

from lamina import activations, layers, ops
from lamina.layers.weight_options import WeightOptions
from lamina.legacy.layers.translated import legacy_layer


class _Highway(layers.Layer):
    """Weights in Keras 1's order ``[W, W_carry, b, b_carry]``; ``b_carry`` starts at one, as in Keras 1.2."""

    weight_options = WeightOptions("kernel", "bias")

    def __init__(self, activation=None, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.weight_options.store(self, locals())
        self.use_bias = use_bias

    def build(self, input_shape):
        dim = input_shape[-1]
        self.kernel = self.weight_options.add(self, "kernel", (dim, dim))
        self.carry_kernel = self.weight_options.add(self, "kernel", (dim, dim), name="carry_kernel")
        self.bias = self.carry_bias = None
        if self.use_bias:
            self.bias = self.weight_options.add(self, "bias", (dim,))
            self.carry_bias = self.weight_options.add(self, "bias", (dim,), name="carry_bias", initializer="ones")

    def call(self, inputs):
        gate, transformed = ops.matmul(inputs, self.carry_kernel), ops.matmul(inputs, self.kernel)
        if self.use_bias:
            gate, transformed = gate + self.carry_bias, transformed + self.bias
        gate = ops.sigmoid(gate)
        return self.activation(transformed) * gate + (1.0 - gate) * inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation),
                **self.weight_options.config(self), "use_bias": self.use_bias}


Highway = legacy_layer("Highway", _Highway, __name__)
