"""load_img / img_to_array / array_to_img / save_img against NumPy and Pillow's own pixels, and an image file
read into a model's predict and fit."""

import io
import warnings

import numpy as np
import pytest
from PIL import Image

import lamina
from lamina.utils import array_to_img, img_to_array, load_img, save_img


@pytest.fixture
def pixels():
    """A 4x6 RGB image whose every pixel differs."""
    return (np.arange(4 * 6 * 3).reshape(4, 6, 3) * 3).astype("uint8")


@pytest.fixture
def png(tmp_path, pixels):
    path = tmp_path / "image.png"
    Image.fromarray(pixels, "RGB").save(path)
    return path


def test_load_img_modes_and_arrays(engine, png, pixels):
    image = load_img(png)
    assert image.mode == "RGB" and image.size == (6, 4)
    array = img_to_array(image)
    assert array.dtype == np.float32 and array.shape == (4, 6, 3)
    np.testing.assert_array_equal(array, pixels)
    np.testing.assert_array_equal(img_to_array(image, data_format="channels_first"), pixels.transpose(2, 0, 1))
    gray = img_to_array(load_img(str(png), color_mode="grayscale"))
    assert gray.shape == (4, 6, 1)
    # Pillow's L conversion: (299 R + 587 G + 114 B) / 1000, rounded.
    expected = (pixels.astype(np.int64) @ np.array([299, 587, 114]) + 500) // 1000
    np.testing.assert_allclose(gray[:, :, 0], expected, atol=1)
    assert img_to_array(load_img(png, color_mode="rgba")).shape == (4, 6, 4)
    with open(png, "rb") as handle:
        np.testing.assert_array_equal(img_to_array(load_img(io.BytesIO(handle.read()))), pixels)


def test_load_img_resizes_nearest_and_keeps_the_aspect_ratio(engine, png, pixels):
    # Nearest neighbour halving takes every other row and column, starting at the centre of the first pair.
    np.testing.assert_array_equal(img_to_array(load_img(png, target_size=(2, 3))), pixels[1::2, 1::2])
    # A square target from a 4x6 image: the centered 4x4 window (columns 1..4), then nearest to 2x2.
    square = img_to_array(load_img(png, target_size=(2, 2), keep_aspect_ratio=True))
    np.testing.assert_array_equal(square, pixels[:, 1:5][1::2, 1::2])
    with pytest.raises(ValueError, match="Invalid interpolation method cubic"):
        load_img(png, target_size=(2, 2), interpolation="cubic")
    with pytest.raises(ValueError, match="color_mode"):
        load_img(png, color_mode="cmyk")
    with pytest.raises(TypeError, match="path should be path-like"):
        load_img(3)


def test_array_to_img_scales_to_the_full_range(engine):
    x = np.array([[[-1.0], [0.0]], [[1.0], [3.0]]])
    image = array_to_img(x)
    assert image.mode == "L"
    np.testing.assert_array_equal(np.asarray(image), [[0, 63], [127, 255]])  # (x + 1) / 4 * 255, truncated
    unscaled = array_to_img(np.full((2, 2, 1), 300.0), scale=False)
    assert unscaled.mode == "I" and np.asarray(unscaled)[0, 0] == 300
    first = array_to_img(np.zeros((1, 2, 3)), data_format="channels_first")
    assert first.mode == "L" and first.size == (3, 2)
    assert array_to_img(np.zeros((2, 2, 4))).mode == "RGBA"
    with pytest.raises(ValueError, match="rank 3"):
        array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unsupported channel number: 2"):
        array_to_img(np.zeros((2, 2, 2)))


def test_save_img_round_trip_and_jpeg_alpha(engine, tmp_path, pixels):
    path = tmp_path / "saved.png"
    save_img(path, pixels.astype("float32"), scale=False)
    np.testing.assert_array_equal(np.asarray(Image.open(path)), pixels)
    assert [p.name for p in tmp_path.iterdir()] == ["saved.png"]  # no temporary left behind
    rgba = np.concatenate([pixels, np.full((4, 6, 1), 255, "uint8")], axis=-1)
    with pytest.warns(UserWarning, match="does not support RGBA"):
        save_img(str(tmp_path / "saved.jpg"), rgba)
    assert Image.open(tmp_path / "saved.jpg").mode == "RGB"
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        save_img(buffer, pixels, file_format="png", scale=False)
    np.testing.assert_array_equal(np.asarray(Image.open(buffer)), pixels)


def test_a_loaded_image_goes_through_a_model(engine, png, pixels):
    """The array ``img_to_array`` gives is what a model sees: a mean over pixels equals NumPy's."""
    batch = img_to_array(load_img(png))[None] / 255.0
    model = lamina.Sequential([lamina.Input((4, 6, 3)),
                               lamina.layers.GlobalAveragePooling2D(data_format="channels_last"),
                               lamina.layers.Dense(1, kernel_initializer="ones", use_bias=False)])
    model.compile(optimizer="sgd", loss="mse")
    expected = (pixels / 255.0).mean(axis=(0, 1)).sum()
    np.testing.assert_allclose(model.predict(batch, verbose=0), [[expected]], rtol=1e-5)
    history = model.fit(batch, np.zeros((1, 1)), epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]
