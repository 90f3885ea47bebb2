"""Every public layer: config round trips (get_config -> from_config, and serialize -> deserialize) give
a layer computing the same numbers with the same weights. A layer added to lamina.layers without a case
here fails ``test_every_layer_has_a_case``."""

import inspect

import numpy as np
import pytest

from lamina import activations, layers, saving
from lamina.backend import convert_to_numpy

F = "float32"


def floats(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype(F)


# class name -> (constructor kwargs, inputs builder)
CASES = {
    "Dense": (dict(units=3, activation="relu", kernel_regularizer="l2"), lambda: floats(2, 4)),
    "Activation": (dict(activation="tanh"), lambda: floats(2, 4)),
    "Dropout": (dict(rate=0.3, seed=1), lambda: floats(2, 4)),
    "Embedding": (dict(input_dim=10, output_dim=3, mask_zero=True), lambda: np.array([[1, 2, 0]], "int32")),
    "Identity": (dict(), lambda: floats(2, 4)),
    "Lambda": (dict(function=activations.relu), lambda: floats(2, 4)),
    "Masking": (dict(mask_value=0.5), lambda: floats(2, 3, 4)),
    "ActivityRegularization": (dict(l1=0.1, l2=0.2), lambda: floats(2, 4)),
    "Flatten": (dict(), lambda: floats(2, 3, 4)),
    "Reshape": (dict(target_shape=(2, 6)), lambda: floats(2, 3, 4)),
    "Permute": (dict(dims=(2, 1)), lambda: floats(2, 3, 4)),
    "RepeatVector": (dict(n=3), lambda: floats(2, 4)),
    "Add": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Subtract": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Multiply": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Average": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Maximum": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Minimum": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Concatenate": (dict(axis=1), lambda: [floats(2, 4), floats(2, 3)]),
    "Dot": (dict(axes=1, normalize=True), lambda: [floats(2, 4), floats(2, 4)]),
}
NOT_COMPUTING = {"Layer", "InputLayer"}


def public_layer_classes():
    return sorted(name for name, obj in vars(layers).items()
                  if inspect.isclass(obj) and issubclass(obj, layers.Layer) and name not in NOT_COMPUTING)


def test_every_layer_has_a_case():
    assert sorted(CASES) == public_layer_classes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_config_round_trip_computes_the_same(engine, name):
    kwargs, make_inputs = CASES[name]
    cls = getattr(layers, name)
    original = cls(**kwargs)
    inputs = make_inputs()
    expected = convert_to_numpy(original(inputs))
    for clone in (cls.from_config(original.get_config()), saving.deserialize(saving.serialize(original))):
        assert type(clone) is cls and clone.get_config() == original.get_config()
        clone(inputs)
        clone.set_weights(original.get_weights())
        np.testing.assert_allclose(convert_to_numpy(clone(inputs)), expected, rtol=1e-6)


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
