"""SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout and AlphaDropout: statistics on large samples,
whole feature maps dropped in both data formats, seeds, identity outside training, training through the
layers, configs and argument errors."""

import numpy as np
import pytest
from layer_checks import assert_one_step_lowers_loss, assert_symbolic_matches_eager, roundtrip, to_numpy

import lamina
from lamina import layers
from lamina.models import Sequential

SELU_SATURATION = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946


# -- identity outside training, symbolic shapes, seeds --------------------------------------------
NOISE_LAYERS = [
    lambda: layers.SpatialDropout1D(0.5, seed=3),
    lambda: layers.SpatialDropout2D(0.5, seed=3, data_format="channels_last"),
    lambda: layers.SpatialDropout3D(0.5, seed=3, data_format="channels_first"),
    lambda: layers.GaussianNoise(0.5, seed=3),
    lambda: layers.GaussianDropout(0.5, seed=3),
    lambda: layers.AlphaDropout(0.5, seed=3),
]
SHAPES = {"SpatialDropout1D": (2, 3, 4), "SpatialDropout2D": (2, 3, 3, 4), "SpatialDropout3D": (2, 4, 2, 2, 2)}


@pytest.mark.parametrize("make", NOISE_LAYERS)
def test_identity_outside_training_and_seeded_noise_inside(engine, rng, make):
    layer = make()
    x = rng.normal(size=SHAPES.get(type(layer).__name__, (2, 3, 4))).astype("float32")
    np.testing.assert_array_equal(assert_symbolic_matches_eager(layer, x), x)
    np.testing.assert_array_equal(to_numpy(layer(x, training=False)), x)
    first, second = to_numpy(layer(x, training=True)), to_numpy(layer(x, training=True))
    assert not np.allclose(first, x) and not np.allclose(first, second)  # noise, new at each call
    np.testing.assert_array_equal(to_numpy(make()(x, training=True)), first)  # the same seed repeats it
    clone = roundtrip(layer)
    np.testing.assert_array_equal(to_numpy(clone(x, training=True)), first)


@pytest.mark.parametrize("make", NOISE_LAYERS)
def test_models_train_through_noise_layers(engine, rng, make):
    layer = make()
    shape = SHAPES.get(type(layer).__name__, (3, 4))[1:]
    model = Sequential([layers.Input(shape), layers.Dense(3), layer, layers.Flatten(), layers.Dense(1)])
    x = rng.normal(size=(8, *shape)).astype("float32")
    assert_one_step_lowers_loss(model, x, rng.normal(size=(8, 1)).astype("float32"), learning_rate=0.01)


# -- statistics -----------------------------------------------------------------------------------
def test_gaussian_noise_statistics(engine):
    out = to_numpy(layers.GaussianNoise(0.3, seed=1)(np.full((200, 500), 2.0, "float32"), training=True))
    assert abs(out.mean() - 2.0) < 0.005 and abs(out.std() - 0.3) < 0.005
    assert out.dtype == np.float32


def test_gaussian_dropout_statistics(engine):
    rate = 0.2
    out = to_numpy(layers.GaussianDropout(rate, seed=1)(np.full((200, 500), 3.0, "float32"), training=True))
    assert abs(out.mean() - 3.0) < 0.02
    assert abs(out.std() - 3.0 * np.sqrt(rate / (1 - rate))) < 0.02


def test_alpha_dropout_keeps_selu_statistics(engine, rng):
    rate = 0.3
    x = rng.normal(size=(200, 500)).astype("float32")
    out = to_numpy(layers.AlphaDropout(rate, seed=1)(x, training=True))
    assert abs(out.mean()) < 0.01 and abs(out.std() - 1.0) < 0.01
    scale = ((1 - rate) * (1 + rate * SELU_SATURATION**2)) ** -0.5
    shift = -scale * SELU_SATURATION * rate
    dropped = np.isclose(out, scale * SELU_SATURATION + shift, rtol=0, atol=1e-6)
    assert abs(dropped.mean() - rate) < 0.01
    np.testing.assert_allclose(out[~dropped], scale * x[~dropped] + shift, rtol=1e-5, atol=1e-6)


def test_alpha_dropout_noise_shape(engine, rng):
    x = rng.normal(size=(4, 6, 50)).astype("float32")
    out = to_numpy(layers.AlphaDropout(0.5, noise_shape=(None, 1, None), seed=2)(x, training=True))
    rate = 0.5
    scale = ((1 - rate) * (1 + rate * SELU_SATURATION**2)) ** -0.5
    dropped = np.isclose(out, scale * SELU_SATURATION - scale * SELU_SATURATION * rate, atol=1e-6)
    assert (dropped == dropped[:, :1]).all() and 0 < dropped.mean() < 1  # the same features at every step


