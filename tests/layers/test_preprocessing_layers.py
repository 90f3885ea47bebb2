"""Numeric and image preprocessing layers: Normalization, Discretization, Rescaling, Resizing, CenterCrop and
the seeded augmentation layers, against hand computations and NumPy references, in eager calls and in
fit/predict (a jitted step on JAX), with config and .keras round trips."""

import numpy as np
import pytest
from layer_checks import assert_symbolic_matches_eager, roundtrip, to_numpy

import lamina
from lamina import layers, ops

FORMATS = ["channels_last", "channels_first"]


def images(rng, shape=(3, 5, 5, 2), data_format="channels_last"):
    x = rng.uniform(0, 1, shape).astype("float32")
    return x if data_format == "channels_last" else np.moveaxis(x, -1, 1)


def hwc(x, data_format):
    """Images as (batch, height, width, channels) whatever their layout."""
    return x if data_format == "channels_last" else np.moveaxis(x, 1, -1)


def bilinear(image, rows, cols):
    """NumPy bilinear sampling of one (H, W, C) image at in-bounds points ``rows, cols`` (H', W')."""
    r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
    r1, c1 = np.minimum(r0 + 1, image.shape[0] - 1), np.minimum(c0 + 1, image.shape[1] - 1)
    fr, fc = (rows - r0)[..., None], (cols - c0)[..., None]
    top = image[r0, c0] * (1 - fc) + image[r0, c1] * fc
    bottom = image[r1, c0] * (1 - fc) + image[r1, c1] * fc
    return top * (1 - fr) + bottom * fr


# -- Normalization -------------------------------------------------------------------------------------
def test_normalization_adapt_matches_numpy_per_feature(engine, rng):
    x = rng.normal(3.0, 2.0, (50, 4)).astype("float32")
    layer = layers.Normalization()
    layer.adapt(x)
    np.testing.assert_allclose(to_numpy(layer.adapt_mean), x.mean(0), rtol=1e-5)
    np.testing.assert_allclose(to_numpy(layer.adapt_variance), x.var(0), rtol=1e-5)
    np.testing.assert_allclose(to_numpy(layer(x)), (x - x.mean(0)) / x.std(0), rtol=1e-4, atol=1e-5)
    assert [w.name for w in layer.weights] == ["mean", "variance", "count"]
    assert [w.trainable for w in layer.weights] == [False] * 3 and layer.count.dtype == "int32"


def test_normalization_adapt_on_batches_merges_exactly(engine, rng):
    x = rng.normal(-1.0, 3.0, (37, 3, 2)).astype("float32")
    whole, batched = layers.Normalization(axis=(1, 2)), layers.Normalization(axis=(1, 2))
    whole.adapt(x)
    batched.adapt([x[:10], (x[10:11], None), x[11:]])
    np.testing.assert_allclose(to_numpy(batched.adapt_mean), x.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(batched.adapt_variance), x.var(0), rtol=1e-5)
    np.testing.assert_allclose(to_numpy(batched(x)), to_numpy(whole(x)), rtol=1e-5, atol=1e-5)


def test_normalization_axis_none_variance_floor_and_tensor_data(engine):
    layer = layers.Normalization(axis=None)
    layer.adapt(ops.convert_to_tensor(np.array([[2.0, 2.0], [2.0, 2.0]], "float32")))
    assert tuple(layer.adapt_mean.shape) == ()
    epsilon = lamina.config.epsilon()  # variance 0: the standard deviation is floored at epsilon
    np.testing.assert_allclose(to_numpy(layer(np.array([[3.0, 1.0]]))), [[1 / epsilon, -1 / epsilon]], rtol=1e-5)


