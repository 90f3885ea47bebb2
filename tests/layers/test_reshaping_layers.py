"""Flatten, Reshape, Permute and RepeatVector: numbers against NumPy, symbolic shapes and dtypes that match
eager ones, config round trips, and errors that name the layer and the shapes."""

import numpy as np
import pytest
from layer_checks import assert_symbolic_matches_eager, roundtrip, to_numpy

import lamina
from lamina import layers
from lamina.models import Sequential


# -- Flatten --------------------------------------------------------------------------------------
def test_flatten_channels_last(engine, rng):
    x = rng.normal(size=(2, 3, 4, 5)).astype("float32")
    out = assert_symbolic_matches_eager(layers.Flatten(data_format="channels_last"), x)
    np.testing.assert_array_equal(out, x.reshape(2, 60))


def test_flatten_channels_first_moves_channels_last(engine, rng):
    x = rng.normal(size=(2, 3, 4, 5)).astype("float32")
    out = to_numpy(layers.Flatten(data_format="channels_first")(x))
    np.testing.assert_array_equal(out, np.transpose(x, (0, 2, 3, 1)).reshape(2, 60))
    assert not np.array_equal(out, x.reshape(2, 60))
    lamina.config.set_image_data_format("channels_first")
    layer = layers.Flatten()
    assert layer.data_format == "channels_first"
    np.testing.assert_array_equal(to_numpy(layer(x)), out)


def test_flatten_low_ranks_and_unknown_dims(engine):
    np.testing.assert_array_equal(to_numpy(layers.Flatten()(np.arange(3, dtype="float32"))), [[0.0], [1.0], [2.0]])
    x = np.arange(6, dtype="int32").reshape(2, 3)
    out = assert_symbolic_matches_eager(layers.Flatten(), x)  # int dtype kept, symbolically too
    np.testing.assert_array_equal(out, x)
    assert layers.Flatten().compute_output_shape((None, None, 3)) == (None, None)
    assert layers.Flatten()(layers.Input((None, 3))).shape == (None, None)


def test_flatten_config(engine):
    clone = roundtrip(layers.Flatten(data_format="channels_first"))
    assert clone.data_format == "channels_first"
    with pytest.raises(ValueError, match="data_format"):
        layers.Flatten(data_format="channels_middle")


def test_flatten_in_sequential(engine, rng):
    model = Sequential([layers.Input((3, 4)), layers.Flatten(data_format="channels_last"), layers.Dense(2)])
    assert model.output_shape == (None, 2)
    x = rng.normal(size=(5, 3, 4)).astype("float32")
    kernel, bias = model.layers[-1].get_weights()
    np.testing.assert_allclose(to_numpy(model(x)), x.reshape(5, 12) @ kernel + bias, rtol=1e-5, atol=1e-6)


# -- Reshape --------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", [(3, 4), (-1, 4), (2, -1, 3), (12,), (-1,)])
def test_reshape_numbers_and_shapes(engine, rng, target):
    x = rng.normal(size=(2, 12)).astype("float32")
    out = assert_symbolic_matches_eager(layers.Reshape(target), x)
    np.testing.assert_array_equal(out, x.reshape((2,) + target))


def test_reshape_unknown_dims(engine):
    layer = layers.Reshape((-1, 2))
    assert layer.compute_output_shape((None, 3, 4)) == (None, 6, 2)
    assert layer(layers.Input((None, 4))).shape == (None, None, 2)
    assert layers.Reshape((2, 3))(layers.Input((None,))).shape == (None, 2, 3)


def test_reshape_config(engine):
    assert roundtrip(layers.Reshape((-1, 3))).target_shape == (-1, 3)


@pytest.mark.parametrize("target", [(-1, -1), (0, 3), (2, -2), (2.0, 3), ("a",)])
def test_reshape_rejects_bad_target_shape(engine, target):
    with pytest.raises(ValueError, match=r"`target_shape` of Reshape.*Received: target_shape="):
        layers.Reshape(target)


def test_reshape_size_mismatch_names_layer_and_shapes(engine):
    layer = layers.Reshape((5,), name="to_five")
    with pytest.raises(ValueError, match=r"'to_five' \(Reshape\).*Expected 5 elements.*has 6.*\(2, 6\)"):
        layer(np.zeros((2, 6), "float32"))
    with pytest.raises(ValueError, match=r"'to_five' \(Reshape\).*\(None, 2, 3\)"):
        layer(layers.Input((2, 3)))
    with pytest.raises(ValueError, match=r"Reshape.*cannot be divided.*target_shape=\(-1, 4\).*\(None, 6\)"):
        layers.Reshape((-1, 4))(layers.Input((6,)))


# -- Permute --------------------------------------------------------------------------------------
@pytest.mark.parametrize("dims", [(2, 1), (1, 2), (3, 1, 2)])
def test_permute_numbers_and_shapes(engine, rng, dims):
    x = rng.normal(size=(2, 3, 4, 5)[: len(dims) + 1]).astype("float32")
    out = assert_symbolic_matches_eager(layers.Permute(dims), x)
    np.testing.assert_array_equal(out, np.transpose(x, (0,) + dims))


def test_permute_config_and_errors(engine):
    assert roundtrip(layers.Permute((2, 1))).dims == (2, 1)
    with pytest.raises(ValueError, match=r"`dims` of Permute.*Received: dims=\(0, 1\)"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match=r"`dims` of Permute.*Received: dims=\(1, 3\)"):
        layers.Permute((1, 3))
    with pytest.raises(ValueError, match=r"permute.*expected ndim=3, found ndim=2"):
        layers.Permute((2, 1), name="permute")(np.zeros((2, 3), "float32"))


# -- RepeatVector ---------------------------------------------------------------------------------
def test_repeat_vector_numbers_and_shapes(engine, rng):
    x = rng.normal(size=(2, 4)).astype("float32")
    out = assert_symbolic_matches_eager(layers.RepeatVector(3), x)
    np.testing.assert_array_equal(out, np.repeat(x[:, None, :], 3, axis=1))
    assert layers.RepeatVector(3).compute_output_shape((None, 4)) == (None, 3, 4)


def test_repeat_vector_config_and_errors(engine):
    assert roundtrip(layers.RepeatVector(5)).n == 5
    with pytest.raises(TypeError, match=r"`n` of RepeatVector.*Received: n=2.5"):
        layers.RepeatVector(2.5)
    for n in (0, -1):
        with pytest.raises(ValueError, match=rf"Argument `n` should be a positive integer for RepeatVector.*n={n}"):
            layers.RepeatVector(n)
    with pytest.raises(ValueError, match=r"repeat_vector.*expected ndim=2, found ndim=3"):
        layers.RepeatVector(2, name="repeat_vector")(np.zeros((2, 3, 4), "float32"))
