"""Keras 1's ``MaxoutDense`` (Keras 3 has none): the element-wise maximum of ``nb_feature`` affine maps."""

from __future__ import annotations

from lamina import constraints, initializers, layers, ops, regularizers
from lamina.legacy.layers.translated import legacy_layer


class _MaxoutDense(layers.Layer):
    """``max_k (x @ W[k] + b[k])`` with Keras 1's weight shapes: W ``(nb_feature, input_dim, units)``, b
    ``(nb_feature, units)``, so Keras 1 weights load as they are."""

    def __init__(self, units, nb_feature=4, kernel_initializer="glorot_uniform", kernel_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, bias_constraint=None, use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.nb_feature = nb_feature
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.use_bias = use_bias

    def build(self, input_shape):
        self.kernel = self.add_weight((self.nb_feature, input_shape[-1], self.units), self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      name="kernel")
        self.bias = self.add_weight((self.nb_feature, self.units), "zeros", regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint, name="bias") if self.use_bias else None

    def call(self, inputs):
        features = ops.einsum("bi,fio->bfo", inputs, self.kernel)
        if self.bias is not None:
            features = features + self.bias
        return ops.max(features, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "nb_feature": self.nb_feature,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint), "use_bias": self.use_bias}


MaxoutDense = legacy_layer("MaxoutDense", _MaxoutDense, __name__)