def test_normalization_given_statistics_and_invert(engine, rng):
    mean, variance = [1.0, -2.0, 0.5], [4.0, 0.25, 1.0]
    x = rng.normal(size=(6, 3)).astype("float32")
    forward = layers.Normalization(mean=mean, variance=variance)
    backward = layers.Normalization(mean=mean, variance=variance, invert=True)
    expected = (x - np.array(mean)) / np.sqrt(variance)
    np.testing.assert_allclose(to_numpy(forward(x)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(backward(forward(x))), x, rtol=1e-5, atol=1e-5)
    assert forward.weights == []
    config = backward.get_config()
    assert config["mean"] == mean and config["variance"] == variance and config["invert"] is True
    assert config["axis"] == (-1,)
    clone = roundtrip(backward)
    np.testing.assert_allclose(to_numpy(clone(x)), np.array(mean) + x * np.sqrt(variance), rtol=1e-5)
    scalar = layers.Normalization(mean=2.0, variance=9.0, axis=(1, 2))
    np.testing.assert_allclose(to_numpy(scalar(np.full((1, 2, 2), 5.0, "float32"))), np.ones((1, 2, 2)), rtol=1e-6)


def test_normalization_bad_arguments(engine):
    with pytest.raises(ValueError, match="both `mean` and `variance`"):
        layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="same shape"):
        layers.Normalization(mean=[1.0, 2.0], variance=[1.0])
    with pytest.raises(ValueError, match="range"):
        layers.Normalization(axis=3)(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="cannot be adapted"):
        layers.Normalization(mean=1.0, variance=1.0).adapt(np.zeros((2, 3)))
    layer = layers.Normalization()
    layer.adapt(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="incompatible shape"):
        layer.adapt(np.zeros((4, 5)))


# -- Discretization ------------------------------------------------------------------------------------
def test_discretization_bins_match_numpy_digitize(engine, rng):
    x = rng.normal(size=(4, 5)).astype("float32")
    boundaries = [-1.0, 0.0, 0.5]
    layer = layers.Discretization(bin_boundaries=boundaries)
    out = layer(x)
    assert ops.dtype(out) == "int32"
    np.testing.assert_array_equal(to_numpy(out), np.digitize(x, boundaries))
    np.testing.assert_array_equal(to_numpy(layer(np.array([[-1.0, 0.0, 0.5, 7]]))), [[1, 2, 3, 3]])


@pytest.mark.parametrize("mode, expected", [
    ("one_hot", [[[1, 0, 0], [0, 0, 1]], [[0, 1, 0], [0, 1, 0]]]),
    ("multi_hot", [[1, 0, 1], [0, 1, 0]]),
    ("count", [[1, 0, 1], [0, 2, 0]]),
])
def test_discretization_output_modes(engine, mode, expected):
    layer = layers.Discretization(bin_boundaries=[0.0, 1.0], output_mode=mode)
    x = np.array([[-0.5, 2.0], [0.5, 0.7]], "float32")
    out = assert_symbolic_matches_eager(layer, x)
    np.testing.assert_array_equal(out, np.array(expected, "float32"))
    assert out.dtype == np.float32


def test_discretization_one_hot_replaces_a_last_axis_of_one(engine):
    layer = layers.Discretization(bin_boundaries=[0.0], output_mode="one_hot")
    out = to_numpy(layer(np.array([[-1.0], [1.0]], "float32")))
    np.testing.assert_array_equal(out, [[1, 0], [0, 1]])


def test_discretization_adapt_quantiles_by_hand(engine):
    # 1000 values 0..999, epsilon 0.01: the summary keeps every 10th value (9, 19, ..., 999), each weighing 10;
    # 4 bins put boundaries where the cumulative weight reaches 1/4, 2/4, 3/4: 249, 499, 749.
    layer = layers.Discretization(num_bins=4)
    layer.adapt(np.arange(1000, dtype="float32"))
    np.testing.assert_allclose(layer.bin_boundaries, [249.0, 499.0, 749.0], rtol=1e-5)
    batched = layers.Discretization(num_bins=4)
    batched.adapt([np.arange(500, dtype="float32"), np.arange(500, 1000, dtype="float32")])
    np.testing.assert_allclose(batched.bin_boundaries, [249.0, 499.0, 749.0], atol=10)
    np.testing.assert_array_equal(to_numpy(layer(np.array([0.0, 300.0, 999.0]))), [0, 1, 3])
    config = layer.get_config()
    assert config["bin_boundaries"] == layer.bin_boundaries and config["num_bins"] == 4
    assert "trainable" not in config
    clone = layers.Discretization.from_config(config)
    assert clone.bin_boundaries == layer.bin_boundaries and clone.num_bins == 4


