"""Checks every layer test uses: config round trips, symbolic shapes matching eager ones, and training."""

import numpy as np

import lamina
from lamina import layers, ops, serialization
from lamina.models import Model


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


def pad(sequences, length, padding="post"):
    """Integer sequences zero-padded (the masked index) to ``length``, before ("pre") or after ("post")."""
    tokens = np.zeros((len(sequences), length), "int32")
    for row, sequence in enumerate(sequences):
        if padding == "post":
            tokens[row, :len(sequence)] = sequence
        else:
            tokens[row, length - len(sequence):] = sequence
    return tokens


def assert_masked_paths_agree(model, sequences, y, padding="post", extra_padding=3):
    """A masked model over zero-padded tokens gives one answer on every execution path.

    Eager calls, ``predict``, ``evaluate`` and one ``fit`` step see the same numbers, each row equals its
    sequence run alone without padding, and nothing depends on how much padding there is: the jitted
    JAX steps must carry masks exactly as eager calls do.
    """
    length = max(len(s) for s in sequences)
    short, long = pad(sequences, length, padding), pad(sequences, length + extra_padding, padding)
    eager = to_numpy(model(short))
    for row, sequence in enumerate(sequences):
        alone = to_numpy(model(np.asarray([sequence], "int32")))
        np.testing.assert_allclose(eager[row], alone[0], rtol=1e-5, atol=1e-6)
    for tokens in (short, long):
        np.testing.assert_allclose(model.predict(tokens, verbose=0), eager, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(to_numpy(model.predict_on_batch(tokens)), eager, rtol=1e-5, atol=1e-6)
    model.compile(optimizer=lamina.optimizers.SGD(0.5), loss="mse")
    expected_loss = np.mean((eager - y) ** 2)
    for tokens in (short, long):
        np.testing.assert_allclose(model.evaluate(tokens, y, verbose=0), expected_loss, rtol=1e-5)
    initial = model.get_weights()
    trained = []
    for tokens in (short, long):
        model.set_weights(initial)
        model.fit(tokens, y, batch_size=len(sequences), epochs=1, shuffle=False, verbose=0)
        trained.append(model.get_weights())
    for after_short, after_long in zip(*trained):
        np.testing.assert_allclose(after_short, after_long, rtol=1e-5, atol=1e-6)
    assert any(not np.allclose(a, b) for a, b in zip(trained[0], initial)), "fit changed no weight"
    model.set_weights(initial)
