"""BatchNormalization, LayerNormalization, GroupNormalization, RMSNormalization, UnitNormalization and
SpectralNormalization: numbers against torch.nn.functional and NumPy, both data formats, moving statistics in
training (eagerly and in fit), the frozen-layer behaviour, masks, shapes, training and bad arguments."""

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
from lamina import layers, ops
from lamina.models import Sequential


def t(x):
    return torch.from_numpy(np.array(x))


def set_affine(layer, rng):
    """Random gamma/beta, so the tests see them applied."""
    for variable in (layer.gamma, layer.beta):
        if variable is not None:
            variable.assign(rng.standard_normal(variable.shape).astype("float32"))


# -- BatchNormalization ---------------------------------------------------------------------------
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_batch_norm_matches_torch_and_updates_moving_statistics(engine, rng, data_format):
    x = (rng.standard_normal((4, 3, 3, 2)) * 2 + 1).astype("float32")
    channels_first = np.moveaxis(x, -1, 1) if data_format == "channels_last" else x
    layer = layers.BatchNormalization(axis=-1 if data_format == "channels_last" else 1, momentum=0.9)
    layer.build(x.shape)
    set_affine(layer, rng)
    assert [v.name for v in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [v.name for v in layer.non_trainable_weights] == ["moving_mean", "moving_variance"]
    gamma, beta = to_numpy(layer.gamma), to_numpy(layer.beta)
    channels = channels_first.shape[1]
    running_mean, running_var = torch.zeros(channels), torch.ones(channels)
    expected = F.batch_norm(t(channels_first), running_mean, running_var, t(gamma), t(beta), training=True,
                            momentum=0.1, eps=1e-3).numpy()
    out = to_numpy(layer(x, training=True))
    if data_format == "channels_last":
        out = np.moveaxis(out, -1, 1)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    axes = tuple(a for a in range(4) if a != 1)
    np.testing.assert_allclose(to_numpy(layer.moving_mean), 0.1 * channels_first.mean(axes), rtol=1e-5)
    np.testing.assert_allclose(to_numpy(layer.moving_variance), 0.9 + 0.1 * channels_first.var(axes), rtol=1e-5)
    # inference uses the moving statistics
    expected = F.batch_norm(t(channels_first), t(to_numpy(layer.moving_mean)), t(to_numpy(layer.moving_variance)),
                            t(gamma), t(beta), training=False, eps=1e-3).numpy()
    out = to_numpy(layer(x))
    out = np.moveaxis(out, -1, 1) if data_format == "channels_last" else out
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_frozen_batch_norm_runs_in_inference_mode(engine, rng):
    x = rng.standard_normal((5, 3)).astype("float32") + 2
    layer = layers.BatchNormalization()
    layer.build(x.shape)
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4
    out = to_numpy(layer(x, training=True))
    np.testing.assert_allclose(out, x / np.sqrt(1 + 1e-3), rtol=1e-5)
    np.testing.assert_array_equal(to_numpy(layer.moving_mean), np.zeros(3))


def test_batch_norm_statistics_skip_masked_steps(engine, rng):
    values = rng.standard_normal((2, 4, 3)).astype("float32")
    keep = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], bool)
    padded = np.where(keep[..., None], values, 100.0).astype("float32")
    model = Sequential([layers.Input((4, 3)), layers.Masking(100.0), layers.BatchNormalization(momentum=0.0)])
    out = to_numpy(model(padded, training=True))
    kept = values[keep]
    np.testing.assert_allclose(to_numpy(model.layers[-1].moving_mean), kept.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(model.layers[-1].moving_variance), kept.var(0), rtol=1e-5)
    np.testing.assert_allclose(out[keep], (kept - kept.mean(0)) / np.sqrt(kept.var(0) + 1e-3), rtol=1e-4, atol=1e-5)