def test_discretization_bad_arguments(engine):
    with pytest.raises(ValueError, match="either `num_bins` or `bin_boundaries`"):
        layers.Discretization()
    with pytest.raises(ValueError, match="should not be set"):
        layers.Discretization(bin_boundaries=[0.0], num_bins=3)
    with pytest.raises(ValueError, match="output_mode"):
        layers.Discretization(num_bins=3, output_mode="tf_idf")
    with pytest.raises(ValueError, match="adapt"):
        layers.Discretization(num_bins=3)(np.zeros((2,), "float32"))
    with pytest.raises(ValueError, match="bin_boundaries"):
        layers.Discretization(bin_boundaries=[1.0]).adapt(np.zeros(3))


# -- Rescaling, Resizing, CenterCrop -------------------------------------------------------------------
def test_rescaling_scalar_and_per_channel(engine, rng):
    x = rng.uniform(0, 255, (2, 3, 3, 3)).astype("float32")
    np.testing.assert_allclose(to_numpy(layers.Rescaling(1 / 255)(x)), x / 255, rtol=1e-6)
    out = to_numpy(layers.Rescaling(1 / 127.5, offset=-1)(x.astype("uint8")))
    np.testing.assert_allclose(out, x.astype("uint8") / 127.5 - 1, rtol=1e-5, atol=1e-6)
    lamina.config.set_image_data_format("channels_last")
    scale = [1.0, 2.0, 3.0]
    np.testing.assert_allclose(to_numpy(layers.Rescaling(scale, offset=1.0)(x)), x * scale + 1, rtol=1e-6)
    lamina.config.set_image_data_format("channels_first")
    first = np.moveaxis(x, -1, 1)
    np.testing.assert_allclose(to_numpy(layers.Rescaling(scale)(first)),
                               first * np.reshape(scale, (3, 1, 1)), rtol=1e-6)


@pytest.mark.parametrize("data_format", FORMATS)
def test_resizing_matches_a_numpy_bilinear(engine, rng, data_format):
    x = images(rng, (2, 3, 4, 2), data_format)
    layer = layers.Resizing(6, 8, data_format=data_format)
    out = hwc(assert_symbolic_matches_eager(layer, x), data_format)
    # half-pixel centres: output pixel i reads input (i + 0.5) * in / out - 0.5, clamped to the image
    rows = np.clip((np.arange(6) + 0.5) * 3 / 6 - 0.5, 0, 2)
    cols = np.clip((np.arange(8) + 0.5) * 4 / 8 - 0.5, 0, 3)
    grid_rows, grid_cols = np.meshgrid(rows, cols, indexing="ij")
    for image, result in zip(hwc(x, data_format), out, strict=True):
        np.testing.assert_allclose(result, bilinear(image, grid_rows, grid_cols), rtol=1e-5, atol=1e-6)


def test_resizing_options_follow_ops_image_resize(engine, rng):
    x = rng.uniform(0, 1, (2, 4, 8, 3)).astype("float32")
    for options in (dict(interpolation="nearest"), dict(crop_to_aspect_ratio=True),
                    dict(pad_to_aspect_ratio=True, fill_value=0.5), dict(interpolation="bicubic", antialias=True)):
        layer = layers.Resizing(3, 3, data_format="channels_last", **options)
        expected = ops.image.resize(x, (3, 3), data_format="channels_last", **options)
        np.testing.assert_allclose(to_numpy(layer(x)), to_numpy(expected), rtol=1e-6)
    integers = (x * 255).astype("uint8")
    out = layers.Resizing(2, 4, data_format="channels_last")(integers)
    assert ops.dtype(out) == "uint8"
    expected = np.round(to_numpy(ops.image.resize(integers, (2, 4), data_format="channels_last")))
    np.testing.assert_array_equal(to_numpy(out), expected.astype("uint8"))
    with pytest.raises(ValueError, match="interpolation"):
        layers.Resizing(2, 2, interpolation="area")
    with pytest.raises(ValueError, match="height"):
        layers.Resizing(0, 2)


@pytest.mark.parametrize("data_format", FORMATS)
def test_center_crop_takes_the_central_window(engine, rng, data_format):
    x = images(rng, (2, 6, 7, 3), data_format)
    out = hwc(assert_symbolic_matches_eager(layers.CenterCrop(3, 4, data_format=data_format), x), data_format)
    np.testing.assert_array_equal(out, hwc(x, data_format)[:, 1:4, 1:5])
    small = layers.CenterCrop(8, 4, data_format=data_format)(x)  # taller than the image: crop to 2:1, resize
    expected = ops.image.resize(x, (8, 4), crop_to_aspect_ratio=True, data_format=data_format)
    np.testing.assert_allclose(to_numpy(small), to_numpy(expected), rtol=1e-6)
    single = layers.CenterCrop(2, 2, data_format=data_format)(x[0])
    assert tuple(single.shape) == ((2, 2, 3) if data_format == "channels_last" else (3, 2, 2))