# -- SpatialDropout drops whole feature maps ------------------------------------------------------
@pytest.mark.parametrize("name, shape, data_format, map_axes", [
    ("SpatialDropout1D", (20, 7, 30), None, (1,)),
    ("SpatialDropout2D", (20, 3, 4, 30), "channels_last", (1, 2)),
    ("SpatialDropout2D", (20, 30, 3, 4), "channels_first", (2, 3)),
    ("SpatialDropout3D", (20, 2, 3, 2, 30), "channels_last", (1, 2, 3)),
    ("SpatialDropout3D", (20, 30, 2, 3, 2), "channels_first", (2, 3, 4)),
])
def test_spatial_dropout_drops_whole_feature_maps(engine, name, shape, data_format, map_axes):
    kwargs = {} if data_format is None else {"data_format": data_format}
    rate = 0.4
    out = to_numpy(getattr(layers, name)(rate, seed=5, **kwargs)(np.ones(shape, "float32"), training=True))
    maps_max, maps_min = out.max(axis=map_axes), out.min(axis=map_axes)
    np.testing.assert_array_equal(maps_max, maps_min)  # each (example, channel) map is constant
    assert set(np.unique(maps_max)) == {0.0, np.float32(1 / (1 - rate))}
    assert abs((maps_max == 0).mean() - rate) < 0.1


def test_spatial_dropout_follows_the_configured_data_format(engine):
    lamina.config.set_image_data_format("channels_first")
    layer = layers.SpatialDropout2D(0.5, seed=1)
    assert layer.data_format == "channels_first" and layer.get_config()["data_format"] == "channels_first"
    out = to_numpy(layer(np.ones((4, 10, 3, 3), "float32"), training=True))
    np.testing.assert_array_equal(out.max(axis=(2, 3)), out.min(axis=(2, 3)))
    lamina.config.set_image_data_format("channels_last")
    assert layers.SpatialDropout3D(0.5).data_format == "channels_last"


def test_configs(engine):
    config = layers.SpatialDropout2D(0.2, seed=4, data_format="channels_first").get_config()
    assert config["rate"] == 0.2 and config["seed"] == 4 and config["data_format"] == "channels_first"
    assert "noise_shape" not in config
    assert "data_format" not in layers.SpatialDropout1D(0.2).get_config()
    assert roundtrip(layers.GaussianNoise(0.4, seed=2)).stddev == 0.4
    assert roundtrip(layers.GaussianDropout(0.4, seed=2)).rate == 0.4
    assert roundtrip(layers.AlphaDropout(0.4, noise_shape=(None, 1, 3), seed=2)).noise_shape == (None, 1, 3)


# -- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, message", [
    (lambda: layers.GaussianNoise(-0.1), r"`stddev` of GaussianNoise.*Received: stddev=-0.1"),
    (lambda: layers.GaussianNoise("a"), r"`stddev` of GaussianNoise.*Received: stddev=a"),
    (lambda: layers.GaussianDropout(1.0), r"`rate` of GaussianDropout.*\[0, 1\).*Received: rate=1.0"),
    (lambda: layers.AlphaDropout(1), r"`rate` of AlphaDropout.*Received: rate=1"),
    (lambda: layers.AlphaDropout(1.5), r"`rate`.*Received: rate=1.5"),
    (lambda: layers.SpatialDropout2D(-0.5), r"`rate`.*Received: rate=-0.5"),
    (lambda: layers.Dropout(1.5), r"argument `rate` of Dropout. Expected a float between 0 and 1. Received: rate=1.5"),
    (lambda: layers.Dropout(True), r"`rate` of Dropout.*Received: rate=True"),
    (lambda: layers.SpatialDropout3D(2), r"`rate` of SpatialDropout3D.*Received: rate=2"),
    (lambda: layers.SpatialDropout2D(0.5, data_format="channels_middle"), r"data_format"),
])
def test_bad_arguments(engine, make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("name, shape", [("SpatialDropout1D", (2, 3)), ("SpatialDropout2D", (2, 3, 4)),
                                         ("SpatialDropout3D", (2, 3, 4, 5))])
def test_spatial_dropout_rejects_wrong_ranks(engine, name, shape):
    layer = getattr(layers, name)(0.5)
    with pytest.raises(ValueError, match=rf"{layer.name}.*expected ndim={len(shape) + 1}, found ndim={len(shape)}"):
        layer(np.ones(shape, "float32"), training=True)
