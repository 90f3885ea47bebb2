"""WeightOptions: one declaration resolves, validates, applies and serializes the initializer, regularizer
and constraint of a layer's weights; every layer built on it names the culprit of a bad option and keeps
Keras' config keys."""

import numpy as np
import pytest
from layer_checks import to_numpy

import lamina
from lamina import layers
from lamina.layers.layer import Layer
from lamina.layers.weight_options import WeightOptions


def test_store_add_and_config(engine):
    options = WeightOptions("kernel", "bias")
    assert options.names() == ("kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
                               "kernel_constraint", "bias_constraint")
    layer = Layer(name="probe")
    options.store(layer, dict(kernel_initializer="ones", bias_initializer=lamina.initializers.Constant(2.0),
                              kernel_regularizer="l2", bias_regularizer=None, kernel_constraint="non_neg",
                              bias_constraint=None))
    kernel = options.add(layer, "kernel", (2, 3))
    bias = options.add(layer, "bias", (3,), name="offset", initializer="zeros")
    np.testing.assert_array_equal(to_numpy(kernel), np.ones((2, 3)))
    np.testing.assert_array_equal(to_numpy(bias), np.zeros(3))  # the override wins
    assert (kernel.name, bias.name) == ("kernel", "offset")
    assert kernel.regularizer is layer.kernel_regularizer and kernel.constraint is layer.kernel_constraint
    config = options.config(layer)
    assert list(config) == list(options.names())
    assert config["bias_initializer"]["config"] == {"value": 2.0}
    assert config["kernel_regularizer"]["class_name"] == "L2" and config["bias_constraint"] is None


@pytest.mark.parametrize("build, argument", [
    (lambda bad: layers.Dense(2, bias_regularizer=bad), "bias_regularizer"),
    (lambda bad: layers.Conv2D(2, 3, kernel_constraint=bad), "kernel_constraint"),
    (lambda bad: layers.SeparableConv2D(2, 3, pointwise_initializer=bad), "pointwise_initializer"),
    (lambda bad: layers.DepthwiseConv2D(3, depthwise_initializer=bad), "depthwise_initializer"),
    (lambda bad: layers.Conv2DTranspose(2, 3, kernel_initializer=bad), "kernel_initializer"),
    (lambda bad: layers.LSTMCell(2, recurrent_initializer=bad), "recurrent_initializer"),
    (lambda bad: layers.ConvLSTM2D(2, 3, recurrent_constraint=bad), "recurrent_constraint"),
    (lambda bad: layers.BatchNormalization(gamma_initializer=bad), "gamma_initializer"),
    (lambda bad: layers.Embedding(3, 2, embeddings_regularizer=bad), "embeddings_regularizer"),
])
def test_bad_option_names_the_layer_and_argument(engine, build, argument):
    with pytest.raises(ValueError, match=rf"Invalid value for argument `{argument}` of \w+\..*{argument}='nope'"):
        build("nope")


@pytest.mark.parametrize("layer, keys", [
    (layers.Dense(2), WeightOptions("kernel", "bias").names()),
    (layers.Conv1D(2, 3), WeightOptions("kernel", "bias").names()),
    (layers.SeparableConv1D(2, 3), WeightOptions("depthwise", "pointwise", "bias").names()),
    (layers.GRU(2), WeightOptions("kernel", "recurrent", "bias").names()),
    (layers.LayerNormalization(), WeightOptions("beta", "gamma").names()),
    (layers.MultiHeadAttention(2, 3), WeightOptions("kernel", "bias").names()),
])
def test_layers_serialize_their_options(engine, layer, keys):
    config = layer.get_config()
    assert set(keys) <= set(config)
    assert type(layer).from_config(config).get_config() == {**config, "name": config["name"]}
