"""ZeroPadding1D/2D/3D, Cropping1D/2D/3D and UpSampling1D/2D/3D: numbers against NumPy (np.pad, slicing,
np.repeat) and torch's interpolate, both data formats, every argument form, symbolic shapes and dtypes,
configs, training through them, and errors naming the layer."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from layer_checks import assert_one_step_lowers_loss, assert_symbolic_matches_eager, roundtrip, to_numpy

import lamina
from lamina import layers
from lamina.models import Sequential


def _image(rng, rank, data_format, spatial=(3, 4, 5), channels=2, batch=2, dtype="float32"):
    spatial = spatial[:rank]
    shape = (batch, *spatial, channels) if data_format == "channels_last" else (batch, channels, *spatial)
    return rng.normal(size=shape).astype(dtype)


def _spatial_widths(pairs, data_format):
    """np.pad widths for a batch: (0, 0) on the batch and channel axes."""
    pairs = [tuple(p) for p in pairs]
    return [(0, 0), *pairs, (0, 0)] if data_format == "channels_last" else [(0, 0), (0, 0), *pairs]


# -- ZeroPadding ----------------------------------------------------------------------------------
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank, padding, pairs", [
    (1, 2, [(2, 2)]),
    (1, (0, 3), [(0, 3)]),
    (2, 1, [(1, 1), (1, 1)]),
    (2, (2, 0), [(2, 2), (0, 0)]),
    (2, ((1, 0), (0, 2)), [(1, 0), (0, 2)]),
    (3, (1, 0, 2), [(1, 1), (0, 0), (2, 2)]),
    (3, ((0, 1), (2, 0), (1, 1)), [(0, 1), (2, 0), (1, 1)]),
])
def test_zero_padding_matches_numpy(engine, rng, data_format, rank, padding, pairs):
    x = _image(rng, rank, data_format)
    layer = getattr(layers, f"ZeroPadding{rank}D")(padding, data_format=data_format)
    out = assert_symbolic_matches_eager(layer, x)
    np.testing.assert_array_equal(out, np.pad(x, _spatial_widths(pairs, data_format)))
    clone = roundtrip(layer)
    np.testing.assert_array_equal(to_numpy(clone(x)), out)


def test_zero_padding_keeps_int_dtypes_and_unknown_dims(engine):
    x = np.arange(12, dtype="int32").reshape(1, 3, 4, 1)
    out = assert_symbolic_matches_eager(layers.ZeroPadding2D((1, 2), data_format="channels_last"), x)
    np.testing.assert_array_equal(out, np.pad(x, [(0, 0), (1, 1), (2, 2), (0, 0)]))
    layer = layers.ZeroPadding2D(1, data_format="channels_last")
    assert layer(layers.Input((None, 4, 3))).shape == (None, None, 6, 3)


def test_zero_padding_configs(engine):
    config = layers.ZeroPadding2D((1, 2), data_format="channels_first").get_config()
    assert config["padding"] == ((1, 1), (2, 2)) and config["data_format"] == "channels_first"
    assert layers.ZeroPadding1D(3).get_config()["padding"] == (3, 3)
    assert layers.ZeroPadding3D().padding == ((1, 1), (1, 1), (1, 1))
    assert layers.ZeroPadding1D.from_config({**layers.ZeroPadding1D([1, 2]).get_config()}).padding == (1, 2)


# -- Cropping -------------------------------------------------------------------------------------
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank, cropping, pairs", [
    (2, 1, [(1, 1), (1, 1)]),
    (2, (1, 0), [(1, 1), (0, 0)]),
    (2, ((0, 2), (1, 2)), [(0, 2), (1, 2)]),
    (3, (1, 1, 2), [(1, 1), (1, 1), (2, 2)]),
    (3, ((0, 1), (2, 1), (1, 0)), [(0, 1), (2, 1), (1, 0)]),
])
def test_cropping_matches_numpy_slicing(engine, rng, data_format, rank, cropping, pairs):
    x = _image(rng, rank, data_format, spatial=(4, 5, 6))
    layer = getattr(layers, f"Cropping{rank}D")(cropping, data_format=data_format)
    out = assert_symbolic_matches_eager(layer, x)
    crop = tuple(slice(b, n - a) for (b, a), n in zip(pairs, (4, 5, 6)[:len(pairs)], strict=True))
    expected = x[(slice(None), *crop)] if data_format == "channels_last" else x[(slice(None), slice(None), *crop)]
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(to_numpy(roundtrip(layer)(x)), out)


@pytest.mark.parametrize("cropping, expected", [(2, slice(2, 3)), ((0, 3), slice(0, 2)), ((1, 0), slice(1, 5))])
def test_cropping1d(engine, rng, cropping, expected):
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    layer = layers.Cropping1D(cropping)
    np.testing.assert_array_equal(assert_symbolic_matches_eager(layer, x), x[:, expected])
    assert layers.Cropping1D().cropping == (1, 1) and "data_format" not in layer.get_config()


def test_cropping_keeps_int_dtypes_and_unknown_dims(engine):
    x = np.arange(30, dtype="int32").reshape(1, 5, 6, 1)
    out = assert_symbolic_matches_eager(layers.Cropping2D(((1, 2), (0, 1)), data_format="channels_last"), x)
    np.testing.assert_array_equal(out, x[:, 1:3, 0:5])
    assert layers.Cropping2D(1, data_format="channels_last")(layers.Input((None, 4, 3))).shape == (None, None, 2, 3)


def test_cropping_too_much_names_the_layer_and_shapes(engine):
    layer = layers.Cropping2D(((2, 2), (0, 0)), data_format="channels_last")
    with pytest.raises(ValueError, match=r"Cropping2D cannot crop 4 entries.*size 4.*input_shape=\(None, 4, 5, 1\)"):
        layer(layers.Input((4, 5, 1)))
    with pytest.raises(ValueError, match=r"Cropping1D cannot crop 3 entries.*size 3"):
        layers.Cropping1D((1, 2))(np.zeros((1, 3, 2), "float32"))


# -- UpSampling -----------------------------------------------------------------------------------
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank, size, factors", [
    (2, 2, (2, 2)), (2, (1, 3), (1, 3)), (3, 2, (2, 2, 2)), (3, (2, 1, 3), (2, 1, 3)),
])
def test_nearest_up_sampling_matches_numpy_repeat(engine, rng, data_format, rank, size, factors):
    x = _image(rng, rank, data_format, spatial=(2, 3, 2))
    layer = getattr(layers, f"UpSampling{rank}D")(size, data_format=data_format)
    out = assert_symbolic_matches_eager(layer, x)
    expected = x
    first = 1 if data_format == "channels_last" else 2
    for axis, factor in enumerate(factors, start=first):
        expected = np.repeat(expected, factor, axis=axis)
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(to_numpy(roundtrip(layer)(x)), out)


def test_up_sampling1d(engine, rng):
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    np.testing.assert_array_equal(assert_symbolic_matches_eager(layers.UpSampling1D(3), x), np.repeat(x, 3, axis=1))
    assert layers.UpSampling1D().get_config()["size"] == 2
    ints = np.arange(6, dtype="int32").reshape(1, 3, 2)
    np.testing.assert_array_equal(assert_symbolic_matches_eager(layers.UpSampling1D(2), ints), np.repeat(ints, 2, 1))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic"])
def test_interpolating_up_sampling2d_matches_torch(engine, rng, data_format, interpolation):
    x = _image(rng, 2, data_format, spatial=(3, 4))
    layer = layers.UpSampling2D((2, 3), data_format=data_format, interpolation=interpolation)
    out = assert_symbolic_matches_eager(layer, x)
    t = torch.tensor(x) if data_format == "channels_first" else torch.tensor(x).permute(0, 3, 1, 2)
    # upsampling: torch's antialiased bicubic is the a=-0.5 Keys kernel of TF and JAX (its default is a=-0.75)
    ref = F.interpolate(t, scale_factor=(2, 3), mode=interpolation, align_corners=False,
                        antialias=interpolation == "bicubic")
    ref = ref.numpy() if data_format == "channels_first" else ref.permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    assert roundtrip(layer).interpolation == interpolation


def test_bilinear_up_sampling_of_ints_gives_floats(engine):
    x = np.arange(8, dtype="int32").reshape(1, 2, 2, 2)
    out = assert_symbolic_matches_eager(layers.UpSampling2D(2, "channels_last", "bilinear"), x)
    assert out.dtype == np.float32 and out.shape == (1, 4, 4, 2)


def test_up_sampling_configs(engine):
    config = layers.UpSampling2D(3, data_format="channels_first", interpolation="lanczos3").get_config()
    assert config["size"] == (3, 3) and config["data_format"] == "channels_first"
    assert config["interpolation"] == "lanczos3"
    assert layers.UpSampling3D().size == (2, 2, 2) and layers.UpSampling2D().interpolation == "nearest"


# -- the configured data format, training, errors -------------------------------------------------
def test_default_data_format_follows_the_config(engine, rng):
    lamina.config.set_image_data_format("channels_first")
    x = rng.normal(size=(1, 2, 3, 4)).astype("float32")
    for layer, expected in [
        (layers.ZeroPadding2D(1), np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)])),
        (layers.Cropping2D(1), x[:, :, 1:2, 1:3]),
        (layers.UpSampling2D(2), np.repeat(np.repeat(x, 2, 2), 2, 3)),
        (layers.ZeroPadding1D(1), np.pad(x[0], [(0, 0), (0, 0), (1, 1)])),
    ]:
        assert layer.data_format == "channels_first"
        inputs = x[0] if isinstance(layer, layers.ZeroPadding1D) else x
        np.testing.assert_array_equal(to_numpy(layer(inputs)), expected)
    assert layers.Cropping1D(1).data_format == layers.UpSampling1D().data_format == "channels_last"


def test_a_model_trains_through_padding_cropping_and_up_sampling(engine, rng):
    model = Sequential([
        layers.Input((3, 4, 2)),
        layers.Dense(3),
        layers.ZeroPadding2D(((1, 0), (0, 1)), data_format="channels_last"),
        layers.UpSampling2D((2, 1), data_format="channels_last", interpolation="bilinear"),
        layers.Cropping2D(((1, 2), (1, 0)), data_format="channels_last"),
        layers.Reshape((5, 12)),
        layers.UpSampling1D(2),
        layers.Flatten(),
        layers.Dense(1),
    ])
    assert model.output_shape == (None, 1)
    x = rng.normal(size=(6, 3, 4, 2)).astype("float32")
    assert_one_step_lowers_loss(model, x, rng.normal(size=(6, 1)).astype("float32"), learning_rate=0.01)


@pytest.mark.parametrize("make, message", [
    (lambda: layers.ZeroPadding2D(-1), r"`padding` of ZeroPadding2D.*Received: padding=-1"),
    (lambda: layers.ZeroPadding2D((1, 2, 3)), r"`padding` of ZeroPadding2D.*tuple of 2.*padding=\(1, 2, 3\)"),
    (lambda: layers.ZeroPadding3D(((1, 1), (1, 1))), r"`padding` of ZeroPadding3D"),
    (lambda: layers.ZeroPadding1D((1, 2, 3)), r"`padding` of ZeroPadding1D.*pair.*padding=\(1, 2, 3\)"),
    (lambda: layers.ZeroPadding2D(((1, -1), (0, 0))), r"`padding` of ZeroPadding2D"),
    (lambda: layers.Cropping2D(1.5), r"`cropping` of Cropping2D.*Received: cropping=1.5"),
    (lambda: layers.Cropping3D(((1, 1), (1, 1), (1,))), r"`cropping` of Cropping3D"),
    (lambda: layers.UpSampling2D(0), r"`size` of UpSampling2D.*Received: size=0"),
    (lambda: layers.UpSampling3D((2, 2)), r"`size` of UpSampling3D.*tuple of 3.*size=\(2, 2\)"),
    (lambda: layers.UpSampling2D(interpolation="area"), r"`interpolation` of UpSampling2D.*interpolation='area'"),
    (lambda: layers.ZeroPadding2D(data_format="channels_middle"), r"data_format"),
])
def test_bad_arguments(engine, make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("layer, shape", [
    (lambda: layers.ZeroPadding2D(name="pad"), (2, 3, 4)),
    (lambda: layers.Cropping3D(name="crop"), (2, 3, 4, 4)),
    (lambda: layers.UpSampling1D(name="up"), (2, 3, 4, 4)),
])
def test_wrong_ranks_name_the_layer(engine, layer, shape):
    layer = layer()
    with pytest.raises(ValueError, match=rf"{layer.name}.*expected ndim={layer.rank + 2}, found ndim={len(shape)}"):
        layer(np.zeros(shape, "float32"))
