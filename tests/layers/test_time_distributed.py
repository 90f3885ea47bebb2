"""TimeDistributed: the inner layer's numbers at every timestep, training flag and masks passed through,
symbolic shapes, training, config round trips and errors."""

import numpy as np
import pytest
from layer_checks import assert_one_step_lowers_loss, assert_symbolic_matches_eager, roundtrip, to_numpy
from test_core_layers import MaskedMean  # a layer that reads its mask

from lamina import layers
from lamina.backend.common.masking import get_mask
from lamina.models import Model, Sequential


def test_dense_at_every_timestep(engine, rng):
    x = rng.normal(size=(2, 5, 4)).astype("float32")
    layer = layers.TimeDistributed(layers.Dense(3, activation="tanh"))
    out = assert_symbolic_matches_eager(layer, x)
    kernel, bias = layer.get_weights()
    assert kernel.shape == (4, 3) and [w.name for w in layer.weights] == ["kernel", "bias"]
    np.testing.assert_allclose(out, np.tanh(x @ kernel + bias), rtol=1e-5, atol=1e-6)


def test_higher_rank_inputs_and_nested_wrapping(engine, rng):
    x = rng.normal(size=(2, 3, 4, 5)).astype("float32")
    inner = layers.Dense(2)
    layer = layers.TimeDistributed(layers.TimeDistributed(inner))
    out = assert_symbolic_matches_eager(layer, x)
    kernel, bias = inner.get_weights()
    np.testing.assert_allclose(out, x @ kernel + bias, rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape((None, 3, 4, 5)) == (None, 3, 4, 2)


def test_each_timestep_alone_equals_the_whole(engine, rng):
    """Folding time into batch is exact: a layer mixing features only sees one slice at a time."""
    x = rng.normal(size=(3, 4, 6)).astype("float32")
    inner = layers.Dense(2)
    whole = to_numpy(layers.TimeDistributed(inner)(x))
    for t in range(4):
        np.testing.assert_allclose(whole[:, t], to_numpy(inner(x[:, t])), rtol=1e-6, atol=1e-6)


def test_training_flag_reaches_the_inner_layer(engine):
    x = np.ones((4, 6, 10), "float32")
    layer = layers.TimeDistributed(layers.Dropout(0.5, seed=2))
    np.testing.assert_array_equal(to_numpy(layer(x)), x)
    dropped = to_numpy(layer(x, training=True))
    assert dropped.shape == x.shape and 0 < (dropped == 0).mean() < 1
    np.testing.assert_allclose(dropped[dropped != 0], 2.0)


def test_time_mask_passes_through(engine, rng):
    x = rng.normal(size=(2, 4, 3)).astype("float32")
    x[0, 2:] = 0.0
    inputs = layers.Input((4, 3))
    out = layers.TimeDistributed(layers.Dense(2))(layers.Masking()(inputs))
    assert get_mask(out).shape == (None, 4)
    model = Model(inputs, [out, MaskedMean()(out)])
    per_step, pooled = model(x)
    np.testing.assert_array_equal(to_numpy(get_mask(per_step)), [[1, 1, 0, 0], [1, 1, 1, 1]])
    # The masked batch pools like each example alone, without its padding.
    for b, length in enumerate((2, 4)):
        alone = to_numpy(model(x[b:b + 1, :length])[1])
        np.testing.assert_allclose(to_numpy(pooled)[b:b + 1], alone, rtol=1e-5, atol=1e-6)


def test_inner_mask_reaches_the_inner_layer(engine):
    """A (batch, time, steps) mask is folded like the inputs and given to a layer that reads masks."""
    tokens = np.array([[[3, 1, 0], [2, 0, 0]], [[1, 1, 1], [4, 2, 0]]], "int32")
    inputs = layers.Input((2, 3), dtype="int32")
    embedding = layers.Embedding(5, 2, mask_zero=True)
    pooled = layers.TimeDistributed(MaskedMean())(embedding(inputs))
    model = Model(inputs, pooled)
    out = to_numpy(model(tokens))
    assert out.shape == (2, 2, 2)
    table = embedding.get_weights()[0]
    for b in range(2):
        for t in range(2):
            kept = tokens[b, t][tokens[b, t] != 0]  # the example without its padding
            np.testing.assert_allclose(out[b, t], table[kept].mean(axis=0), rtol=1e-5)


def test_trains(engine, rng):
    x = rng.normal(size=(8, 5, 3)).astype("float32")
    y = rng.normal(size=(8, 5, 2)).astype("float32")
    model = Sequential([layers.Input((5, 3)), layers.TimeDistributed(layers.Dense(2))])
    assert_one_step_lowers_loss(model, x, y)


def test_config_round_trip(engine, rng):
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    layer = layers.TimeDistributed(layers.Dense(5, activation="relu", name="inner"), name="td")
    expected = to_numpy(layer(x))
    config = layer.get_config()
    assert config["name"] == "td" and config["layer"]["class_name"] == "Dense"
    assert config["layer"]["config"]["units"] == 5
    clone = roundtrip(layer)
    assert isinstance(clone.layer, layers.Dense) and clone.layer.name == "inner"
    np.testing.assert_allclose(to_numpy(clone(x)), expected, rtol=1e-6)


def test_errors_name_the_layer(engine):
    with pytest.raises(ValueError, match=r"argument `layer` of TimeDistributed.*Received: layer='dense'"):
        layers.TimeDistributed("dense")
    layer = layers.TimeDistributed(layers.Dense(2))
    with pytest.raises(ValueError, match=r"TimeDistributed.*at least 3 dimensions.*\(2, 4\)"):
        layer.compute_output_shape((2, 4))
    with pytest.raises(ValueError, match=r"TimeDistributed 'time_distributed.*Received: input_shape=\(2, 4\)"):
        layer(np.ones((2, 4), "float32"))