# -- augmentation --------------------------------------------------------------------------------------
AUGMENTATIONS = [
    (layers.RandomFlip, dict()),
    (layers.RandomRotation, dict(factor=0.2)),
    (layers.RandomZoom, dict(height_factor=0.3, width_factor=0.2)),
    (layers.RandomTranslation, dict(height_factor=0.2, width_factor=0.3)),
    (layers.RandomContrast, dict(factor=0.5, value_range=(0, 1))),
    (layers.RandomBrightness, dict(factor=0.3, value_range=(0, 1))),
]


@pytest.mark.parametrize("cls, kwargs", AUGMENTATIONS, ids=lambda v: getattr(v, "__name__", ""))
def test_augmentation_is_identity_at_inference_and_seeded(engine, rng, cls, kwargs):
    x = images(rng, (4, 6, 6, 3))
    layer = cls(seed=3, data_format="channels_last", **kwargs)
    np.testing.assert_array_equal(to_numpy(layer(x, training=False)), x)
    first, second = to_numpy(layer(x)), to_numpy(layer(x, training=True))  # a direct call trains, as in Keras
    assert not np.array_equal(first, second)  # each call draws anew
    twin = cls(seed=3, data_format="channels_last", **kwargs)
    np.testing.assert_array_equal(to_numpy(twin(x)), first)  # the same seed draws the same changes
    model = lamina.Sequential([layers.Input((6, 6, 3)), cls(seed=3, data_format="channels_last", **kwargs)])
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    assert tuple(layer(x[0]).shape) == (6, 6, 3)  # one image


@pytest.mark.parametrize("data_format", FORMATS)
def test_random_flip_modes_are_exact(engine, rng, data_format):
    x = images(rng, (16, 3, 4, 2), data_format)
    h_axis, w_axis = (1, 2) if data_format == "channels_last" else (2, 3)
    modes = (("horizontal", (w_axis,)), ("vertical", (h_axis,)), ("horizontal_and_vertical", (h_axis, w_axis)))
    for mode, axes in modes:
        out = to_numpy(layers.RandomFlip(mode, seed=5, data_format=data_format)(x))
        flipped = [np.array_equal(o, np.flip(i, axis=tuple(a - 1 for a in axes))) for o, i in zip(out, x, strict=True)]
        kept = [np.array_equal(o, i) for o, i in zip(out, x, strict=True)]
        assert all(f or k for f, k in zip(flipped, kept, strict=True)) and any(flipped) and any(kept), mode


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("turns, k", [(0.25, 1), (-0.25, -1), (0.5, 2)])
def test_random_rotation_by_quarter_turns_is_rot90(engine, rng, data_format, turns, k):
    x = images(rng, (2, 5, 5, 3), data_format)
    layer = layers.RandomRotation((turns, turns), interpolation="nearest", data_format=data_format, seed=1)
    out = hwc(to_numpy(layer(x)), data_format)
    np.testing.assert_array_equal(out, np.rot90(hwc(x, data_format), k=k, axes=(1, 2)))


def test_random_zoom_and_translation_follow_their_affine_maps(engine, rng):
    x = images(rng, (2, 4, 6, 1))
    zoom = layers.RandomZoom((-0.5, -0.5), (-0.25, -0.25), data_format="channels_last", seed=1)
    rows, cols = np.meshgrid(0.5 * np.arange(4) + 1.5 * 0.5, 0.75 * np.arange(6) + 2.5 * 0.25, indexing="ij")
    for image, result in zip(x, to_numpy(zoom(x)), strict=True):  # zoom in x2 vertically, x4/3 horizontally
        np.testing.assert_allclose(result, bilinear(image, rows, cols), rtol=1e-5, atol=1e-6)
    shift = layers.RandomTranslation((0.25, 0.25), (-0.5, -0.5), fill_mode="constant", fill_value=-1.0,
                                     data_format="channels_last", seed=1)
    expected = np.full_like(x, -1.0)
    expected[:, 1:, :3] = x[:, :3, 3:]  # one row down, three columns left
    np.testing.assert_allclose(to_numpy(shift(x)), expected, atol=1e-6)


