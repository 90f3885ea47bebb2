"""Adaptive average and max pooling (ops and layers) against torch.nn.functional's adaptive pooling, on
both engines and both data formats, through eager calls, symbolic shapes, jitted predict and training."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from layer_checks import assert_one_step_lowers_loss, assert_symbolic_matches_eager, roundtrip, to_numpy

import lamina
from lamina import layers, ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.models import Model

CL, CF = "channels_last", "channels_first"
TORCH = {
    "average": {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d},
    "max": {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d},
}
OPS = {"average": "adaptive_average_pool", "max": "adaptive_max_pool"}
LAYERS = {
    ("average", 1): layers.AdaptiveAveragePooling1D, ("average", 2): layers.AdaptiveAveragePooling2D,
    ("average", 3): layers.AdaptiveAveragePooling3D, ("max", 1): layers.AdaptiveMaxPooling1D,
    ("max", 2): layers.AdaptiveMaxPooling2D, ("max", 3): layers.AdaptiveMaxPooling3D,
}
# Channels-first input shapes and output sizes: bins that overlap (7 -> 3), split evenly, and an output
# larger than its input (2 -> 3: cells repeat).
GEOMETRIES = {1: ((2, 3, 7), (3,)), 2: ((2, 3, 5, 2), (3, 3)), 3: ((1, 2, 5, 4, 6), (2, 4, 4))}


def reference(mode, x_channels_first, output_size):
    n = x_channels_first.ndim - 2
    return TORCH[mode][n](torch.from_numpy(x_channels_first), output_size).numpy()


def in_format(x_channels_first, data_format):
    return x_channels_first if data_format == CF else np.moveaxis(x_channels_first, 1, -1)


@pytest.mark.parametrize("data_format", [CL, CF])
@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("mode", ["average", "max"])
def test_op_matches_torch(engine, rng, mode, rank, data_format):
    shape, output_size = GEOMETRIES[rank]
    x = rng.standard_normal(shape).astype("float32")
    expected = in_format(reference(mode, x, output_size), data_format)
    result = getattr(ops, OPS[mode])(in_format(x, data_format), output_size, data_format=data_format)
    np.testing.assert_allclose(to_numpy(result), expected, rtol=1e-5, atol=1e-6)
    symbolic = getattr(ops, OPS[mode])(SymbolicTensor((None, *in_format(x, data_format).shape[1:]), "float32"),
                                       output_size, data_format=data_format)
    assert symbolic.shape == (None, *expected.shape[1:]) and symbolic.dtype == ops.dtype(result)


def test_op_bins_by_hand(engine):
    # Length 5 into 3 bins: [0, 2), [1, 4), [3, 5) -- floor(i * 5 / 3) to ceil((i + 1) * 5 / 3).
    x = np.array([[[1.0], [2.0], [6.0], [3.0], [5.0]]], "float32")
    np.testing.assert_allclose(to_numpy(ops.adaptive_average_pool(x, 3, data_format=CL))[0, :, 0],
                               [1.5, 11 / 3, 4.0], rtol=1e-6)
    np.testing.assert_array_equal(to_numpy(ops.adaptive_max_pool(x, 3, data_format=CL))[0, :, 0], [2.0, 6.0, 5.0])


def test_op_dtypes_and_errors(engine):
    ints = np.arange(12, dtype="int32").reshape(1, 6, 2)
    assert ops.dtype(ops.adaptive_average_pool(ints, 2, data_format=CL)) == "float32"
    assert ops.adaptive_average_pool(SymbolicTensor((1, 6, 2), "int32"), 2, data_format=CL).dtype == "float32"
    with pytest.raises(ValueError, match=r"adaptive_max_pool.*output_size.*Received: output_size=0"):
        ops.adaptive_max_pool(np.ones((1, 4, 2), "float32"), 0)
    with pytest.raises(ValueError, match=r"adaptive_average_pool.*rank 3, 4 or 5.*\(4, 2\)"):
        ops.adaptive_average_pool(np.ones((4, 2), "float32"), 2)


@pytest.mark.parametrize("data_format", [CL, CF])
@pytest.mark.parametrize("mode, rank", sorted(LAYERS))
def test_layer_matches_torch_eager_and_symbolic(engine, rng, mode, rank, data_format):
    shape, output_size = GEOMETRIES[rank]
    x = rng.standard_normal(shape).astype("float32")
    layer = LAYERS[mode, rank](output_size, data_format=data_format)
    out = assert_symbolic_matches_eager(layer, in_format(x, data_format))
    np.testing.assert_allclose(out, in_format(reference(mode, x, output_size), data_format), rtol=1e-5, atol=1e-6)
    clone = roundtrip(layer)
    assert clone.output_size == output_size and clone.data_format == data_format


def test_layer_defaults_follow_the_configured_data_format(engine, rng):
    x = rng.standard_normal((2, 3, 6, 4)).astype("float32")
    lamina.config.set_image_data_format(CF)
    layer = layers.AdaptiveAveragePooling2D(2)
    assert layer.data_format == CF and layer.output_size == (2, 2)
    np.testing.assert_allclose(to_numpy(layer(x)), reference("average", x, (2, 2)), rtol=1e-5, atol=1e-6)


def test_in_a_jitted_model_predict_and_training(engine, rng):
    """Images of any size pool to one size: predict (a jitted step on JAX) matches torch, and a conv
    before the pooling trains through it."""
    inputs = layers.Input((None, None, 2))
    pooled = layers.AdaptiveMaxPooling2D((2, 3), data_format=CL)(inputs)
    model = Model(inputs, pooled)
    for height, width in ((5, 7), (4, 3)):
        x = rng.standard_normal((3, height, width, 2)).astype("float32")
        expected = np.moveaxis(reference("max", np.moveaxis(x, -1, 1).copy(), (2, 3)), 1, -1)
        np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)
    trainable = lamina.Sequential([
        layers.Input((6, 5, 2)), layers.Conv2D(3, 3, padding="same", data_format=CL),
        layers.AdaptiveAveragePooling2D((2, 2), data_format=CL), layers.Flatten(), layers.Dense(1),
    ])
    x = rng.standard_normal((8, 6, 5, 2)).astype("float32")
    assert_one_step_lowers_loss(trainable, x, rng.standard_normal((8, 1)).astype("float32"))


@pytest.mark.parametrize("cls, output_size, error, message", [
    (layers.AdaptiveAveragePooling1D, 0, ValueError, r"`output_size` of AdaptiveAveragePooling1D.*output_size=0"),
    (layers.AdaptiveMaxPooling2D, (2, 2, 2), ValueError, r"`output_size` of AdaptiveMaxPooling2D.*\(2, 2, 2\)"),
    (layers.AdaptiveMaxPooling3D, (2, -1, 2), ValueError, r"positive int.*output_size=\(2, -1, 2\)"),
    (layers.AdaptiveAveragePooling2D, "2", TypeError, r"`output_size` of AdaptiveAveragePooling2D.*'2'"),
    (layers.AdaptiveAveragePooling3D, 2.5, TypeError, r"type.*`output_size`.*float"),
])
def test_layer_validates_output_size(engine, cls, output_size, error, message):
    with pytest.raises(error, match=message):
        cls(output_size)


def test_layer_checks_input_rank(engine):
    layer = layers.AdaptiveAveragePooling2D(2, data_format=CL, name="adaptive")
    with pytest.raises(ValueError, match=r"adaptive.*expected ndim=4, found ndim=3"):
        layer(np.ones((2, 4, 3), "float32"))
