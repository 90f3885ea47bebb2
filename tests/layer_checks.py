"""Checks every layer test uses: config round trips, symbolic shapes matching eager ones, and training."""

import numpy as np

import lamina
from lamina import layers, ops
from lamina.models import Model
from lamina.saving import serialization


def to_numpy(x):
    return lamina.backend.convert_to_numpy(x)


def roundtrip(layer):
    """A new layer from ``layer``'s serialized config, built and given ``layer``'s weights."""
    clone = serialization.deserialize(serialization.serialize(layer), module_objects=vars(layers))
    assert type(clone) is type(layer)
    assert clone.get_config() == {**layer.get_config(), "name": clone.name}
    if layer.weights:
        if not clone.built:
            clone.build(layer._build_shapes)
        clone.set_weights(layer.get_weights())
    return clone


def assert_symbolic_matches_eager(layer, x, **call_kwargs):
    """A functional model over ``layer`` with a None batch predicts the eager output's shape and dtype,
    and computes the eager numbers; returns the eager output as NumPy."""
    inputs = layers.Input(x.shape[1:], dtype=str(x.dtype))
    symbolic = layer(inputs, **call_kwargs)
    eager = layer(x, **call_kwargs)
    assert symbolic.shape == (None,) + tuple(eager.shape[1:])
    assert symbolic.dtype == ops.dtype(eager)
    assert layer.compute_output_shape(x.shape) == tuple(eager.shape)
    model = Model(inputs, symbolic)
    np.testing.assert_allclose(to_numpy(model(x)), to_numpy(eager), rtol=1e-6, atol=1e-6)
    return to_numpy(eager)


def assert_one_step_lowers_loss(model, x, y, loss="mse", learning_rate=0.05):
    """Gradients reach the weights: a few SGD steps on one batch lower the loss."""
    model.compile(optimizer=lamina.optimizers.SGD(learning_rate), loss=loss)
    before = model.evaluate(x, y, verbose=0)
    for _ in range(3):
        model.train_on_batch(x, y)
    after = model.evaluate(x, y, verbose=0)
    assert after < before, (before, after)
