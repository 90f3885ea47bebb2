"""Pooling layers against a brute-force NumPy reference and torch's pooling (both data formats, strides,
"same" with odd totals), global pooling with keepdims and masks, shapes, training, configs and errors."""

import itertools
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

from lamina import layers
from lamina.models import Sequential

POOLS = {("max", 1): layers.MaxPooling1D, ("max", 2): layers.MaxPooling2D, ("max", 3): layers.MaxPooling3D,
         ("average", 1): layers.AveragePooling1D, ("average", 2): layers.AveragePooling2D,
         ("average", 3): layers.AveragePooling3D}
GLOBALS = {("max", 1): layers.GlobalMaxPooling1D, ("max", 2): layers.GlobalMaxPooling2D,
           ("max", 3): layers.GlobalMaxPooling3D, ("average", 1): layers.GlobalAveragePooling1D,
           ("average", 2): layers.GlobalAveragePooling2D, ("average", 3): layers.GlobalAveragePooling3D}


def numpy_pool(x_first, pool_size, strides, padding, mode):
    """Every window of a channels-first array, cut to the cells inside the input (Keras's "same")."""
    spatial = x_first.shape[2:]
    if padding == "same":
        outs = [math.ceil(size / s) for size, s in zip(spatial, strides, strict=True)]
        befores = [max((o - 1) * s + p - size, 0) // 2
                   for o, s, p, size in zip(outs, strides, pool_size, spatial, strict=True)]
    else:
        outs = [(size - p) // s + 1 for size, p, s in zip(spatial, pool_size, strides, strict=True)]
        befores = [0] * len(spatial)
    result = np.zeros(x_first.shape[:2] + tuple(outs), x_first.dtype)
    reduce = np.max if mode == "max" else np.mean
    for index in itertools.product(*map(range, outs)):
        window = tuple(slice(max(i * s - b, 0), min(i * s - b + p, size))
                       for i, s, b, p, size in zip(index, strides, befores, pool_size, spatial, strict=True))
        axes = tuple(range(2, 2 + len(spatial)))
        result[(slice(None), slice(None), *index)] = reduce(x_first[(slice(None), slice(None), *window)], axis=axes)
    return result


def images(rng, shape_first, data_format):
    first = rng.standard_normal(shape_first).astype("float32")
    return (np.moveaxis(first, 1, -1) if data_format == "channels_last" else first), first


def to_format(y_first, data_format):
    return np.moveaxis(y_first, 1, -1) if data_format == "channels_last" else y_first


POOL_CASES = [
    (1, (9,), dict(pool_size=2)),
    (1, (10,), dict(pool_size=3, strides=2, padding="same")),  # odd total: the extra cell after
    (1, (7,), dict(pool_size=4, strides=1, padding="same")),
    (2, (7, 6), dict(pool_size=(3, 2), strides=(2, 1), padding="same")),
    (2, (6, 5), dict(pool_size=2)),
    (3, (5, 4, 6), dict(pool_size=(2, 3, 2), strides=(1, 2, 2), padding="same")),
    (3, (4, 4, 5), dict(pool_size=2, strides=(2, 1, 2))),
]


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank, spatial, kwargs", POOL_CASES)
def test_pooling_matches_numpy(engine, rng, mode, data_format, rank, spatial, kwargs):
    x, x_first = images(rng, (2, 3, *spatial), data_format)
    layer = POOLS[mode, rank](data_format=data_format, **kwargs)
    out = layer(x)
    expected = numpy_pool(x_first, layer.pool_size, layer.strides, layer.padding, mode)
    np.testing.assert_allclose(to_numpy(out), to_format(expected, data_format), rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape(x.shape) == tuple(out.shape)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_valid_pooling_matches_torch(engine, rng, rank):
    x, x_first = images(rng, (2, 3) + (6,) * rank, "channels_last")
    torch_max = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[rank]
    torch_avg = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[rank]
    for mode, reference in (("max", torch_max), ("average", torch_avg)):
        out = POOLS[mode, rank](3, strides=2, data_format="channels_last")(x)
        expected = reference(torch.from_numpy(x_first), 3, 2).numpy()
        np.testing.assert_allclose(to_numpy(out), np.moveaxis(expected, 1, -1), rtol=1e-5, atol=1e-6)


def test_pooling_defaults_and_aliases(engine):
    layer = layers.MaxPooling2D()
    assert layer.pool_size == (2, 2) and layer.strides == (2, 2) and layer.padding == "valid"
    assert layers.AveragePooling3D().pool_size == (2, 2, 2)
    assert layers.MaxPool1D is layers.MaxPooling1D and layers.AvgPool2D is layers.AveragePooling2D
    assert layers.GlobalAvgPool1D is layers.GlobalAveragePooling1D
    assert layers.GlobalMaxPool3D is layers.GlobalMaxPooling3D
    config = layers.AveragePooling1D(3, padding="same", data_format="channels_first").get_config()
    assert config["pool_size"] == (3,) and config["strides"] == (3,) and config["data_format"] == "channels_first"


# -- global pooling -------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_pooling(engine, rng, mode, data_format, rank, keepdims):
    x, x_first = images(rng, (2, 3) + (4,) * rank, data_format)
    layer = GLOBALS[mode, rank](data_format=data_format, keepdims=keepdims)
    out = to_numpy(layer(x))
    axes = tuple(range(2, 2 + rank))
    expected = (np.max if mode == "max" else np.mean)(x_first, axis=axes, keepdims=keepdims)
    if keepdims:
        expected = to_format(expected, data_format)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape(x.shape) == out.shape


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_global_pooling_1d_leaves_masked_steps_out(engine, rng, mode, data_format):
    lengths = [3, 5, 1]
    steps = [rng.standard_normal((n, 2)).astype("float32") - 5 for n in lengths]  # padding zeros would win a max
    padded = np.zeros((3, 5, 2), "float32")
    for row, values in zip(padded, steps, strict=True):
        row[: len(values)] = values
    mask = np.arange(5)[None, :] < np.array(lengths)[:, None]
    if data_format == "channels_first":
        padded, steps = padded.transpose(0, 2, 1), [s.T for s in steps]
    layer = GLOBALS[mode, 1](data_format=data_format)
    batched = to_numpy(layer(padded, mask=mask))
    for row, values in zip(batched, steps, strict=True):
        one = to_numpy(layer(values[None]))[0]
        np.testing.assert_allclose(row, one, rtol=1e-5, atol=1e-6)
    # Through a model: Masking makes the mask, the pooling reads it.
    if data_format == "channels_last":
        model = Sequential([layers.Input((5, 2)), layers.Masking(0.0), layer])
        np.testing.assert_allclose(to_numpy(model(padded)), batched, rtol=1e-5, atol=1e-6)


# -- shapes, training, errors ---------------------------------------------------------------------
@pytest.mark.parametrize("make, shape", [
    (lambda: layers.MaxPooling1D(3, data_format="channels_last"), (2, 7, 3)),
    (lambda: layers.AveragePooling2D(2, strides=1, padding="same", data_format="channels_first"), (2, 3, 5, 4)),
    (lambda: layers.MaxPooling3D(2, padding="same", data_format="channels_last"), (2, 3, 4, 5, 2)),
    (lambda: layers.GlobalAveragePooling2D(data_format="channels_first", keepdims=True), (2, 3, 4, 4)),
    (lambda: layers.GlobalMaxPooling1D(data_format="channels_last"), (2, 6, 3)),
])
def test_symbolic_shape_matches_eager_and_round_trips(engine, rng, make, shape):
    x = rng.standard_normal(shape).astype("float32")
    layer = make()
    expected = assert_symbolic_matches_eager(layer, x)
    np.testing.assert_allclose(to_numpy(roundtrip(layer)(x)), expected, rtol=1e-6)


@pytest.mark.parametrize("pool", [
    lambda: layers.MaxPooling2D(2, data_format="channels_last"),
    lambda: layers.AveragePooling2D(2, data_format="channels_last"),
    lambda: layers.GlobalMaxPooling2D(data_format="channels_last"),
])
def test_gradients_flow_through_pooling(engine, rng, pool):
    model = Sequential([layers.Input((4, 4, 2)), layers.Conv2D(3, 1, data_format="channels_last"), pool(),
                        layers.Flatten(), layers.Dense(1)])
    x = rng.standard_normal((8, 4, 4, 2)).astype("float32")
    y = rng.standard_normal((8, 1)).astype("float32")
    assert_one_step_lowers_loss(model, x, y)


@pytest.mark.parametrize("make, message", [
    (lambda: layers.MaxPooling2D((2, 2, 2)), r"`pool_size` of MaxPooling2D.*Received: pool_size=\(2, 2, 2\)"),
    (lambda: layers.AveragePooling1D(2, strides=0), r"`strides` of AveragePooling1D.*Received: strides=0"),
    (lambda: layers.MaxPooling1D(2, padding="causal"), r"`padding` of MaxPooling1D.*Received: padding='causal'"),
    (lambda: layers.GlobalAveragePooling2D(data_format="nhwc"), r"`data_format`.*Received: data_format=nhwc"),
    (lambda: layers.MaxPooling3D(0), r"`pool_size` of MaxPooling3D.*positive.*Received: pool_size=0"),
    (lambda: layers.AveragePooling2D(2, strides=(1, -1)), r"`strides` of AveragePooling2D.*strides=\(1, -1\)"),
    (lambda: layers.MaxPooling1D(True), r"`pool_size` of MaxPooling1D.*Received: pool_size=True"),
])
def test_bad_arguments_raise(engine, make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_input_shapes_raise(engine):
    with pytest.raises(ValueError, match=r"pool_a.*ndim=4, found ndim=3|pool_a.*rank 4"):
        layers.MaxPooling2D(name="pool_a", data_format="channels_last")(np.zeros((2, 4, 4), "float32"))
    with pytest.raises(ValueError, match=r"MaxPooling1D 'pool_b'.*does not fit.*\(2, 2, 3\)"):
        layers.MaxPooling1D(3, name="pool_b", data_format="channels_last")(np.zeros((2, 2, 3), "float32"))
    with pytest.raises(ValueError, match=r"pool_c.*ndim=3, found ndim=4|pool_c.*rank 3"):
        layers.GlobalMaxPooling1D(name="pool_c")(np.zeros((2, 4, 4, 1), "float32"))
