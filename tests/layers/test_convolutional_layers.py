"""Convolution layers against torch.nn.functional with the same weights (both data formats, strides, dilation,
groups, "same" with odd totals, causal), transposes against the gradient of the matching convolution,
shapes, training, config round trips and argument errors."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from layer_checks import (
    assert_one_step_lowers_loss,
    assert_symbolic_matches_eager,
    roundtrip,
    to_numpy,
)

import lamina
from lamina import layers
from lamina.models import Sequential

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
CONV_CLASSES = {1: layers.Conv1D, 2: layers.Conv2D, 3: layers.Conv3D}
TRANSPOSE_CLASSES = {1: layers.Conv1DTranspose, 2: layers.Conv2DTranspose, 3: layers.Conv3DTranspose}


# -- references -----------------------------------------------------------------------------------
def images(rng, batch, spatial, channels, data_format):
    """Random inputs in ``data_format`` and the same data channels-first (torch's layout)."""
    first = rng.standard_normal((batch, channels, *spatial)).astype("float32")
    return (np.moveaxis(first, 1, -1) if data_format == "channels_last" else first), first


def to_format(y_first, data_format):
    return np.moveaxis(y_first, 1, -1) if data_format == "channels_last" else y_first


def torch_kernel(kernel):
    """Keras ``(spatial..., a, b)`` as torch ``(b, a, spatial...)``."""
    n = kernel.ndim - 2
    return torch.from_numpy(np.ascontiguousarray(np.transpose(kernel, (n + 1, n, *range(n)))))


def keras_pads(sizes, kernel_size, strides, dilation, padding):
    """(before, after) per spatial dim: TF "same" (odd extra cell last), "causal" (all before) or none."""
    pads = []
    for size, k, s, d in zip(sizes, kernel_size, strides, dilation):
        span = (k - 1) * d + 1
        if padding == "same":
            total = max((math.ceil(size / s) - 1) * s + span - size, 0)
            pads.append((total // 2, total - total // 2))
        else:
            pads.append((span - 1, 0) if padding == "causal" else (0, 0))
    return pads


def torch_conv(x_first, kernel, strides, padding, dilation, groups=1):
    """Keras's convolution by torch: explicit padding, then an unpadded F.conv."""
    n = x_first.ndim - 2
    x = torch.from_numpy(x_first) if isinstance(x_first, np.ndarray) else x_first
    pads = keras_pads(x.shape[2:], kernel.shape[:n], strides, dilation, padding)
    x = F.pad(x, [a for pair in reversed(pads) for a in pair])
    return CONV[n](x, torch_kernel(kernel), stride=strides, dilation=dilation, groups=groups)


def transposed_reference(x_first, kernel, strides, padding, dilation, out_sizes):
    """A transposed convolution is the gradient of the convolution (same kernel, from ``out`` to ``in``
    channels) whose input has ``out_sizes``: the vector-Jacobian product with ``x``."""
    n = x_first.ndim - 2
    y = torch.zeros((x_first.shape[0], kernel.shape[-2], *out_sizes), requires_grad=True)
    forward = torch_conv(y, kernel, strides, padding, dilation)
    assert tuple(forward.shape[2:]) == tuple(x_first.shape[2:]), (forward.shape, x_first.shape, n)
    (grad,) = torch.autograd.grad(forward, y, torch.from_numpy(x_first))
    return grad.numpy()


def close(actual, expected):
    np.testing.assert_allclose(to_numpy(actual), expected, rtol=1e-5, atol=1e-5)


# -- plain convolutions ---------------------------------------------------------------------------
CONV_CASES = [
    # rank, spatial, channels, kwargs
    (1, (9,), 4, dict(filters=3, kernel_size=3)),
    (1, (10,), 4, dict(filters=6, kernel_size=4, strides=3, padding="same", groups=2)),
    (1, (9,), 3, dict(filters=2, kernel_size=3, dilation_rate=2, padding="causal")),
    (1, (8,), 2, dict(filters=2, kernel_size=2, strides=2, padding="causal")),
    (2, (7, 6), 3, dict(filters=4, kernel_size=(3, 2), strides=(2, 1), padding="same")),
    (2, (8, 8), 4, dict(filters=4, kernel_size=(2, 3), dilation_rate=(2, 1), groups=4, padding="same")),
    (2, (6, 5), 2, dict(filters=3, kernel_size=2, use_bias=False)),
    (3, (5, 4, 6), 2, dict(filters=3, kernel_size=(2, 3, 2), strides=(1, 2, 2), padding="same")),
    (3, (5, 5, 5), 4, dict(filters=2, kernel_size=3, dilation_rate=(1, 2, 1), groups=2)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank, spatial, channels, kwargs", CONV_CASES)
def test_conv_matches_torch(engine, rng, data_format, rank, spatial, channels, kwargs):
    x, x_first = images(rng, 2, spatial, channels, data_format)
    layer = CONV_CLASSES[rank](data_format=data_format, bias_initializer="random_normal", **kwargs)
    out = layer(x)
    strides = layer.strides
    expected = torch_conv(x_first, to_numpy(layer.kernel), strides, layer.padding, layer.dilation_rate,
                          kwargs.get("groups", 1)).numpy()
    if layer.use_bias:
        expected = expected + to_numpy(layer.bias).reshape((-1,) + (1,) * rank)
    close(out, to_format(expected, data_format))
    groups = kwargs.get("groups", 1)
    assert [(v.name, v.shape) for v in layer.weights][:1] == [
        ("kernel", layer.kernel_size + (channels // groups, kwargs["filters"]))]


def test_causal_output_depends_only_on_the_past(engine, rng):
    layer = layers.Conv1D(2, 3, padding="causal", dilation_rate=2, data_format="channels_last")
    x = rng.standard_normal((1, 10, 3)).astype("float32")
    changed = x.copy()
    changed[:, 6:] += 1.0
    before, after = to_numpy(layer(x)), to_numpy(layer(changed))
    assert before.shape == (1, 10, 2)
    np.testing.assert_allclose(before[:, :6], after[:, :6], rtol=1e-6)
    assert not np.allclose(before[:, 6:], after[:, 6:])


def test_conv_activation_and_default_data_format(engine, rng):
    lamina.config.set_image_data_format("channels_first")
    layer = layers.Conv2D(3, 2, activation="relu")
    assert layer.data_format == "channels_first"
    x = rng.standard_normal((2, 4, 5, 5)).astype("float32")
    out = to_numpy(layer(x))
    assert out.shape == (2, 3, 4, 4) and out.min() == 0.0
    expected = np.maximum(torch_conv(x, to_numpy(layer.kernel), (1, 1), "valid", (1, 1)).numpy(), 0)
    close(out, expected)
    lamina.config.set_image_data_format("channels_last")
    assert layers.Conv2D(3, 2).data_format == "channels_last"


# -- transposed convolutions ----------------------------------------------------------------------
TRANSPOSE_CASES = [
    # rank, spatial, channels, kwargs, keras output spatial dims
    (1, (4,), 3, dict(filters=2, kernel_size=3, strides=2), (9,)),
    (1, (4,), 2, dict(filters=3, kernel_size=2, strides=3), (12,)),  # stride above the window: zeros appended
    (1, (5,), 2, dict(filters=2, kernel_size=4, strides=2, padding="same"), (10,)),
    (1, (4,), 2, dict(filters=2, kernel_size=3, strides=2, padding="same", output_padding=1), (8,)),
    (2, (3, 4), 2, dict(filters=3, kernel_size=(3, 2), strides=(2, 1), padding="same"), (6, 4)),
    (2, (3, 3), 3, dict(filters=2, kernel_size=3, dilation_rate=2), (7, 7)),
    (2, (3, 4), 2, dict(filters=2, kernel_size=(4, 3), strides=2, padding="same", output_padding=(1, 0)), (5, 7)),
    (2, (3, 3), 2, dict(filters=2, kernel_size=2, strides=2, padding="valid", output_padding=1), (7, 7)),
    (3, (2, 3, 2), 2, dict(filters=2, kernel_size=(2, 3, 2), strides=(2, 1, 2), padding="same"), (4, 3, 4)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank, spatial, channels, kwargs, out_spatial", TRANSPOSE_CASES)
def test_conv_transpose_is_the_gradient_of_conv(engine, rng, data_format, rank, spatial, channels, kwargs,
                                               out_spatial):
    x, x_first = images(rng, 2, spatial, channels, data_format)
    layer = TRANSPOSE_CLASSES[rank](data_format=data_format, bias_initializer="random_normal", **kwargs)
    out = layer(x)
    kernel = to_numpy(layer.kernel)
    assert kernel.shape == layer.kernel_size + (kwargs["filters"], channels)
    expected = transposed_reference(x_first, kernel, layer.strides, layer.padding, layer.dilation_rate,
                                    out_spatial)
    expected = expected + to_numpy(layer.bias).reshape((-1,) + (1,) * rank)
    close(out, to_format(expected, data_format))
    assert layer.compute_output_shape((None, *x.shape[1:])) == (None, *out.shape[1:])


def test_conv_transpose_matches_torch_conv_transpose(engine, rng):
    x, x_first = images(rng, 2, (4, 5), 3, "channels_first")
    layer = layers.Conv2DTranspose(2, (3, 2), strides=(2, 2), data_format="channels_first", use_bias=False)
    out = layer(x)  # "valid", window >= stride: torch's unpadded transposed convolution
    kernel = to_numpy(layer.kernel)  # (3, 2, out, in): torch wants (in, out, 3, 2)
    weight = torch.from_numpy(np.ascontiguousarray(np.transpose(kernel, (3, 2, 0, 1))))
    close(out, F.conv_transpose2d(torch.from_numpy(x_first), weight, stride=2).numpy())


# -- depthwise and separable ----------------------------------------------------------------------
DEPTHWISE_CASES = [
    (1, (9,), 3, dict(kernel_size=3, depth_multiplier=2)),
    (1, (10,), 2, dict(kernel_size=4, strides=3, padding="same")),
    (2, (7, 6), 3, dict(kernel_size=(3, 2), dilation_rate=(2, 1), padding="same", depth_multiplier=2)),
    (2, (6, 6), 2, dict(kernel_size=2, strides=2)),
]


def depthwise_reference(x_first, depthwise, strides, padding, dilation):
    """Each channel convolved with its own ``depth_multiplier`` filters: a grouped convolution."""
    *spatial, channels, multiplier = depthwise.shape
    grouped = depthwise.reshape(*spatial, 1, channels * multiplier)
    return torch_conv(x_first, grouped, strides, padding, dilation, groups=channels).numpy()


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank, spatial, channels, kwargs", DEPTHWISE_CASES)
def test_depthwise_conv_matches_torch(engine, rng, data_format, rank, spatial, channels, kwargs):
    x, x_first = images(rng, 2, spatial, channels, data_format)
    cls = {1: layers.DepthwiseConv1D, 2: layers.DepthwiseConv2D}[rank]
    layer = cls(data_format=data_format, bias_initializer="random_normal", **kwargs)
    out = layer(x)
    multiplier = kwargs.get("depth_multiplier", 1)
    assert [(v.name, v.shape) for v in layer.weights] == [
        ("kernel", layer.kernel_size + (channels, multiplier)), ("bias", (channels * multiplier,))]
    expected = depthwise_reference(x_first, to_numpy(layer.kernel), layer.strides, layer.padding,
                                   layer.dilation_rate) + to_numpy(layer.bias).reshape((-1,) + (1,) * rank)
    close(out, to_format(expected, data_format))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank, spatial, channels, kwargs", DEPTHWISE_CASES)
def test_separable_conv_matches_torch(engine, rng, data_format, rank, spatial, channels, kwargs):
    x, x_first = images(rng, 2, spatial, channels, data_format)
    cls = {1: layers.SeparableConv1D, 2: layers.SeparableConv2D}[rank]
    layer = cls(4, data_format=data_format, bias_initializer="random_normal", **kwargs)
    out = layer(x)
    multiplier = kwargs.get("depth_multiplier", 1)
    assert [(v.name, v.shape) for v in layer.weights] == [
        ("depthwise_kernel", layer.kernel_size + (channels, multiplier)),
        ("pointwise_kernel", (1,) * rank + (channels * multiplier, 4)), ("bias", (4,))]
    depthwise = depthwise_reference(x_first, to_numpy(layer.depthwise_kernel), layer.strides, layer.padding,
                                    layer.dilation_rate)
    expected = torch_conv(depthwise, to_numpy(layer.pointwise_kernel), (1,) * rank, "valid", (1,) * rank).numpy()
    close(out, to_format(expected + to_numpy(layer.bias).reshape((-1,) + (1,) * rank), data_format))


# -- shapes, training, configs --------------------------------------------------------------------
SHAPE_CASES = [
    (layers.Conv1D(3, 3, padding="causal", data_format="channels_last"), (2, 7, 2)),
    (layers.Conv2D(3, 3, strides=2, padding="same", data_format="channels_first"), (2, 2, 7, 5)),
    (layers.Conv3D(2, 2, data_format="channels_last"), (2, 3, 4, 3, 2)),
    (layers.Conv1DTranspose(2, 3, strides=2, data_format="channels_first"), (2, 3, 4)),
    (layers.Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=1, data_format="channels_last"),
     (2, 3, 4, 2)),
    (layers.Conv3DTranspose(2, 2, strides=2, data_format="channels_first"), (2, 2, 2, 3, 2)),
    (layers.DepthwiseConv2D(3, depth_multiplier=2, data_format="channels_first"), (2, 3, 5, 5)),
    (layers.SeparableConv1D(4, 3, padding="same", data_format="channels_last"), (2, 6, 3)),
]


@pytest.mark.parametrize("index", range(len(SHAPE_CASES)))
def test_symbolic_shape_matches_eager(engine, rng, index):
    layer, shape = SHAPE_CASES[index]
    layer = roundtrip(layer)  # a fresh layer per engine run
    assert_symbolic_matches_eager(layer, rng.standard_normal(shape).astype("float32"))


@pytest.mark.parametrize("make_layer, shape", [
    (lambda: layers.Conv1D(4, 3, padding="causal", activation="relu", data_format="channels_last"), (6, 2)),
    (lambda: layers.Conv2D(4, 3, groups=2, data_format="channels_first"), (2, 5, 5)),
    (lambda: layers.Conv2DTranspose(2, 2, strides=2, data_format="channels_last"), (3, 3, 2)),
    (lambda: layers.SeparableConv2D(3, 2, data_format="channels_last"), (4, 4, 2)),
    (lambda: layers.DepthwiseConv1D(2, data_format="channels_first"), (3, 5)),
])
def test_a_model_with_the_layer_trains(engine, rng, make_layer, shape):
    model = Sequential([layers.Input(shape), make_layer(), layers.Flatten(), layers.Dense(1)])
    x = rng.standard_normal((8, *shape)).astype("float32")
    y = rng.standard_normal((8, 1)).astype("float32")
    assert_one_step_lowers_loss(model, x, y)


def test_config_keeps_every_argument(engine):
    layer = layers.Conv2D(4, (3, 2), strides=(2, 1), padding="same", data_format="channels_first", groups=2,
                          activation="relu", use_bias=False, kernel_initializer="he_normal",
                          kernel_regularizer="l2", bias_constraint="non_neg")
    config = layer.get_config()
    assert config["kernel_size"] == (3, 2) and config["strides"] == (2, 1) and config["dilation_rate"] == (1, 1)
    assert config["groups"] == 2 and config["padding"] == "same" and config["data_format"] == "channels_first"
    clone = layers.Conv2D.from_config(config)
    assert clone.get_config() == {**config, "name": clone.name}
    transpose = layers.Conv1DTranspose(2, 3, strides=2, output_padding=1, data_format="channels_last")
    assert transpose.get_config()["output_padding"] == (1,)
    assert layers.Convolution2D is layers.Conv2D and layers.SeparableConvolution1D is layers.SeparableConv1D
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose


def test_kernel_regularizer_adds_a_loss(engine, rng):
    layer = layers.Conv1D(2, 2, kernel_regularizer=lamina.regularizers.L2(0.1), data_format="channels_last")
    layer(rng.standard_normal((1, 4, 2)).astype("float32"))
    (loss,) = layer.losses
    np.testing.assert_allclose(to_numpy(loss), 0.1 * (to_numpy(layer.kernel) ** 2).sum(), rtol=1e-5)


# -- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, message", [
    (lambda: layers.Conv2D(0, 3), r"`filters` of Conv2D.*Received: filters=0"),
    (lambda: layers.Conv2D(4, (3, 3, 3)), r"`kernel_size` of Conv2D.*tuple of 2.*Received: kernel_size=\(3, 3, 3\)"),
    (lambda: layers.Conv2D(4, 3, padding="causal"), r"`padding` of Conv2D.*Received: padding='causal'"),
    (lambda: layers.Conv1D(4, 3, padding="full"), r"`padding` of Conv1D.*'causal'.*Received: padding='full'"),
    (lambda: layers.Conv1D(4, 3, strides=2, dilation_rate=2), r"Conv1D.*strides=\(2,\) and dilation_rate=\(2,\)"),
    (lambda: layers.Conv2D(5, 3, groups=2), r"`groups` of Conv2D.*filters=5.*Received: groups=2"),
    (lambda: layers.Conv2DTranspose(4, 3, strides=2, output_padding=2),
     r"`output_padding` of Conv2DTranspose.*Received: output_padding=2"),
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0), r"`depth_multiplier` of DepthwiseConv2D"),
    (lambda: layers.SeparableConv1D(2, 3, strides=-1), r"`strides` of SeparableConv1D.*Received: strides=-1"),
])
def test_bad_arguments_raise(engine, make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_input_shapes_raise(engine, rng):
    layer = layers.Conv2D(2, 3, name="conv_a", data_format="channels_last")
    with pytest.raises(ValueError, match=r"Conv2D .conv_a. must have rank 4.*Received input shape \(2, 5, 3\)"):
        layer(rng.standard_normal((2, 5, 3)).astype("float32"))
    layer(rng.standard_normal((2, 5, 5, 3)).astype("float32"))
    with pytest.raises(ValueError, match=r"conv_a.*axis -1 of input shape to have value 3"):
        layer(rng.standard_normal((2, 5, 5, 4)).astype("float32"))
    with pytest.raises(ValueError, match=r"Conv2D 'conv_b' cannot take inputs of shape \(2, 2, 5, 3\)"):
        layers.Conv2D(2, 3, name="conv_b", data_format="channels_last")(np.zeros((2, 2, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"conv_c.*divisible by groups=2. Received 3 input channels"):
        layers.Conv1D(2, 3, groups=2, name="conv_c", data_format="channels_last")(np.zeros((1, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"channel dimension.*conv_d.*\(None, 5, None\)"):
        layers.Conv1D(2, 3, name="conv_d", data_format="channels_last").compute_output_shape((None, 5, None))