def test_random_contrast_and_brightness_formulas(engine, rng):
    x = images(rng, (8, 4, 4, 3)) * 100 + 50  # values 50..150, well inside (0, 255)
    out = to_numpy(layers.RandomContrast((0.4, 0.3), data_format="channels_last", seed=2)(x))  # sorted: (0.3, 0.4)
    mean = x.mean(axis=(1, 2), keepdims=True)
    factors = ((out - mean) / (x - mean)).reshape(8, -1)
    np.testing.assert_allclose(factors, factors[:, :1].repeat(factors.shape[1], 1), rtol=1e-3)
    assert np.all((factors >= 0.7 - 1e-4) & (factors <= 1.4 + 1e-4)) and np.ptp(factors[:, 0]) > 0
    deltas = (to_numpy(layers.RandomBrightness((-0.2, 0.1), data_format="channels_last", seed=2)(x)) - x)
    deltas = deltas.reshape(8, -1)
    np.testing.assert_allclose(deltas, deltas[:, :1].repeat(deltas.shape[1], 1), atol=1e-3)
    assert np.all((deltas >= -0.2 * 255 - 1e-3) & (deltas <= 0.1 * 255 + 1e-3)) and np.ptp(deltas[:, 0]) > 0
    bright = to_numpy(layers.RandomBrightness((0.9, 1.0), value_range=(0, 1), seed=2)(x / 255))
    np.testing.assert_array_equal(bright, np.ones_like(x))  # clipped to value_range
    contrasted = to_numpy(layers.RandomContrast(1.0, value_range=(60, 140), seed=2)(x))
    assert contrasted.min() >= 60 and contrasted.max() <= 140


@pytest.mark.parametrize("data_format", FORMATS)
def test_random_crop_windows_and_inference_resize(engine, rng, data_format):
    x = images(rng, (2, 6, 8, 3), data_format)
    layer = layers.RandomCrop(3, 4, seed=4, data_format=data_format)
    crops = hwc(to_numpy(layer(x)), data_format)
    source = hwc(x, data_format)
    windows = [(top, left) for top in range(4) for left in range(5)
               if np.array_equal(crops, source[:, top:top + 3, left:left + 4])]
    assert len(windows) == 1
    expected = ops.image.resize(x, (3, 4), crop_to_aspect_ratio=True, data_format=data_format)
    np.testing.assert_allclose(to_numpy(layer(x, training=False)), to_numpy(expected), rtol=1e-6)
    small = layers.RandomCrop(8, 8, seed=4, data_format=data_format)(x)  # smaller than the window: resized
    expected = ops.image.resize(x, (8, 8), crop_to_aspect_ratio=True, data_format=data_format)
    np.testing.assert_allclose(to_numpy(small), to_numpy(expected), rtol=1e-6)
    assert layer.compute_output_shape((None,) + x.shape[1:])[0] is None
    assert isinstance(layers.RandomCrop(2, 2).get_config()["seed"], int)


def test_augmentation_bad_arguments(engine):
    for make, match in ((lambda: layers.RandomFlip("diagonal"), "mode"),
                        (lambda: layers.RandomRotation(1.5), "factor"),
                        (lambda: layers.RandomRotation(0.1, fill_mode="mirror"), "fill_mode"),
                        (lambda: layers.RandomZoom(-1.0), "height_factor"),
                        (lambda: layers.RandomZoom(0.1, (0.1, 0.2, 0.3)), "width_factor"),
                        (lambda: layers.RandomTranslation(0.1, 1.2), "width_factor"),
                        (lambda: layers.RandomContrast(-0.1), "factor"),
                        (lambda: layers.RandomBrightness(0.1, value_range=(0,)), "value_range"),
                        (lambda: layers.RandomCrop(0, 2), "height")):
        with pytest.raises(ValueError, match=match):
            make()
    with pytest.raises(ValueError, match="RandomFlip expects 3D"):
        layers.RandomFlip()(np.zeros((2, 3), "float32"))


