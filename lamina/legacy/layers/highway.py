"""Keras 1's ``Highway`` layer (Keras 3 has none): ``T * activation(x @ W + b) + (1 - T) * x`` with the
transform gate ``T = sigmoid(x @ W_carry + b_carry)``."""

from __future__ import annotations

from lamina import activations, constraints, initializers, layers, ops, regularizers
from lamina.legacy.layers.translated import legacy_layer


class _Highway(layers.Layer):
    """Weights in Keras 1's order ``[W, W_carry, b, b_carry]``; ``b_carry`` starts at one, as in Keras 1.2."""

    def __init__(self, activation=None, kernel_initializer="glorot_uniform", kernel_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, bias_constraint=None, use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.use_bias = use_bias

    def build(self, input_shape):
        dim = input_shape[-1]
        kernel = {"initializer": self.kernel_initializer, "regularizer": self.kernel_regularizer,
                  "constraint": self.kernel_constraint}
        self.kernel = self.add_weight((dim, dim), name="kernel", **kernel)
        self.carry_kernel = self.add_weight((dim, dim), name="carry_kernel", **kernel)
        self.bias = self.carry_bias = None
        if self.use_bias:
            bias = {"regularizer": self.bias_regularizer, "constraint": self.bias_constraint}
            self.bias = self.add_weight((dim,), "zeros", name="bias", **bias)
            self.carry_bias = self.add_weight((dim,), "ones", name="carry_bias", **bias)

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
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint), "use_bias": self.use_bias}


Highway = legacy_layer("Highway", _Highway, __name__)