def test_fit_updates_moving_mean_by_the_formula(engine, rng):
    x = (rng.standard_normal((8, 3)) + np.array([1.0, -2.0, 3.0])).astype("float32")
    y = rng.standard_normal((8, 1)).astype("float32")
    model = Sequential([layers.Input((3,)), layers.BatchNormalization(momentum=0.8), layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.SGD(0.01), loss="mse")
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    bn = model.layers[0]
    expected_mean, expected_var = np.zeros(3), np.ones(3)
    for batch in (x[:4], x[4:]):
        expected_mean = 0.8 * expected_mean + 0.2 * batch.mean(0)
        expected_var = 0.8 * expected_var + 0.2 * batch.var(0)
    np.testing.assert_allclose(to_numpy(bn.moving_mean), expected_mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(bn.moving_variance), expected_var, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(to_numpy(bn.gamma) != 1, True)  # gamma trained too
    frozen = to_numpy(bn.moving_mean)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    np.testing.assert_array_equal(to_numpy(bn.moving_mean), frozen)


def test_batch_norm_half_precision_and_errors(engine, rng):
    layer = layers.BatchNormalization(dtype="mixed_float16")
    out = layer(rng.standard_normal((4, 3)).astype("float32"), training=True)
    assert ops.dtype(out) == "float16" and layer.moving_mean.dtype == "float32"
    with pytest.raises(ValueError, match="argument `axis` of BatchNormalization.*Received: axis=\\(1, 2\\)"):
        layers.BatchNormalization(axis=(1, 2))
    with pytest.raises(ValueError, match="`momentum` of BatchNormalization.*Received: momentum=-1"):
        layers.BatchNormalization(momentum=-1)
    with pytest.raises(ValueError, match="'bn'.*axis 3 is out of bounds.*\\(2, 3\\)"):
        layers.BatchNormalization(axis=3, name="bn").build((2, 3))
    layer = layers.BatchNormalization(name="bn2")
    layer(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="bn2.*expected axis 1 of input shape to have value 3"):
        layer(np.zeros((2, 4), "float32"))


# -- LayerNormalization / RMSNormalization / UnitNormalization -------------------------------------
def test_layer_norm_matches_torch(engine, rng):
    x = rng.standard_normal((2, 3, 5)).astype("float32") * 3
    layer = layers.LayerNormalization(epsilon=1e-5)
    layer.build(x.shape)
    set_affine(layer, rng)
    assert [v.name for v in layer.weights] == ["gamma", "beta"]
    expected = F.layer_norm(t(x), (5,), t(to_numpy(layer.gamma)), t(to_numpy(layer.beta)), 1e-5).numpy()
    np.testing.assert_allclose(assert_symbolic_matches_eager(layer, x), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("axis, rms_scaling", [((1, 2), False), (1, False), (-1, True)])
def test_layer_norm_other_axes_and_rms_scaling_match_numpy(engine, rng, axis, rms_scaling):
    x = rng.standard_normal((2, 3, 4)).astype("float32") + 1
    layer = layers.LayerNormalization(axis=axis, rms_scaling=rms_scaling)
    layer.build(x.shape)
    set_affine(layer, rng)
    axes = (axis,) if isinstance(axis, int) else axis
    axes = tuple(a % 3 for a in axes)
    shape = [x.shape[a] if a in axes else 1 for a in range(3)]
    scaled = (x if rms_scaling else x - x.mean(axes, keepdims=True)) / np.sqrt(x.var(axes, keepdims=True) + 1e-3)
    expected = scaled * to_numpy(layer.gamma).reshape(shape)
    if not rms_scaling:
        expected = expected + to_numpy(layer.beta).reshape(shape)
    else:
        assert layer.beta is None and [v.name for v in layer.weights] == ["gamma"]
    np.testing.assert_allclose(to_numpy(layer(x)), expected, rtol=1e-5, atol=1e-5)


def test_rms_norm_matches_torch(engine, rng):
    x = rng.standard_normal((2, 3, 6)).astype("float32")
    layer = layers.RMSNormalization()
    layer.build(x.shape)
    layer.scale.assign(rng.standard_normal(6).astype("float32"))
    assert [v.name for v in layer.weights] == ["scale"] and layer.scale.shape == (6,)
    expected = F.rms_norm(t(x), (6,), t(to_numpy(layer.scale)), 1e-6).numpy()
    np.testing.assert_allclose(assert_symbolic_matches_eager(layer, x), expected, rtol=1e-5, atol=1e-6)
    layer = layers.RMSNormalization(axis=1)
    out = to_numpy(layer(x))
    np.testing.assert_allclose(out, x / np.sqrt((x ** 2).mean(1, keepdims=True) + 1e-6), rtol=1e-5)


def test_unit_norm_matches_numpy(engine, rng):
    x = rng.standard_normal((2, 3, 4)).astype("float32")
    x[0] = 0
    for axis in (-1, (1, 2)):
        layer = layers.UnitNormalization(axis=axis)
        axes = axis if isinstance(axis, tuple) else (axis,)
        norm = np.sqrt(np.maximum((x ** 2).sum(axes, keepdims=True), 1e-12))
        np.testing.assert_allclose(assert_symbolic_matches_eager(layer, x), x / norm, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="argument `axis` of UnitNormalization.*Received: axis='x'"):
        layers.UnitNormalization(axis="x")


# -- GroupNormalization ---------------------------------------------------------------------------
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_group_norm_matches_torch(engine, rng, data_format):
    x = rng.standard_normal((2, 6, 3, 3)).astype("float32") * 2 + 1  # channels_first
    layer = layers.GroupNormalization(groups=3, axis=1 if data_format == "channels_first" else -1)
    inputs = x if data_format == "channels_first" else np.moveaxis(x, 1, -1)
    layer.build(inputs.shape)
    set_affine(layer, rng)
    expected = F.group_norm(t(x), 3, t(to_numpy(layer.gamma)), t(to_numpy(layer.beta)), 1e-3).numpy()
    out = assert_symbolic_matches_eager(layer, inputs)
    out = out if data_format == "channels_first" else np.moveaxis(out, -1, 1)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_group_norm_bad_groups(engine):
    with pytest.raises(ValueError, match="argument `groups` of GroupNormalization.*Received: groups=0"):
        layers.GroupNormalization(groups=0)
    with pytest.raises(ValueError, match="'gn'.*groups \\(4\\) must divide the number of channels \\(6\\)"):
        layers.GroupNormalization(groups=4, name="gn").build((None, 5, 6))


# -- SpectralNormalization ------------------------------------------------------------------------
def test_spectral_norm_divides_the_kernel_by_its_largest_singular_value(engine, rng):
    layer = layers.SpectralNormalization(layers.Dense(3), power_iterations=50)
    x = rng.standard_normal((2, 4)).astype("float32")
    before = to_numpy(layer(x))
    kernel = to_numpy(layer.layer.kernel)
    np.testing.assert_allclose(before, x @ kernel + to_numpy(layer.layer.bias), rtol=1e-5, atol=1e-6)
    assert [v.name for v in layer.weights] == ["kernel", "vector_u", "bias"]
    assert [v.name for v in layer.trainable_weights] == ["kernel", "bias"]
    out = to_numpy(layer(x, training=True))
    sigma = np.linalg.svd(kernel, compute_uv=False)[0]
    np.testing.assert_allclose(out, x @ (kernel / sigma) + to_numpy(layer.layer.bias), rtol=1e-4, atol=1e-5)
    assert not np.allclose(to_numpy(layer.vector_u), 0)


def test_spectral_norm_in_a_model_trains_and_round_trips(engine, rng):
    x, y = rng.standard_normal((8, 4)).astype("float32"), rng.standard_normal((8, 2)).astype("float32")
    layer = layers.SpectralNormalization(layers.Dense(2))
    model = Sequential([layers.Input((4,)), layer])
    assert model.output_shape == (None, 2) if hasattr(model, "output_shape") else True
    assert_one_step_lowers_loss(model, x, y)
    clone = roundtrip(layer)
    np.testing.assert_allclose(to_numpy(clone(x)), to_numpy(layer(x)), rtol=1e-6)
    with pytest.raises(ValueError, match="`power_iterations` of SpectralNormalization.*Received: power_iterations=0"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="neither a `kernel` nor `embeddings`"):
        layers.SpectralNormalization(layers.Identity())(x)


# -- all of them: training, symbolic shapes, config ------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda: layers.BatchNormalization(),
    lambda: layers.LayerNormalization(),
    lambda: layers.GroupNormalization(groups=2),
    lambda: layers.RMSNormalization(),
    lambda: layers.UnitNormalization(),
])
def test_models_with_normalization_train(engine, rng, make):
    x, y = rng.standard_normal((8, 5, 4)).astype("float32"), rng.standard_normal((8, 5, 2)).astype("float32")
    layer = make()
    model = Sequential([layers.Input((5, 4)), layers.Dense(4), layer, layers.Dense(2)])
    assert_one_step_lowers_loss(model, x, y)
    assert_symbolic_matches_eager(make(), x)
    clone = roundtrip(layer)
    hidden = rng.standard_normal((2, 5, 4)).astype("float32")
    np.testing.assert_allclose(to_numpy(clone(hidden)), to_numpy(layer(hidden)), rtol=1e-6, atol=1e-6)
