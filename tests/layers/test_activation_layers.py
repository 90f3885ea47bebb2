"""ReLU, LeakyReLU, PReLU, ELU, Softmax and ThresholdedReLU: numbers against torch.nn.functional and NumPy,
symbolic shapes, configs, PReLU's weights and training, Softmax's masks, and argument errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from layer_checks import assert_one_step_lowers_loss, assert_symbolic_matches_eager, roundtrip, to_numpy

from lamina import layers
from lamina.models import Model, Sequential


@pytest.fixture
def x(rng):
    return (3 * rng.normal(size=(3, 4, 5))).astype("float32")


# -- ReLU -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [
    dict(), dict(max_value=2.0), dict(negative_slope=0.1), dict(threshold=0.5),
    dict(max_value=3.0, negative_slope=0.2, threshold=1.0),
])
def test_relu_matches_numpy(engine, x, kwargs):
    max_value, slope = kwargs.get("max_value"), kwargs.get("negative_slope", 0.0)
    threshold = kwargs.get("threshold", 0.0)
    expected = np.where(x > threshold, x, slope * (x - threshold))
    if max_value is not None:
        expected = np.minimum(expected, max_value)
    layer = layers.ReLU(**kwargs)
    np.testing.assert_allclose(assert_symbolic_matches_eager(layer, x), expected, rtol=1e-6, atol=1e-6)
    assert roundtrip(layer).get_config() == {**layer.get_config(), "name": layer.name}


def test_relu6_via_max_value_matches_torch(engine, x):
    np.testing.assert_allclose(to_numpy(layers.ReLU(max_value=6.0)(x)), F.relu6(torch.tensor(x)).numpy())


# -- LeakyReLU, ELU, ThresholdedReLU ---------------------------------------------------------------
def test_leaky_relu_matches_torch(engine, x):
    layer = layers.LeakyReLU()
    assert layer.negative_slope == 0.3
    np.testing.assert_allclose(assert_symbolic_matches_eager(layer, x), F.leaky_relu(torch.tensor(x), 0.3).numpy(),
                               rtol=1e-6)
    with pytest.warns(DeprecationWarning, match="alpha"):
        old = layers.LeakyReLU(alpha=0.05)
    assert old.get_config()["negative_slope"] == 0.05 and "alpha" not in old.get_config()
    np.testing.assert_allclose(to_numpy(roundtrip(old)(x)), F.leaky_relu(torch.tensor(x), 0.05).numpy(), rtol=1e-6)


@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_elu_matches_torch(engine, x, alpha):
    layer = layers.ELU(alpha)
    expected = F.elu(torch.tensor(x), alpha).numpy()
    np.testing.assert_allclose(assert_symbolic_matches_eager(layer, x), expected, rtol=1e-5, atol=1e-6)
    assert roundtrip(layer).alpha == alpha


def test_thresholded_relu_matches_numpy(engine, x):
    layer = layers.ThresholdedReLU(theta=1.5)
    np.testing.assert_array_equal(assert_symbolic_matches_eager(layer, x), np.where(x > 1.5, x, 0.0))
    np.testing.assert_array_equal(to_numpy(layers.ThresholdedReLU()(np.array([1.0, 1.5], "float32"))), [0.0, 1.5])
    assert roundtrip(layer).theta == 1.5


# -- PReLU ----------------------------------------------------------------------------------------
def test_prelu_weights_and_numbers(engine, rng, x):
    layer = layers.PReLU(alpha_initializer="random_normal")
    out = assert_symbolic_matches_eager(layer, x)
    assert [v.name for v in layer.weights] == ["alpha"] and layer.weights[0].shape == (4, 5)
    alpha = layer.get_weights()[0]
    np.testing.assert_allclose(out, np.where(x >= 0, x, alpha * x), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(roundtrip(layer)(x)), out, rtol=1e-6)


def test_prelu_shared_axes_match_torch(engine, rng):
    images = rng.normal(size=(2, 3, 4, 5)).astype("float32")  # (batch, channels, height, width)
    layer = layers.PReLU(alpha_initializer="random_uniform", shared_axes=[2, 3])
    out = to_numpy(layer(images))
    alpha = layer.get_weights()[0]
    assert alpha.shape == (3, 1, 1)
    np.testing.assert_allclose(out, F.prelu(torch.tensor(images), torch.tensor(alpha.reshape(3))).numpy(), rtol=1e-6)
    assert layers.PReLU(shared_axes=1).shared_axes == [1]
    assert layer.get_config()["shared_axes"] == [2, 3]
    assert layer.get_config()["alpha_initializer"]["class_name"] == "RandomUniform"


def test_prelu_starts_as_relu_trains_and_regularizes(engine, rng):
    layer = layers.PReLU(alpha_regularizer="l2", alpha_constraint="non_neg")
    x = rng.normal(size=(16, 4)).astype("float32")
    np.testing.assert_array_equal(to_numpy(layer(x)), np.maximum(x, 0))
    assert len(layer.losses) == 1
    model = Sequential([layers.Input((4,)), layers.Dense(4), layers.PReLU(alpha_initializer="ones"), layers.Dense(1)])
    assert_one_step_lowers_loss(model, x, rng.normal(size=(16, 1)).astype("float32"))


def test_prelu_errors(engine):
    with pytest.raises(ValueError, match=r"`shared_axes` of PReLU.*Received: shared_axes=\[0\]"):
        layers.PReLU(shared_axes=0)
    with pytest.raises(ValueError, match=r"PReLU needs known sizes.*\(None, None, 3\)"):
        layers.PReLU()(layers.Input((None, 3)))
    with pytest.raises(ValueError, match=r"PReLU: `shared_axes` \[3\].*rank 3"):
        layers.PReLU(shared_axes=[3])(np.zeros((2, 3, 4), "float32"))
    layer = layers.PReLU(name="slopes")
    layer(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"slopes.*incompatible"):
        layer(np.zeros((2, 4), "float32"))


# -- Softmax --------------------------------------------------------------------------------------
@pytest.mark.parametrize("axis", [-1, 1, (1, 2)])
def test_softmax_matches_torch(engine, x, axis):
    layer = layers.Softmax(axis=axis)
    out = assert_symbolic_matches_eager(layer, x)
    if isinstance(axis, tuple):
        flat = torch.tensor(x).reshape(3, -1)
        expected = F.softmax(flat, dim=1).reshape(x.shape).numpy()
    else:
        expected = F.softmax(torch.tensor(x), dim=axis).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-7)
    assert roundtrip(layer).axis == axis


def test_softmax_mask_gives_padding_zero_probability(engine, rng):
    scores = rng.normal(size=(2, 5)).astype("float32")
    lengths = [3, 5]
    mask = np.arange(5)[None, :] < np.array(lengths)[:, None]
    out = to_numpy(layers.Softmax()(scores, mask=mask))
    for row, length in enumerate(lengths):
        np.testing.assert_allclose(out[row, :length], F.softmax(torch.tensor(scores[row, :length]), 0).numpy(),
                                   rtol=1e-5, atol=1e-7)
        assert (out[row, length:] < 1e-30).all()


def test_softmax_over_time_with_a_propagated_mask(engine, rng):
    # Masking marks padded steps; Softmax over the time axis gives them ~0 and matches unpadded examples.
    lengths = [2, 4]
    x = rng.normal(size=(2, 4, 3)).astype("float32")
    for row, length in enumerate(lengths):
        x[row, length:] = 0.0
    inputs = layers.Input((4, 3))
    model = Model(inputs, layers.Softmax(axis=1)(layers.Masking(0.0)(inputs)))
    out = to_numpy(model(x))
    for row, length in enumerate(lengths):
        single = to_numpy(layers.Softmax(axis=1)(x[row:row + 1, :length]))
        np.testing.assert_allclose(out[row:row + 1, :length], single, rtol=1e-5, atol=1e-7)
        assert (out[row, length:] < 1e-30).all()


# -- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, message", [
    (lambda: layers.ReLU(max_value=-1.0), r"`max_value` of ReLU.*non-negative float or None.*max_value=-1.0"),
    (lambda: layers.ReLU(negative_slope=-0.1), r"`negative_slope` of ReLU.*negative_slope=-0.1"),
    (lambda: layers.ReLU(threshold=None), r"`threshold` of ReLU.*threshold=None"),
    (lambda: layers.LeakyReLU(-0.2), r"`negative_slope` of LeakyReLU.*negative_slope=-0.2"),
    (lambda: layers.ThresholdedReLU(-1.0), r"`theta` of ThresholdedReLU.*theta=-1.0"),
    (lambda: layers.ELU("big"), r"`alpha` of ELU.*alpha='big'"),
    (lambda: layers.Softmax(axis="last"), r"`axis` of Softmax.*axis='last'"),
])
def test_bad_arguments(engine, make, message):
    with pytest.raises(ValueError, match=message):
        make()