def test_factor_configs_are_keras(engine):
    assert layers.RandomRotation(0.2).get_config()["factor"] == (-0.2, 0.2)
    assert layers.RandomContrast(0.2).get_config()["factor"] == (0.0, 0.2)  # Keras 3: (0, f) for a number
    assert layers.RandomBrightness((0.3, -0.1)).get_config()["factor"] == (-0.1, 0.3)
    assert layers.RandomBrightness(0.1, value_range=(255, 0)).get_config()["value_range"] == [0, 255]
    config = layers.RandomZoom(0.2, fill_mode="constant", data_format="channels_first").get_config()
    assert {k: config[k] for k in ("height_factor", "width_factor", "fill_mode", "fill_value", "interpolation",
                                   "seed", "data_format")} == dict(
        height_factor=0.2, width_factor=None, fill_mode="constant", fill_value=0.0, interpolation="bilinear",
        seed=None, data_format="channels_first")


# -- training and saving -------------------------------------------------------------------------------
def test_a_model_with_augmentation_trains_with_fit(engine, rng):
    x = rng.uniform(0, 1, (16, 8, 8, 3)).astype("float32")
    y = x.mean(axis=(1, 2, 3))[:, None]
    augment = [layers.RandomFlip(seed=1), layers.RandomRotation(0.1, seed=2), layers.RandomZoom(0.1, seed=3),
               layers.RandomTranslation(0.1, 0.1, seed=4), layers.RandomContrast(0.2, value_range=(0, 1), seed=5),
               layers.RandomBrightness(0.1, value_range=(0, 1), seed=6), layers.RandomCrop(6, 6, seed=7)]
    model = lamina.Sequential(
        [layers.Input((8, 8, 3)), layers.Rescaling(2.0, offset=-1.0), *[
            type(layer).from_config({**layer.get_config(), "data_format": "channels_last"}) for layer in augment],
         layers.Conv2D(4, 3, data_format="channels_last"), layers.GlobalAveragePooling2D("channels_last"),
         layers.Dense(1)])
    states = [to_numpy(layer.generator.state).copy() for layer in model.layers[1:8]]
    model.compile(optimizer=lamina.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=3, verbose=0).history["loss"]
    assert np.all(np.isfinite(history)) and history[-1] < history[0]
    for state, layer in zip(states, model.layers[1:8], strict=True):
        assert not np.array_equal(state, to_numpy(layer.generator.state))  # the step drew from the seed state
    first, second = model.predict(x, verbose=0), model.predict(x, verbose=0)
    np.testing.assert_array_equal(first, second)  # no augmentation at inference


def test_keras_file_round_trip_keeps_the_statistics(engine, rng, tmp_path):
    x = rng.normal(2.0, 3.0, (20, 4)).astype("float32")
    normalization, discretization = layers.Normalization(), layers.Discretization(num_bins=3, output_mode="one_hot")
    normalization.adapt(x)
    discretization.adapt(x)
    inputs = layers.Input((4,))
    outputs = [normalization(inputs), discretization(inputs),
               layers.Normalization(mean=[1.0] * 4, variance=[4.0] * 4, invert=True)(inputs)]
    model = lamina.Model(inputs, outputs)
    path = str(tmp_path / "stats.keras")
    model.save(path)
    loaded = lamina.saving.load_model(path)
    for before, after in zip(model.predict(x, verbose=0), loaded.predict(x, verbose=0), strict=True):
        np.testing.assert_allclose(after, before, rtol=1e-6)
    assert loaded.layers[2].bin_boundaries == discretization.bin_boundaries
    np.testing.assert_allclose(to_numpy(loaded.layers[1].adapt_variance), x.var(0), rtol=1e-5)


def test_keras_file_round_trip_of_image_layers(engine, rng, tmp_path):
    x = rng.uniform(0, 255, (2, 6, 6, 3)).astype("float32")
    model = lamina.Sequential([
        layers.Input((6, 6, 3)), layers.Rescaling(1 / 255), layers.Resizing(8, 8, data_format="channels_last"),
        layers.CenterCrop(6, 6, data_format="channels_last"), layers.RandomFlip(seed=1, data_format="channels_last"),
        layers.RandomCrop(4, 4, seed=2, data_format="channels_last"),
        layers.RandomRotation(0.1, seed=3, data_format="channels_last")])
    path = str(tmp_path / "images.keras")
    model.save(path)
    loaded = lamina.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert [layer.get_config() for layer in loaded.layers] == [layer.get_config() for layer in model.layers]
