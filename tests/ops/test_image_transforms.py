"""lamina.ops.image transforms, colour spaces, patches and metrics against hand computations and torch."""

import numpy as np
import pytest
from spec_check import check_spec

from lamina.backend import SymbolicTensor, convert_to_numpy
from lamina.ops import image

X = np.arange(2 * 4 * 6 * 3, dtype="float32").reshape(2, 4, 6, 3)


def test_map_coordinates_linear_and_fill_modes(engine):
    signal = np.arange(5.0, dtype="float32")
    points = [np.array([0.5, 3.7, -1.0, 5.2], "float32")]
    np.testing.assert_allclose(convert_to_numpy(image.map_coordinates(signal, points, 1)), [0.5, 3.7, 0, 0], atol=1e-6)
    # reflect: index 5 reads 4 and 6 reads 3 -> 5.2 gives 0.8 * 4 + 0.2 * 3
    np.testing.assert_allclose(convert_to_numpy(image.map_coordinates(signal, points, 1, "reflect")),
                               [0.5, 3.7, 0.0, 3.8], atol=1e-5)
    np.testing.assert_allclose(convert_to_numpy(image.map_coordinates(signal, points, 0, "nearest")), [1, 4, 0, 4])
    check_spec(image.map_coordinates(signal, points, 1),
               image.map_coordinates(SymbolicTensor((5,)), SymbolicTensor((1, 4)), 1))


def test_affine_transform_translates(engine):
    shifted = convert_to_numpy(image.affine_transform(X, np.array([1, 0, -1, 0, 1, 0, 0, 0], "float32")))
    np.testing.assert_array_equal(shifted[:, :, 1:], X[:, :, :-1])
    np.testing.assert_array_equal(shifted[:, :, 0], 0)
    channels_first = image.affine_transform(X.transpose(0, 3, 1, 2), np.eye(3, dtype="float32").ravel()[:8],
                                            data_format="channels_first")
    np.testing.assert_allclose(convert_to_numpy(channels_first), X.transpose(0, 3, 1, 2))
    check_spec(image.affine_transform(X, np.zeros(8, "float32")), image.affine_transform(SymbolicTensor(X.shape),
                                                                                        SymbolicTensor((8,))))


def test_perspective_transform_identity_and_shift(engine):
    quad = np.array([[0, 0], [5, 0], [0, 3], [5, 3]], "float32")
    np.testing.assert_allclose(convert_to_numpy(image.perspective_transform(X, quad, quad)), X, atol=1e-3)
    shifted = convert_to_numpy(image.perspective_transform(X, quad, quad + [1, 0]))
    np.testing.assert_allclose(shifted[:, :, 1:], X[:, :, :-1], atol=1e-3)


def test_colour_spaces(engine):
    rgb = np.array([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.5]]], "float32")
    hsv = convert_to_numpy(image.rgb_to_hsv(rgb))
    np.testing.assert_allclose(hsv[0], [[0, 1, 1], [1 / 3, 1, 1], [2 / 3, 1, 1], [0, 0, 0.5]], atol=1e-6)
    np.testing.assert_allclose(convert_to_numpy(image.hsv_to_rgb(hsv)), rgb, atol=1e-6)
    gray = image.rgb_to_grayscale(rgb)
    np.testing.assert_allclose(convert_to_numpy(gray)[0, :, 0], [0.2989, 0.587, 0.114, 0.49995], atol=1e-6)
    check_spec(gray, image.rgb_to_grayscale(SymbolicTensor(rgb.shape)))
    with pytest.raises(ValueError, match="float"):
        image.rgb_to_hsv(SymbolicTensor((2, 2, 3), "int32"))


def test_pad_and_crop(engine):
    padded = image.pad_images(X, 1, 2, target_height=7, target_width=9)
    np.testing.assert_array_equal(convert_to_numpy(padded)[:, 1:5, 2:8], X)
    assert float(np.abs(convert_to_numpy(padded)).sum()) == float(X.sum())
    check_spec(padded, image.pad_images(SymbolicTensor(X.shape), 1, 2, target_height=7, target_width=9))
    cropped = image.crop_images(X, 1, 2, bottom_cropping=1, right_cropping=1)
    np.testing.assert_array_equal(convert_to_numpy(cropped), X[:, 1:3, 2:5])
    check_spec(cropped, image.crop_images(SymbolicTensor(X.shape), 1, 2, bottom_cropping=1, right_cropping=1))
    with pytest.raises(ValueError, match="exactly two"):
        image.pad_images(X, 1, 1)


