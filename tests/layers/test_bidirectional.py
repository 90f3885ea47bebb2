"""Bidirectional: equal to a forward and a backward RNN run apart and merged, and to
torch.nn.LSTM(bidirectional=True) with converted weights; states, initial states, masks, weight order,
symbolic shapes, training, config round trips and errors."""

import numpy as np
import pytest
import torch
from layer_checks import assert_one_step_lowers_loss, assert_symbolic_matches_eager, roundtrip, to_numpy

from lamina import layers
from lamina.backend.common.masking import get_mask
from lamina.models import Model, Sequential

MERGES = {
    "concat": lambda f, b: np.concatenate([f, b], axis=-1),
    "sum": lambda f, b: f + b,
    "mul": lambda f, b: f * b,
    "ave": lambda f, b: (f + b) / 2,
}


def _inputs(rng, *shape):
    return rng.normal(size=shape).astype("float32")


def _apart(bidirectional, rnn_class, x, **kwargs):
    """The forward and backward outputs from two separately run RNNs with the wrapper's weights."""
    forward = rnn_class(**kwargs)
    backward = rnn_class(go_backwards=True, **kwargs)
    forward(x), backward(x)
    forward.set_weights(bidirectional.forward_layer.get_weights())
    backward.set_weights(bidirectional.backward_layer.get_weights())
    return to_numpy(forward(x)), to_numpy(backward(x))


@pytest.mark.parametrize("merge_mode", sorted(MERGES))
@pytest.mark.parametrize("return_sequences", [False, True])
def test_equals_two_rnns_run_apart(engine, rng, merge_mode, return_sequences):
    x = _inputs(rng, 2, 5, 3)
    layer = layers.Bidirectional(layers.LSTM(4, return_sequences=return_sequences), merge_mode=merge_mode)
    out = to_numpy(layer(x))
    forward, backward = _apart(layer, layers.LSTM, x, units=4, return_sequences=return_sequences)
    if return_sequences:
        backward = backward[:, ::-1]  # back in input time order
    np.testing.assert_allclose(out, MERGES[merge_mode](forward, backward), rtol=1e-5, atol=1e-6)


