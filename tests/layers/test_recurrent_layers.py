"""Recurrent core: LSTM and GRU against torch.nn.LSTM / torch.nn.GRU with converted weights, SimpleRNN and
GRU(reset_after=False) against NumPy loops, fused and generic paths agreeing, masks (a padded batch equals
the sequences one by one, also backwards), states (return_state, initial_state, stateful), dropout,
training, config round trips and argument errors."""

import numpy as np
import pytest
import torch
from layer_checks import assert_one_step_lowers_loss, assert_symbolic_matches_eager, roundtrip, to_numpy

import lamina
from lamina import layers
from lamina.models import Model, Sequential

B, T, F, U = 3, 5, 4, 6
FUSED = dict(use_cudnn="auto")
GENERIC = dict(use_cudnn=False)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def with_random_weights(layer, x, rng):
    """Build ``layer`` on ``x`` and give it random weights (biases too, so bias layouts are tested)."""
    layer(x)
    layer.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.get_weights()])
    return layer


def torch_lstm(kernel, recurrent_kernel, bias):
    module = torch.nn.LSTM(kernel.shape[0], recurrent_kernel.shape[0], batch_first=True)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(kernel.T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(recurrent_kernel.T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(bias.copy()))
        module.bias_hh_l0.zero_()
    return module


def keras_gru_to_torch(weight, units):
    """Keras' gate blocks (z, r, h) to torch's (r, z, n) along the last axis."""
    z, r, h = np.split(weight, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


def torch_gru(kernel, recurrent_kernel, bias):
    units = recurrent_kernel.shape[0]
    module = torch.nn.GRU(kernel.shape[0], units, batch_first=True)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(keras_gru_to_torch(kernel, units).T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(keras_gru_to_torch(recurrent_kernel, units).T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(keras_gru_to_torch(bias[0], units)))
        module.bias_hh_l0.copy_(torch.from_numpy(keras_gru_to_torch(bias[1], units)))
    return module


def numpy_rnn(step, x, state):
    outputs = []
    for t in range(x.shape[1]):
        output, state = step(x[:, t], state)
        outputs.append(output)
    return np.stack(outputs, 1), state


# -- numbers against references --------------------------------------------------------------------
@pytest.mark.parametrize("path", [FUSED, GENERIC, dict(unroll=True)])
def test_lstm_matches_torch_lstm(engine, rng, path):
    x = rng.normal(size=(B, T, F)).astype("float32")
    layer = with_random_weights(layers.LSTM(U, return_sequences=True, return_state=True, **path), x, rng)
    outputs, h, c = layer(x)
    reference, (h_ref, c_ref) = torch_lstm(*layer.get_weights())(torch.from_numpy(x))
    np.testing.assert_allclose(to_numpy(outputs), reference.detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(to_numpy(h), h_ref[0].detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(to_numpy(c), c_ref[0].detach().numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("path", [FUSED, GENERIC, dict(unroll=True)])
def test_gru_matches_torch_gru(engine, rng, path):
    x = rng.normal(size=(B, T, F)).astype("float32")
    layer = with_random_weights(layers.GRU(U, return_sequences=True, return_state=True, **path), x, rng)
    outputs, h = layer(x)
    reference, h_ref = torch_gru(*layer.get_weights())(torch.from_numpy(x))
    np.testing.assert_allclose(to_numpy(outputs), reference.detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(to_numpy(h), h_ref[0].detach().numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("path", [FUSED, GENERIC])
def test_gru_reset_before_matches_numpy(engine, rng, path):
    x = rng.normal(size=(B, T, F)).astype("float32")
    layer = with_random_weights(layers.GRU(U, reset_after=False, return_sequences=True, **path), x, rng)
    kernel, recurrent_kernel, bias = layer.get_weights()
    assert bias.shape == (3 * U,)

    def step(x_t, h):
        x_z, x_r, x_h = np.split(x_t @ kernel + bias, 3, axis=-1)
        z = sigmoid(x_z + h @ recurrent_kernel[:, :U])
        r = sigmoid(x_r + h @ recurrent_kernel[:, U:2 * U])
        h = z * h + (1 - z) * np.tanh(x_h + (r * h) @ recurrent_kernel[:, 2 * U:])
        return h, h

    expected, _ = numpy_rnn(step, x, np.zeros((B, U), "float32"))
    np.testing.assert_allclose(to_numpy(layer(x)), expected, rtol=1e-5, atol=1e-5)


def test_simple_rnn_matches_numpy(engine, rng):
    x = rng.normal(size=(B, T, F)).astype("float32")
    layer = with_random_weights(layers.SimpleRNN(U, activation="relu", return_sequences=True), x, rng)
    kernel, recurrent_kernel, bias = layer.get_weights()
    expected, _ = numpy_rnn(lambda x_t, h: (np.maximum(x_t @ kernel + h @ recurrent_kernel + bias, 0),) * 2,
                            x, np.zeros((B, U), "float32"))
    out = assert_symbolic_matches_eager(layer, x)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("make", [
    lambda: layers.LSTM(U, activation="relu"),  # a custom activation: the generic scan
    lambda: layers.GRU(U, recurrent_activation="hard_sigmoid"),
])
def test_custom_activations_use_the_generic_scan_and_agree_with_the_cell(engine, rng, make):
    x = rng.normal(size=(B, T, F)).astype("float32")
    layer = with_random_weights(make(), x, rng)
    cell_loop = layers.RNN(layer.cell)
    np.testing.assert_allclose(to_numpy(layer(x)), to_numpy(cell_loop(x)), rtol=1e-6, atol=1e-6)


def test_weight_layouts_are_keras(engine):
    x = np.zeros((2, 3, F), "float32")
    shapes = {
        layers.LSTM(U): [(F, 4 * U), (U, 4 * U), (4 * U,)],
        layers.GRU(U): [(F, 3 * U), (U, 3 * U), (2, 3 * U)],
        layers.GRU(U, reset_after=False): [(F, 3 * U), (U, 3 * U), (3 * U,)],
        layers.SimpleRNN(U): [(F, U), (U, U), (U,)],
        layers.LSTM(U, use_bias=False): [(F, 4 * U), (U, 4 * U)],
    }
    for layer, expected in shapes.items():
        layer(x)
        assert [tuple(w.shape) for w in layer.get_weights()] == expected
        assert [v.name for v in layer.weights] == ["kernel", "recurrent_kernel", "bias"][:len(expected)]
    lstm = layers.LSTM(U, name="tagger")
    lstm(x)
    assert lstm.weights[0].path == "tagger/lstm_cell/kernel"
    bias = to_numpy(lstm.cell.bias)  # unit_forget_bias: ones on the forget gate, zeros elsewhere
    np.testing.assert_array_equal(bias, np.concatenate([np.zeros(U), np.ones(U), np.zeros(2 * U)]))
    recurrent = to_numpy(lstm.cell.recurrent_kernel)  # orthogonal rows
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(U), atol=1e-5)


# -- masks --------------------------------------------------------------------------------------------
MASKED = [
    lambda **kw: layers.LSTM(U, **kw),
    lambda **kw: layers.LSTM(U, use_cudnn=False, **kw),
    lambda **kw: layers.GRU(U, **kw),
    lambda **kw: layers.GRU(U, reset_after=False, **kw),
    lambda **kw: layers.SimpleRNN(U, **kw),
]


@pytest.mark.parametrize("make", MASKED)
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("padding", ["post", "pre"])
def test_padded_batch_equals_sequences_one_by_one(engine, rng, make, go_backwards, padding):
    lengths = [5, 2, 3]
    tokens = np.zeros((len(lengths), 5), "int32")
    for row, length in enumerate(lengths):
        values = rng.integers(1, 10, size=length)
        if padding == "post":
            tokens[row, :length] = values
        else:
            tokens[row, 5 - length:] = values
    embedding = layers.Embedding(10, F, mask_zero=True)
    rnn = make(return_state=True, go_backwards=go_backwards)
    inputs = layers.Input((None,), dtype="int32")
    model = Model(inputs, rnn(embedding(inputs)))
    batch = [to_numpy(t) for t in model(tokens)]
    for row, length in enumerate(lengths):
        alone = tokens[row:row + 1, :length] if padding == "post" else tokens[row:row + 1, 5 - length:]
        single = [to_numpy(t) for t in model(alone)]
        for got, expected in zip(batch, single):
            np.testing.assert_allclose(got[row], expected[0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make", MASKED)
def test_masked_sequence_outputs_carry_the_last_output(engine, rng, make):
    x = rng.normal(size=(2, 4, F)).astype("float32")
    mask = np.array([[True, True, False, False], [True, True, True, True]])
    layer = make(return_sequences=True)
    outputs = to_numpy(layer(x, mask=mask))
    np.testing.assert_allclose(outputs[0, 2], outputs[0, 1])
    np.testing.assert_allclose(outputs[0, 3], outputs[0, 1])
    zeroed = make(return_sequences=True, zero_output_for_mask=True)
    zeroed(x)
    zeroed.set_weights(layer.get_weights())
    zero_outputs = to_numpy(zeroed(x, mask=mask))
    np.testing.assert_allclose(zero_outputs[0, 2:], 0)
    np.testing.assert_allclose(zero_outputs[:, :2], outputs[:, :2], rtol=1e-6)


def test_output_mask_follows_return_sequences(engine):
    tokens = np.array([[1, 2, 0]], "int32")
    embedded = layers.Embedding(5, 2, mask_zero=True)(tokens)
    sequences = layers.LSTM(3, return_sequences=True)(embedded)
    np.testing.assert_array_equal(to_numpy(lamina.backend.common.masking.get_mask(sequences)), [[1, 1, 0]])
    assert lamina.backend.common.masking.get_mask(layers.LSTM(3)(embedded)) is None


# -- states -------------------------------------------------------------------------------------------
def test_initial_state_and_return_state(engine, rng):
    x = rng.normal(size=(B, T, F)).astype("float32")
    h0, c0 = (rng.normal(size=(B, U)).astype("float32") for _ in range(2))
    layer = with_random_weights(layers.LSTM(U, return_state=True), x, rng)
    output, h, c = layer(x, initial_state=[h0, c0])
    reference, (h_ref, c_ref) = torch_lstm(*layer.get_weights())(
        torch.from_numpy(x), (torch.from_numpy(h0)[None], torch.from_numpy(c0)[None]))
    np.testing.assert_allclose(to_numpy(output), h_ref[0].detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(to_numpy(c), c_ref[0].detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(to_numpy(output), to_numpy(h))
    # In a functional graph: an encoder's states start a decoder.
    inputs = layers.Input((T, F))
    _, enc_h, enc_c = layers.LSTM(U, return_state=True)(inputs)
    decoder = layers.LSTM(U, return_sequences=True)
    outputs = decoder(inputs, initial_state=[enc_h, enc_c])
    assert outputs.shape == (None, T, U)
    assert to_numpy(Model(inputs, outputs)(x)).shape == (B, T, U)
    with pytest.raises(ValueError, match="expects 2 initial state"):
        layer(x, initial_state=[h0])


def test_stateful_keeps_states_until_reset(engine, rng):
    x = rng.normal(size=(2, T, F)).astype("float32")
    layer = layers.GRU(U, stateful=True)
    first = to_numpy(layer(x))
    second = to_numpy(layer(x))
    assert not np.allclose(first, second)
    stateless = layers.GRU(U)
    stateless(x)
    stateless.set_weights(layer.get_weights()[-3:])
    np.testing.assert_allclose(second, to_numpy(stateless(x, initial_state=first)), rtol=1e-5, atol=1e-6)
    layer.reset_states()
    np.testing.assert_allclose(to_numpy(layer(x)), first, rtol=1e-6, atol=1e-6)
    assert [v.name for v in layer.non_trainable_weights] == ["rnn_state"]
    with pytest.raises(ValueError, match="fixed batch size"):
        layers.LSTM(U, stateful=True)(layers.Input((T, F)))


def test_stateful_lstm_trains_and_carries_states(engine, rng):
    x = rng.normal(size=(4, T, F)).astype("float32")
    model = Sequential([layers.Input((T, F), batch_size=4), layers.LSTM(U, stateful=True), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.train_on_batch(x, np.ones((4, 1), "float32"))
    model.train_on_batch(x, np.ones((4, 1), "float32"))
    states = [to_numpy(s) for s in model.layers[0].states]
    assert all(np.abs(s).sum() > 0 for s in states)
    model.layers[0].reset_states()
    assert all(np.abs(to_numpy(s)).sum() == 0 for s in model.layers[0].states)


def test_custom_cell_and_stacked_cells(engine, rng):
    class MinimalCell(layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight((input_shape[-1], self.units), name="kernel")

        def call(self, inputs, states):
            output = lamina.ops.matmul(inputs, self.kernel) + states[0]
            return output, [output]

    x = rng.normal(size=(B, T, F)).astype("float32")
    cell = MinimalCell(U)
    out = assert_symbolic_matches_eager(layers.RNN(cell, return_sequences=True), x)
    np.testing.assert_allclose(out, np.cumsum(x @ to_numpy(cell.kernel), axis=1), rtol=1e-5, atol=1e-5)

    first, second = layers.LSTMCell(U), layers.GRUCell(2)
    stacked = layers.RNN([first, second], return_state=True)
    output, (h1, c1), (h2,) = stacked(x)
    assert tuple(output.shape) == (B, 2) and tuple(c1.shape) == (B, U)
    hidden = layers.RNN(first, return_sequences=True)(x)
    np.testing.assert_allclose(to_numpy(output), to_numpy(layers.RNN(second)(hidden)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(h2), to_numpy(output))
    symbolic = stacked(layers.Input((T, F)))
    assert [s.shape for s in lamina.tree.flatten(symbolic)] == [(None, 2), (None, U), (None, U), (None, 2)]


# -- dropout, training, configs, errors -----------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda: layers.LSTM(U, dropout=0.5, seed=1),  # fused path, input dropout
    lambda: layers.LSTM(U, recurrent_dropout=0.5, seed=1),  # generic path
    lambda: layers.GRU(U, dropout=0.3, recurrent_dropout=0.3, seed=1),
    lambda: layers.SimpleRNN(U, dropout=0.5, recurrent_dropout=0.5, seed=1),
])
def test_dropout_changes_training_outputs_only(engine, rng, make):
    x = rng.normal(size=(B, T, F)).astype("float32")
    layer = make()
    inference = to_numpy(layer(x))
    np.testing.assert_allclose(to_numpy(layer(x, training=False)), inference)
    assert not np.allclose(to_numpy(layer(x, training=True)), inference)
    config = layer.get_config()
    config.update(dropout=0.0, recurrent_dropout=0.0)
    plain = type(layer).from_config(config)
    plain(x)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(to_numpy(plain(x)), inference, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make", [
    lambda: layers.LSTM(U), lambda: layers.GRU(U, reset_after=False), lambda: layers.SimpleRNN(U, unroll=True),
])
def test_gradients_flow(engine, rng, make):
    x = rng.normal(size=(8, T, F)).astype("float32")
    y = rng.normal(size=(8, 1)).astype("float32")
    assert_one_step_lowers_loss(Sequential([layers.Input((T, F)), make(), layers.Dense(1)]), x, y)


def test_masked_model_trains(engine, rng):
    tokens = rng.integers(0, 10, size=(8, T)).astype("int32")
    tokens[:, 3:] = 0
    y = rng.normal(size=(8, 1)).astype("float32")
    model = Sequential([layers.Input((T,), dtype="int32"), layers.Embedding(10, F, mask_zero=True),
                        layers.GRU(U), layers.Dense(1)])
    assert_one_step_lowers_loss(model, tokens, y)


@pytest.mark.parametrize("make", [
    lambda: layers.LSTM(U, return_sequences=True, go_backwards=True, dropout=0.1, unit_forget_bias=False),
    lambda: layers.GRU(U, reset_after=False, return_state=True, recurrent_regularizer="l2"),
    lambda: layers.SimpleRNN(U, activation="relu", stateful=True),
    lambda: layers.RNN([layers.LSTMCell(U), layers.SimpleRNNCell(2)], return_sequences=True),
])
def test_config_round_trip(engine, rng, make):
    x = rng.normal(size=(2, T, F)).astype("float32")
    layer = make()
    expected = lamina.tree.flatten(layer(x))
    clone = roundtrip(layer)
    if layer.stateful:  # the clone copied the states the first call left
        layer.reset_states()
        clone.reset_states()
        expected = lamina.tree.flatten(layer(x))
    for got, want in zip(lamina.tree.flatten(clone(x)), expected):
        np.testing.assert_allclose(to_numpy(got), to_numpy(want), rtol=1e-6)
    config = layer.get_config()
    assert "cell" not in config or isinstance(layer, layers.RNN) and type(layer) is layers.RNN


def test_lstm_config_has_keras_keys(engine):
    config = layers.LSTM(4).get_config()
    for key in ("units", "activation", "recurrent_activation", "unit_forget_bias", "recurrent_initializer",
                "dropout", "recurrent_dropout", "seed", "return_sequences", "return_state", "go_backwards",
                "stateful", "unroll", "zero_output_for_mask"):
        assert key in config
    assert config["recurrent_initializer"]["class_name"] == "OrthogonalInitializer"
    assert layers.LSTM(4, implementation=1).units == 4  # Keras 2's argument is accepted


@pytest.mark.parametrize("make, message", [
    (lambda: layers.LSTM(0), "units"),
    (lambda: layers.GRU(4, dropout=1.5), "dropout"),
    (lambda: layers.SimpleRNN(4, recurrent_dropout=-0.1), "recurrent_dropout"),
    (lambda: layers.LSTM(4, use_cudnn="yes"), "use_cudnn"),
    (lambda: layers.LSTM(4, implementation=3), "implementation"),
    (lambda: layers.RNN(object()), "cell"),
    (lambda: layers.StackedRNNCells([]), "cells"),
])
def test_bad_arguments_raise(engine, make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_input_rank_and_forced_fused_kernel_raise(engine):
    with pytest.raises(ValueError, match="lstm"):
        layers.LSTM(4)(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="use_cudnn=True"):
        layers.LSTM(4, activation="relu", use_cudnn=True)(np.zeros((2, 3, 2), "float32"))


@pytest.mark.parametrize("cls", [layers.SimpleRNN, layers.LSTM, layers.GRU])
@pytest.mark.parametrize("implementation", [0, 1, 2])
def test_implementation_is_accepted_and_changes_nothing(engine, rng, cls, implementation):
    """Keras 3 keeps `implementation` (0, 1 or 2) on the cell and leaves it out of the config; every value
    computes the same numbers."""
    x = rng.normal(size=(2, 4, 3)).astype("float32")
    layer = cls(3, implementation=implementation)
    reference = cls(3)
    out = layer(x)
    reference(x)
    reference.set_weights(layer.get_weights())
    assert layer.implementation == layer.cell.implementation == implementation
    assert "implementation" not in layer.get_config()
    np.testing.assert_allclose(to_numpy(out), to_numpy(reference(x)), rtol=1e-6)


def test_dropout_masks_are_float_for_bool_inputs(engine):
    """Keras' char-LSTM example feeds bool one-hot windows: the input dropout mask is in the compute dtype."""
    cell = layers.LSTMCell(U, dropout=0.5)
    mask = cell.get_dropout_mask(lamina.ops.convert_to_tensor(np.ones((2, F), bool)))
    assert lamina.ops.dtype(mask) == "float32"
    assert set(np.unique(to_numpy(mask))) <= {0.0, 2.0}
