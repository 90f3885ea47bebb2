"""Masks reach every execution path (issue 9): eager, predict, evaluate and fit agree on masked models.

On JAX the compiled steps trace the model, and traced values cannot carry a ``_keras_mask`` attribute;
these tests fail if masks are dropped there, or if padding of any length leaks into the numbers.
"""

import numpy as np
import pytest
from layer_checks import assert_masked_paths_agree, pad, to_numpy

import lamina
from lamina import layers
from lamina.models import Model

SEQUENCES = [[3, 7, 1, 9, 2], [4, 8], [5, 1, 6], [2]]
VOCABULARY, FEATURES = 10, 4


def _average():
    return layers.GlobalAveragePooling1D(data_format="channels_last")  # (batch, steps, features), whatever the default


def _maximum():
    return layers.GlobalMaxPooling1D(data_format="channels_last")


def _attention(h):
    return _average()(layers.Attention()([h, h]))


def _multi_head_attention(h):
    return _average()(layers.MultiHeadAttention(num_heads=2, key_dim=2)(h, h))


BODIES = {
    "lstm": lambda h: layers.LSTM(4)(h),
    "gru": lambda h: layers.GRU(4)(h),
    "gru_reset_before": lambda h: layers.GRU(4, reset_after=False)(h),
    "simple_rnn": lambda h: layers.SimpleRNN(4)(h),
    "lstm_backwards": lambda h: layers.LSTM(4, go_backwards=True)(h),
    "bidirectional_lstm": lambda h: layers.Bidirectional(layers.LSTM(3))(h),
    "bidirectional_gru_sum": lambda h: layers.Bidirectional(layers.GRU(3), merge_mode="sum")(h),
    "stacked_lstm": lambda h: layers.LSTM(3)(layers.LSTM(3, return_sequences=True)(h)),
    "lstm_sequences_average": lambda h: _average()(layers.LSTM(3, return_sequences=True)(h)),
    "lstm_sequences_max": lambda h: _maximum()(layers.LSTM(3, return_sequences=True)(h)),
    "time_distributed": lambda h: _average()(layers.TimeDistributed(layers.Dense(3))(h)),
    "attention": _attention,
    "multi_head_attention": _multi_head_attention,
}


def _model(body):
    inputs = layers.Input((None,), dtype="int32")
    embedded = layers.Embedding(VOCABULARY, FEATURES, mask_zero=True)(inputs)
    return Model(inputs, layers.Dense(1)(body(embedded)))


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("name", sorted(BODIES))
def test_masked_model_agrees_on_every_path(engine, rng, name, padding):
    y = rng.normal(size=(len(SEQUENCES), 1)).astype("float32")
    assert_masked_paths_agree(_model(BODIES[name]), SEQUENCES, y, padding=padding)


@pytest.mark.parametrize("padding", ["pre", "post"])
def test_masked_sequence_loss_counts_only_real_steps(engine, rng, padding):
    """A per-step loss over a masked sequence output averages the unmasked steps only, on every path."""
    inputs = layers.Input((None,), dtype="int32")
    embedded = layers.Embedding(VOCABULARY, FEATURES, mask_zero=True)(inputs)
    model = Model(inputs, layers.Dense(1)(layers.LSTM(3, return_sequences=True)(embedded)))
    model.compile(optimizer=lamina.optimizers.SGD(0.5), loss="mse")
    length = max(map(len, SEQUENCES))
    targets = [rng.normal(size=len(s)).astype("float32") for s in SEQUENCES]
    losses, trained = [], []
    initial = model.get_weights()
    for extra in (0, 3):
        tokens = pad(SEQUENCES, length + extra, padding)
        y = np.zeros(tokens.shape + (1,), "float32")
        for row, target in enumerate(targets):
            steps = slice(None, len(target)) if padding == "post" else slice(tokens.shape[1] - len(target), None)
            y[row, steps, 0] = target
        predictions = to_numpy(model(tokens))[..., 0]
        valid = tokens != 0
        expected = np.mean((predictions[valid] - y[..., 0][valid]) ** 2)
        losses.append(model.evaluate(tokens, y, verbose=0))
        np.testing.assert_allclose(losses[-1], expected, rtol=1e-5)
        model.set_weights(initial)
        model.fit(tokens, y, batch_size=len(SEQUENCES), shuffle=False, verbose=0)
        trained.append(model.get_weights())
        model.set_weights(initial)
    for short, long in zip(*trained):
        np.testing.assert_allclose(short, long, rtol=1e-5, atol=1e-6)