def test_merge_mode_none_returns_both_directions(engine, rng):
    x = _inputs(rng, 2, 4, 3)
    layer = layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode=None)
    forward_out, backward_out = layer(x)
    forward, backward = _apart(layer, layers.GRU, x, units=3, return_sequences=True)
    np.testing.assert_allclose(to_numpy(forward_out), forward, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(backward_out), backward[:, ::-1], rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape((None, 4, 3)) == ((None, 4, 3), (None, 4, 3))


def _torch_lstm(layer, input_size, units):
    """torch.nn.LSTM(bidirectional=True) with ``layer``'s weights (both use gate order i, f, c/g, o)."""
    module = torch.nn.LSTM(input_size, units, batch_first=True, bidirectional=True)
    with torch.no_grad():
        for suffix, direction in (("", layer.forward_layer), ("_reverse", layer.backward_layer)):
            kernel, recurrent_kernel, bias = direction.get_weights()
            getattr(module, f"weight_ih_l0{suffix}").copy_(torch.tensor(kernel.T))
            getattr(module, f"weight_hh_l0{suffix}").copy_(torch.tensor(recurrent_kernel.T))
            getattr(module, f"bias_ih_l0{suffix}").copy_(torch.tensor(bias))
            getattr(module, f"bias_hh_l0{suffix}").zero_()
    return module


def test_matches_torch_bidirectional_lstm_with_states(engine, rng):
    x = _inputs(rng, 3, 6, 4)
    layer = layers.Bidirectional(layers.LSTM(5, return_sequences=True, return_state=True,
                                             bias_initializer="glorot_uniform", unit_forget_bias=False))
    out, h_forward, c_forward, h_backward, c_backward = layer(x)
    expected, (h_n, c_n) = _torch_lstm(layer, 4, 5)(torch.tensor(x))
    np.testing.assert_allclose(to_numpy(out), expected.detach().numpy(), rtol=1e-5, atol=1e-5)
    for got, want in ((h_forward, h_n[0]), (c_forward, c_n[0]), (h_backward, h_n[1]), (c_backward, c_n[1])):
        np.testing.assert_allclose(to_numpy(got), want.detach().numpy(), rtol=1e-5, atol=1e-5)


def test_initial_state_first_half_forward_second_half_backward(engine, rng):
    x = _inputs(rng, 2, 5, 3)
    states = [_inputs(rng, 2, 4) for _ in range(4)]  # h, c forward; h, c backward
    layer = layers.Bidirectional(layers.LSTM(4, return_sequences=True))
    out = to_numpy(layer(x, initial_state=states))
    h0 = torch.tensor(np.stack([states[0], states[2]]))
    c0 = torch.tensor(np.stack([states[1], states[3]]))
    expected, _ = _torch_lstm(layer, 3, 4)(torch.tensor(x), (h0, c0))
    np.testing.assert_allclose(out, expected.detach().numpy(), rtol=1e-5, atol=1e-5)
    assert not np.allclose(out, to_numpy(layer(x)), atol=1e-3)  # the states made a difference


def test_initial_state_as_model_inputs(engine, rng):
    x = _inputs(rng, 2, 5, 3)
    states = [_inputs(rng, 2, 4) for _ in range(4)]
    sequence_input, state_inputs = layers.Input((5, 3)), [layers.Input((4,)) for _ in range(4)]
    layer = layers.Bidirectional(layers.LSTM(4))
    model = Model([sequence_input] + state_inputs, layer(sequence_input, initial_state=state_inputs))
    np.testing.assert_allclose(to_numpy(model([x] + states)), to_numpy(layer(x, initial_state=states)),
                               rtol=1e-6, atol=1e-6)


def test_weights_argument_sets_initial_weights(engine, rng):
    weights = [rng.normal(size=shape).astype("float32") for shape in [(3, 8), (2, 8), (8,)] * 2]
    layer = layers.Bidirectional(layers.LSTM(2), weights=weights)
    layer(_inputs(rng, 1, 4, 3))
    for got, want in zip(layer.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(got, want)


def test_stateful_reset(engine, rng):
    x = _inputs(rng, 2, 3, 3)
    layer = layers.Bidirectional(layers.LSTM(2, stateful=True))
    first = to_numpy(layer(x))
    assert layer.stateful and len(layer.states) == 4
    assert not np.allclose(to_numpy(layer(x)), first, atol=1e-4)  # carried on from the first call
    layer.reset_states()
    np.testing.assert_allclose(to_numpy(layer(x)), first, rtol=1e-6, atol=1e-6)
    with pytest.raises(AttributeError, match=r"Bidirectional 'bidirectional_1'.*stateful"):
        layers.Bidirectional(layers.LSTM(2)).reset_states()


def test_weights_forward_then_backward(engine):
    layer = layers.Bidirectional(layers.LSTM(4, name="lstm"))
    layer.build((None, 5, 3))
    assert [w.shape for w in layer.get_weights()] == [(3, 16), (4, 16), (16,)] * 2
    assert layer.forward_layer.name == "forward_lstm" and layer.backward_layer.name == "backward_lstm"
    assert layer.backward_layer.go_backwards and not layer.forward_layer.go_backwards
    assert [w.name for w in layer.weights] == ["kernel", "recurrent_kernel", "bias"] * 2
    forward_ids = {id(w) for w in layer.forward_layer.weights}
    assert {id(w) for w in layer.weights[:3]} == forward_ids


def test_fresh_weights_not_the_wrapped_layers(engine, rng):
    x = _inputs(rng, 2, 4, 3)
    lstm = layers.LSTM(3)
    lstm(x)
    layer = layers.Bidirectional(lstm)
    layer(x)
    assert all(w is not v for w in layer.weights for v in lstm.weights)


def test_backward_layer_given(engine, rng):
    x = _inputs(rng, 2, 5, 3)
    backward = layers.GRU(2, go_backwards=True, return_sequences=True)
    layer = layers.Bidirectional(layers.SimpleRNN(3, return_sequences=True), backward_layer=backward)
    out = to_numpy(layer(x))
    assert layer.backward_layer is backward and out.shape == (2, 5, 5)
    np.testing.assert_allclose(out[..., 3:], to_numpy(backward(x))[:, ::-1], rtol=1e-5, atol=1e-6)
    clone = roundtrip(layer)
    assert isinstance(clone.backward_layer, layers.GRU) and clone.backward_layer.units == 2
    np.testing.assert_allclose(to_numpy(clone(x)), out, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("return_sequences", [False, True])
def test_masked_batch_equals_each_sequence_alone(engine, rng, return_sequences):
    tokens = np.array([[3, 1, 4, 0, 0], [2, 2, 2, 2, 1], [5, 0, 0, 0, 0]], "int32")
    lengths = (tokens != 0).sum(axis=1)
    inputs = layers.Input((None,), dtype="int32")
    embedded = layers.Embedding(6, 3, mask_zero=True)(inputs)
    out = layers.Bidirectional(layers.LSTM(4, return_sequences=return_sequences))(embedded)
    model = Model(inputs, out)
    batch = to_numpy(model(tokens))
    for b, length in enumerate(lengths):
        alone = to_numpy(model(tokens[b:b + 1, :length]))[0]
        if return_sequences:
            np.testing.assert_allclose(batch[b, :length], alone, rtol=1e-5, atol=1e-6)
            np.testing.assert_array_equal(batch[b, length:], 0.0)  # masked steps read zeros
        else:
            np.testing.assert_allclose(batch[b], alone, rtol=1e-5, atol=1e-6)


def test_output_mask(engine):
    inputs = layers.Input((5,), dtype="int32")
    embedded = layers.Embedding(6, 3, mask_zero=True)(inputs)
    sequences = layers.Bidirectional(layers.LSTM(2, return_sequences=True))(embedded)
    assert get_mask(sequences).shape == (None, 5)
    assert get_mask(layers.Bidirectional(layers.LSTM(2))(embedded)) is None
    tokens = np.array([[1, 2, 0, 0, 0]], "int32")
    np.testing.assert_array_equal(to_numpy(get_mask(Model(inputs, sequences)(tokens))), tokens != 0)


@pytest.mark.parametrize("merge_mode", ["concat", None])
def test_symbolic_shapes_match_eager(engine, rng, merge_mode):
    x = _inputs(rng, 2, 4, 3)
    layer = layers.Bidirectional(layers.LSTM(3, return_sequences=True, return_state=True), merge_mode=merge_mode)
    symbolic = layer(layers.Input((4, 3)))
    eager = layer(x)
    assert len(symbolic) == len(eager) == (5 if merge_mode else 6)
    for s, e in zip(symbolic, eager, strict=True):
        assert s.shape == (None,) + tuple(e.shape[1:])
    assert list(layer.compute_output_shape((2, 4, 3))) == [tuple(e.shape) for e in eager]
    assert_symbolic_matches_eager(layers.Bidirectional(layers.GRU(3), merge_mode="sum"), x)


def test_trains(engine, rng):
    x = _inputs(rng, 8, 5, 3)
    y = _inputs(rng, 8, 1)
    model = Sequential([layers.Input((5, 3)), layers.Bidirectional(layers.LSTM(4)), layers.Dense(1)])
    assert_one_step_lowers_loss(model, x, y)


def test_config_round_trip(engine, rng):
    x = _inputs(rng, 2, 4, 3)
    layer = layers.Bidirectional(layers.LSTM(3, return_sequences=True), merge_mode="ave", name="bi")
    expected = to_numpy(layer(x))
    config = layer.get_config()
    assert config["merge_mode"] == "ave" and config["layer"]["class_name"] == "LSTM"
    assert config["backward_layer"]["config"]["go_backwards"] is True
    clone = roundtrip(layer)
    assert clone.forward_layer.name == layer.forward_layer.name == "forward_lstm"
    np.testing.assert_allclose(to_numpy(clone(x)), expected, rtol=1e-6, atol=1e-6)


def test_errors_name_the_layer(engine):
    with pytest.raises(ValueError, match=r"`layer` of Bidirectional.*Received: layer='lstm'"):
        layers.Bidirectional("lstm")
    with pytest.raises(ValueError, match=r"`layer` of Bidirectional.*recurrent.*go_backwards.*Received: layer=<Dense"):
        layers.Bidirectional(layers.Dense(2))
    with pytest.raises(ValueError, match=r"`merge_mode` of Bidirectional.*Received: merge_mode='max'"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match=r"Bidirectional.*different `go_backwards`"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2))
    with pytest.raises(ValueError, match=r"Bidirectional.*same `return_sequences`.*True \(forward\)"):
        layers.Bidirectional(layers.LSTM(2, return_sequences=True), backward_layer=layers.LSTM(2, go_backwards=True))
