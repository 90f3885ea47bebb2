"""Keras 1's ``MaxoutDense`` (Keras 3 has none): the element-wise maximum of ``nb_feature`` affine maps."""

from __future__ import annotations

from lamina import layers, ops
from lamina.layers.weight_options import WeightOptions
from lamina.legacy.layers.translated import legacy_layer


class _MaxoutDense(layers.Layer):
    """``max_k (x @ W[k] + b[k])`` with Keras 1's weight shapes: W ``(nb_feature, input_dim, units)``, b
    ``(nb_feature, units)``, so Keras 1 weights load as they are."""

    weight_options = WeightOptions("kernel", "bias")

    def __init__(self, units, nb_feature=4, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.nb_feature = nb_feature
        self.weight_options.store(self, locals())
        self.use_bias = use_bias

    def build(self, input_shape):
        self.kernel = self.weight_options.add(self, "kernel", (self.nb_feature, input_shape[-1], self.units))
        self.bias = self.weight_options.add(self, "bias", (self.nb_feature, self.units)) if self.use_bias else None

    def call(self, inputs):
        features = ops.einsum("bi,fio->bfo", inputs, self.kernel)
        if self.bias is not None:
            features = features + self.bias
        return ops.max(features, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "nb_feature": self.nb_feature,
                **self.weight_options.config(self), "use_bias": self.use_bias}


MaxoutDense = legacy_layer("MaxoutDense", _MaxoutDense, __name__)
