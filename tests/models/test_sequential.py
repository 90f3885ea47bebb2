"""Sequential: building from an Input, from input_shape, or on first call; add, pop, config."""

import numpy as np
import pytest

from lamina import layers
from lamina.backend import convert_to_numpy
from lamina.models import Sequential


def test_built_from_input(engine):
    model = Sequential([layers.Input(shape=(3,)), layers.Dense(4), layers.Dense(2)])
    assert model.built
    assert model.output_shape == (None, 2)
    assert len(model.layers) == 2
    assert len(model.weights) == 4


def test_built_from_input_shape_keyword(engine):
    model = Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
    assert model.built and model.input_shape == (None, 3)


def test_built_on_first_call_matches_numpy(engine, rng):
    model = Sequential()
    first, second = layers.Dense(4, activation="relu"), layers.Dense(2)
    model.add(first)
    model.add(second)
    assert not model.built
    x = rng.standard_normal((5, 3)).astype("float32")
    y = convert_to_numpy(model(x))
    assert model.built and model.output_shape == (None, 2)
    k1, b1 = first.get_weights()
    k2, b2 = second.get_weights()
    np.testing.assert_allclose(y, np.maximum(x @ k1 + b1, 0) @ k2 + b2, rtol=1e-5, atol=1e-5)


def test_add_input_then_layers_and_pop(engine):
    model = Sequential()
    model.add(layers.Input(shape=(3,)))
    model.add(layers.Dense(4))
    model.add(layers.Dense(2))
    assert model.output_shape == (None, 2)
    popped = model.pop()
    assert isinstance(popped, layers.Dense) and model.output_shape == (None, 4)
    assert len(model.weights) == 2


def test_add_rejects_non_layers(engine):
    with pytest.raises(ValueError, match="Only instances of"):
        Sequential().add("dense")


def test_sequential_as_layer_in_functional_model(engine, rng):
    from lamina.models import Model

    block = Sequential([layers.Dense(3, input_shape=(2,))])
    inputs = layers.Input(shape=(2,))
    model = Model(inputs, layers.Dense(1)(block(inputs)))
    assert model.output_shape == (None, 1)
    assert len(model.weights) == 4


def test_config_round_trip(engine, rng):
    model = Sequential([layers.Input(shape=(3,)), layers.Dense(4, activation="relu"), layers.Dense(2)])
    clone = Sequential.from_config(model.get_config())
    assert [type(layer).__name__ for layer in clone.layers] == ["Dense", "Dense"]
    clone.set_weights(model.get_weights())
    x = rng.standard_normal((2, 3)).astype("float32")
    np.testing.assert_allclose(convert_to_numpy(clone(x)), convert_to_numpy(model(x)), rtol=1e-6)
