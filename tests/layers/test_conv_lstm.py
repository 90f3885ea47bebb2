"""ConvLSTM1D/2D/3D against a step-by-step torch.nn.functional reference with the same weights, in both
data formats, with strides, padding and dilation; states, go_backwards, initial and kept (stateful) states,
masks, dropout, symbolic shapes, training, config round trips and errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from layer_checks import assert_one_step_lowers_loss, assert_symbolic_matches_eager, roundtrip, to_numpy

from lamina import layers
from lamina.models import Sequential

CONVS = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
LAYERS = {1: layers.ConvLSTM1D, 2: layers.ConvLSTM2D, 3: layers.ConvLSTM3D}


def _same_pads(sizes, windows, strides):
    """Keras "same" padding as torch's F.pad list (last spatial axis first; the odd extra cell after)."""
    pads = []
    for size, window, stride in zip(sizes, windows, strides):
        total = max((-(-size // stride) - 1) * stride + window - size, 0)
        pads.append((total // 2, total - total // 2))
    return [p for pair in reversed(pads) for p in pair]


def _conv(x, kernel, strides, padding, dilation):
    """Keras-semantics convolution of a channels_first tensor with a Keras ``(*k, in, out)`` kernel."""
    rank = kernel.dim() - 2
    weight = kernel.permute(rank + 1, rank, *range(rank))  # (out, in, *k)
    if padding == "same":
        windows = [(k - 1) * d + 1 for k, d in zip(kernel.shape[:rank], dilation)]
        x = F.pad(x, _same_pads(x.shape[2:], windows, strides))
    return CONVS[rank](x, weight, stride=strides, dilation=dilation)


def reference(x, weights, strides, padding, dilation, state=None, go_backwards=False):
    """Outputs ``(batch, time, filters, *spatial)`` and final ``(h, c)`` of a ConvLSTM on channels_first
    ``x`` ``(batch, time, channels, *spatial)``: each step convolves the input and ``h`` for all four gates."""
    kernel, recurrent_kernel, bias = (torch.tensor(w) for w in weights)
    rank = kernel.dim() - 2
    x = torch.tensor(x)
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    h = c = None
    if state is not None:
        h, c = (torch.tensor(s) for s in state)
    outputs = []
    for t in steps:
        z = _conv(x[:, t], kernel, strides, padding, dilation) + bias.reshape((-1,) + (1,) * rank)
        if h is None:
            h = c = torch.zeros_like(z[:, : z.shape[1] // 4])
        z = z + _conv(h, recurrent_kernel, (1,) * rank, "same", (1,) * rank)
        i, f, g, o = z.chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        outputs.append(h)
    return torch.stack(outputs, 1).numpy(), h.numpy(), c.numpy()


def _channels_last(a, time_axis=True):
    """channels_first -> channels_last for ``(batch, [time,] channels, *spatial)`` arrays."""
    lead = 2 if time_axis else 1
    return np.moveaxis(a, lead, -1)


def _random_weights(layer, rng):
    weights = [rng.normal(scale=0.4, size=w.shape).astype("float32") for w in layer.get_weights()]
    layer.set_weights(weights)
    return weights


GEOMETRIES = [  # rank, spatial, kernel_size, strides, padding, dilation
    (1, (7,), 3, 1, "valid", 1),
    (1, (7,), 2, 2, "same", 1),
    (2, (5, 6), (3, 2), 1, "same", 1),
    (2, (6, 7), 3, (2, 1), "valid", 1),
    (2, (7, 7), 2, 1, "same", 2),
    (3, (4, 3, 5), 2, 1, "valid", (1, 1, 2)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank, spatial, kernel_size, strides, padding, dilation", GEOMETRIES)
def test_matches_step_by_step_reference(engine, rng, data_format, rank, spatial, kernel_size, strides, padding,
                                        dilation):
    x = rng.normal(size=(2, 3, 2) + spatial).astype("float32")  # channels_first (batch, time, channels, ...)
    layer = LAYERS[rank](3, kernel_size, strides=strides, padding=padding, dilation_rate=dilation,
                         data_format=data_format, return_sequences=True, return_state=True)
    inputs = x if data_format == "channels_first" else _channels_last(x)
    layer(inputs)
    weights = _random_weights(layer, rng)
    outputs, h, c = (to_numpy(t) for t in layer(inputs))
    as_tuple = lambda v: (v,) * rank if isinstance(v, int) else tuple(v)
    expected, expected_h, expected_c = reference(x, weights, as_tuple(strides), padding, as_tuple(dilation))
    if data_format == "channels_last":
        expected, expected_h, expected_c = (_channels_last(expected), _channels_last(expected_h, False),
                                            _channels_last(expected_c, False))
    np.testing.assert_allclose(outputs, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(h, expected_h, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(c, expected_c, rtol=1e-5, atol=1e-5)
    assert layer.compute_output_shape(inputs.shape) == (outputs.shape, h.shape, c.shape)


def test_weights_are_keras_layout(engine):
    layer = layers.ConvLSTM2D(4, (3, 2), data_format="channels_last")
    layer.build((None, 5, 8, 8, 3))
    assert [w.shape for w in layer.get_weights()] == [(3, 2, 3, 16), (3, 2, 4, 16), (16,)]
    assert [w.name for w in layer.weights] == ["kernel", "recurrent_kernel", "bias"]
    bias = layer.get_weights()[2]
    np.testing.assert_array_equal(bias, np.r_[np.zeros(4), np.ones(4), np.zeros(8)])  # unit_forget_bias
    plain = layers.ConvLSTM1D(2, 3, data_format="channels_last", unit_forget_bias=False, use_bias=False)
    assert plain(np.ones((1, 2, 5, 1), "float32")).shape == (1, 3, 2)
    assert [w.name for w in plain.weights] == ["kernel", "recurrent_kernel"]


def test_last_output_go_backwards_and_initial_state(engine, rng):
    x = rng.normal(size=(2, 4, 2, 6)).astype("float32")  # channels_first
    state = [rng.normal(size=(2, 3, 6)).astype("float32") for _ in range(2)]
    layer = layers.ConvLSTM1D(3, 3, padding="same", data_format="channels_first", go_backwards=True)
    layer(x)
    weights = _random_weights(layer, rng)
    out = to_numpy(layer(x, initial_state=state))
    _, expected_h, _ = reference(x, weights, (1,), "same", (1,), state=state, go_backwards=True)
    np.testing.assert_allclose(out, expected_h, rtol=1e-5, atol=1e-5)


def test_cell_step_equals_one_step_of_the_layer(engine, rng):
    x = rng.normal(size=(2, 1, 5, 4, 2)).astype("float32")
    state = [rng.normal(size=(2, 5, 4, 3)).astype("float32") for _ in range(2)]
    layer = layers.ConvLSTM2D(3, 3, padding="same", data_format="channels_last", return_state=True)
    out, h, c = (to_numpy(t) for t in layer(x, initial_state=state))
    step_out, (step_h, step_c) = layer.cell(x[:, 0], state)
    for got, want in ((step_out, out), (step_h, h), (step_c, c)):
        np.testing.assert_allclose(to_numpy(got), want, rtol=1e-5, atol=1e-6)


def test_bidirectional_conv_lstm(engine, rng):
    x = rng.normal(size=(2, 4, 6, 2)).astype("float32")
    layer = layers.Bidirectional(layers.ConvLSTM1D(2, 3, data_format="channels_last", return_sequences=True))
    out = to_numpy(layer(x))
    backward = to_numpy(layer.backward_layer(x))
    assert out.shape == (2, 4, 4, 4) and layer.compute_output_shape((None, 4, 6, 2)) == (None, 4, 4, 4)
    np.testing.assert_allclose(out[..., 2:], backward[:, ::-1], rtol=1e-6, atol=1e-6)


def test_data_formats_agree(engine, rng):
    x = rng.normal(size=(2, 3, 5, 6, 2)).astype("float32")
    last = layers.ConvLSTM2D(3, 3, strides=2, padding="same", data_format="channels_last", return_sequences=True)
    first = layers.ConvLSTM2D(3, 3, strides=2, padding="same", data_format="channels_first", return_sequences=True)
    expected = to_numpy(last(x))
    first(np.moveaxis(x, -1, 2))
    first.set_weights(last.get_weights())
    np.testing.assert_allclose(np.moveaxis(to_numpy(first(np.moveaxis(x, -1, 2))), 2, -1), expected,
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("return_sequences", [False, True])
def test_masked_batch_equals_each_sequence_alone(engine, rng, return_sequences):
    x = rng.normal(size=(3, 5, 4, 2)).astype("float32")
    lengths = (5, 2, 3)
    mask = np.arange(5)[None, :] < np.array(lengths)[:, None]
    layer = layers.ConvLSTM1D(2, 3, padding="same", data_format="channels_last",
                              return_sequences=return_sequences)
    batch = to_numpy(layer(x, mask=mask))
    for b, length in enumerate(lengths):
        alone = to_numpy(layer(x[b:b + 1, :length]))[0]
        if return_sequences:
            np.testing.assert_allclose(batch[b, :length], alone, rtol=1e-5, atol=1e-6)
        else:
            np.testing.assert_allclose(batch[b], alone, rtol=1e-5, atol=1e-6)


def test_stateful_carries_states_between_calls(engine, rng):
    x = rng.normal(size=(2, 6, 5, 1)).astype("float32")
    layer = layers.ConvLSTM1D(2, 3, padding="same", data_format="channels_last", stateful=True,
                              return_sequences=True)
    whole = layers.ConvLSTM1D(2, 3, padding="same", data_format="channels_last", return_sequences=True)
    first = to_numpy(layer(x[:, :3]))
    whole(x)
    whole.set_weights([to_numpy(w) for w in layer.trainable_weights])
    second = to_numpy(layer(x[:, 3:]))
    np.testing.assert_allclose(np.concatenate([first, second], 1), to_numpy(whole(x)), rtol=1e-5, atol=1e-6)
    layer.reset_states()
    np.testing.assert_allclose(to_numpy(layer(x[:, :3])), first, rtol=1e-6, atol=1e-6)


def test_dropout_only_in_training(engine, rng):
    x = rng.normal(size=(2, 3, 6, 2)).astype("float32")
    layer = layers.ConvLSTM1D(3, 3, data_format="channels_last", dropout=0.5, recurrent_dropout=0.5, seed=1)
    inference = to_numpy(layer(x))
    np.testing.assert_array_equal(to_numpy(layer(x, training=False)), inference)
    assert not np.allclose(to_numpy(layer(x, training=True)), inference, atol=1e-4)


@pytest.mark.parametrize("return_state", [False, True])
def test_symbolic_shapes_match_eager(engine, rng, return_state):
    x = rng.normal(size=(2, 3, 6, 5, 2)).astype("float32")
    layer = layers.ConvLSTM2D(3, 2, data_format="channels_last", return_state=return_state)
    if not return_state:
        assert_symbolic_matches_eager(layer, x)
        return
    symbolic, eager = layer(layers.Input((3, 6, 5, 2))), layer(x)
    assert [s.shape for s in symbolic] == [(None,) + tuple(e.shape[1:]) for e in eager] == [(None, 5, 4, 3)] * 3


def test_trains(engine, rng):
    x = rng.normal(size=(4, 3, 6, 2)).astype("float32")
    y = rng.normal(size=(4, 1)).astype("float32")
    model = Sequential([layers.Input((3, 6, 2)), layers.ConvLSTM1D(2, 3, data_format="channels_last"),
                        layers.Flatten(), layers.Dense(1)])
    assert_one_step_lowers_loss(model, x, y)


def test_config_round_trip(engine, rng):
    x = rng.normal(size=(2, 3, 4, 5, 1)).astype("float32")
    layer = layers.ConvLSTM2D(2, (2, 3), strides=(2, 1), padding="same", data_format="channels_last",
                              recurrent_activation="hard_sigmoid", kernel_regularizer="l2", return_sequences=True)
    expected = to_numpy(layer(x))
    config = layer.get_config()
    assert "cell" not in config and config["filters"] == 2 and config["kernel_size"] == (2, 3)
    assert config["strides"] == (2, 1) and config["recurrent_activation"] == "hard_sigmoid"
    assert config["return_sequences"] is True and config["data_format"] == "channels_last"
    clone = roundtrip(layer)
    np.testing.assert_allclose(to_numpy(clone(x)), expected, rtol=1e-6, atol=1e-6)


def test_configured_data_format_is_the_default(engine):
    import lamina

    lamina.config.set_image_data_format("channels_first")
    assert layers.ConvLSTM2D(2, 3).data_format == "channels_first"
    assert layers.ConvLSTM2D(2, 3)(np.ones((1, 2, 3, 5, 5), "float32")).shape == (1, 2, 3, 3)


def test_errors_name_the_layer(engine):
    with pytest.raises(ValueError, match=r"`filters` of ConvLSTM2D.*Received: filters=0"):
        layers.ConvLSTM2D(0, 3)
    with pytest.raises(ValueError, match=r"`kernel_size` of ConvLSTM1D.*Received: kernel_size=\(3, 3\)"):
        layers.ConvLSTM1D(2, (3, 3))
    with pytest.raises(ValueError, match=r"`padding` of ConvLSTM2D.*Received: padding='causal'"):
        layers.ConvLSTM2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match=r"ConvLSTM2D.*strides > 1.*dilation_rate > 1"):
        layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match=r"`dropout` of ConvLSTM3D.*Received: dropout=1.5"):
        layers.ConvLSTM3D(2, 3, dropout=1.5)
    layer = layers.ConvLSTM2D(2, 3, data_format="channels_last")
    with pytest.raises(ValueError, match=r"conv_lstm2.*expected ndim=5, found ndim=4"):
        layer(np.ones((1, 2, 5, 5), "float32"))
    with pytest.raises(ValueError, match=r"ConvLSTM2D.*does not fit.*\(2, 2\)"):
        layers.ConvLSTM2D(2, 3, data_format="channels_last")(np.ones((1, 2, 2, 2, 1), "float32"))
    with pytest.raises(ValueError, match=r"ConvLSTM1D needs inputs with known spatial"):
        layers.ConvLSTM1D(2, 3, data_format="channels_last")(layers.Input((4, None, 2)))