def test_patches_round_trip(engine):
    patches = image.extract_patches(X, 2)
    assert tuple(patches.shape) == (2, 2, 3, 12)
    np.testing.assert_array_equal(convert_to_numpy(patches)[0, 0, 1], X[0, 0:2, 2:4].ravel())
    check_spec(patches, image.extract_patches(SymbolicTensor(X.shape), 2))
    np.testing.assert_array_equal(convert_to_numpy(image.reconstruct_patches(patches, 2, (4, 6))), X)
    volumes = np.arange(2 * 4 * 4 * 4, dtype="float32").reshape(1, 4, 4, 4, 2)
    cubes = image.extract_patches_3d(volumes, 2)
    check_spec(cubes, image.extract_patches_3d(SymbolicTensor(volumes.shape), 2))
    np.testing.assert_array_equal(convert_to_numpy(image.reconstruct_patches(cubes, (2, 2, 2), (4, 4, 4))), volumes)


def test_gaussian_blur_and_sobel(engine):
    torch = pytest.importorskip("torch")
    kernel = np.exp(-0.5 * np.arange(-1, 2) ** 2)
    kernel = np.outer(kernel, kernel) / np.outer(kernel, kernel).sum()
    ref = torch.nn.functional.conv2d(torch.tensor(X.transpose(0, 3, 1, 2)), torch.tensor(
        np.tile(kernel[None, None], (3, 1, 1, 1)), dtype=torch.float32), padding=1, groups=3).numpy()
    blurred = image.gaussian_blur(X)
    np.testing.assert_allclose(convert_to_numpy(blurred), ref.transpose(0, 2, 3, 1), rtol=1e-5)
    check_spec(blurred, image.gaussian_blur(SymbolicTensor(X.shape)))
    edges = convert_to_numpy(image.sobel_edges(X))
    # interior pixels of a ramp: d/dy = 8 * 18 (row step), d/dx = 8 * 3 (column step)
    np.testing.assert_allclose(edges[:, 1:-1, 1:-1, :, 0], 144.0)
    np.testing.assert_allclose(edges[:, 1:-1, 1:-1, :, 1], 24.0)
    check_spec(image.sobel_edges(X), image.sobel_edges(SymbolicTensor(X.shape)))


def test_ssim(engine):
    assert np.allclose(convert_to_numpy(image.ssim(X, X, max_val=255.0, filter_size=3)), 1.0)
    # A constant offset: luminance term only, (2 m (m + 10) + c1) / (m^2 + (m + 10)^2 + c1) per window.
    score = convert_to_numpy(image.ssim(X[:, :, :3], X[:, :, :3] + 10, max_val=255.0, filter_size=3))
    assert np.all((score > 0.9) & (score < 1.0))
    check_spec(image.ssim(X, X, filter_size=3), image.ssim(SymbolicTensor(X.shape), SymbolicTensor(X.shape)))


def test_scale_and_translate_bilinear(engine):
    out = image.scale_and_translate(X, (2, 8, 12, 3), np.array([2.0, 2.0], "float32"),
                                    np.array([0.0, 0.0], "float32"), (1, 2), "bilinear")
    # the column 0, 18, 36, 54 read at rows (o + 0.5) / 2 - 0.5 = -0.25 (edge: renormalised), 0.25, 0.75, 1.25
    np.testing.assert_allclose(convert_to_numpy(out)[0, :4, 0, 0], [0.0, 4.5, 13.5, 22.5], rtol=1e-5)
    assert image.scale_and_translate(SymbolicTensor(X.shape), (2, 8, 12, 3), SymbolicTensor((2,)),
                                     SymbolicTensor((2,)), (1, 2), "bilinear").shape == (2, 8, 12, 3)


def test_elastic_transform_is_seeded(engine):
    first = convert_to_numpy(image.elastic_transform(X, alpha=2.0, sigma=1.0, seed=3))
    again = convert_to_numpy(image.elastic_transform(X, alpha=2.0, sigma=1.0, seed=3))
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, X)
    np.testing.assert_allclose(convert_to_numpy(image.elastic_transform(X, alpha=0.0, seed=3)), X, atol=1e-4)
