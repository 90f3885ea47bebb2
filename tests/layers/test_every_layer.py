"""Every public layer: config round trips (get_config -> from_config, and serialize -> deserialize) give
a layer computing the same numbers with the same weights. A layer added to lamina.layers without a case in
tests/layer_cases/ fails ``test_every_layer_has_a_case``; Keras aliases (Conv2D and Convolution2D) are one
class and need one case."""

import inspect

import numpy as np
import pytest
from layer_cases import all_cases

from lamina import layers, saving, tree
from lamina.backend import convert_to_numpy

CASES = all_cases()
NOT_COMPUTING = {"Layer", "InputLayer"}


def public_layer_classes():
    classes = {obj for obj in vars(layers).values() if inspect.isclass(obj) and issubclass(obj, layers.Layer)}
    return sorted(cls.__name__ for cls in classes if cls.__name__ not in NOT_COMPUTING)


def test_every_layer_has_a_case():
    assert sorted(CASES) == public_layer_classes()


def call(layer, inputs):
    """The layer's outputs as a flat list of NumPy arrays; a tuple of inputs is several call arguments
    (a cell takes one step's inputs and its states)."""
    outputs = layer(*inputs) if isinstance(inputs, tuple) else layer(inputs)
    return [convert_to_numpy(output) for output in tree.flatten(outputs)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_config_round_trip_computes_the_same(engine, name):
    kwargs, make_inputs = CASES[name]
    cls = getattr(layers, name)
    original = cls(**kwargs)
    inputs = make_inputs()
    expected = call(original, inputs)
    for clone in (cls.from_config(original.get_config()), saving.deserialize(saving.serialize(original))):
        assert type(clone) is cls and clone.get_config() == original.get_config()
        call(clone, inputs)
        clone.set_weights(original.get_weights())
        for actual, wanted in zip(call(clone, inputs), expected, strict=True):
            np.testing.assert_allclose(actual, wanted, rtol=1e-6)


def test_input_layer_round_trip(engine):
    layer = layers.InputLayer(shape=(3, 4), dtype="int32", name="tokens")
    clone = layers.InputLayer.from_config(layer.get_config())
    assert clone.batch_shape == (None, 3, 4) and clone.dtype == "int32" and clone.name == "tokens"


@pytest.mark.parametrize("name, weight_shapes", [
    ("Dense", [(4, 3), (3,)]),
    ("Embedding", [(10, 3)]),
])
def test_weight_order_and_shapes_are_keras(engine, name, weight_shapes):
    kwargs, make_inputs = CASES[name]
    layer = getattr(layers, name)(**kwargs)
    layer(make_inputs())
    assert [w.shape for w in layer.get_weights()] == weight_shapes
    expected_names = {"Dense": ["kernel", "bias"], "Embedding": ["embeddings"]}[name]
    assert [v.name for v in layer.weights] == expected_names
