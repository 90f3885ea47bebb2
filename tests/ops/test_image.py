"""ops.image.resize: numbers against torch.nn.functional.interpolate (half-pixel centres) and NumPy, both data
formats, one image or a batch, aspect-ratio cropping and padding, shape rules, and argument errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import ops
from lamina.backend import SymbolicTensor, convert_to_numpy


def _torch_resize(x, size, mode, antialias=False, data_format="channels_last"):
    """Reference resize of a NumPy batch with torch (align_corners=False is half-pixel sampling)."""
    t = torch.tensor(x)
    if data_format == "channels_last":
        t = t.permute(0, 3, 1, 2)
    kwargs = {} if mode == "nearest-exact" else dict(align_corners=False, antialias=antialias)
    out = F.interpolate(t, size=size, mode=mode, **kwargs)
    return (out.permute(0, 2, 3, 1) if data_format == "channels_last" else out).numpy()


def _resize(x, size, **kwargs):
    return convert_to_numpy(ops.image.resize(x, size, **kwargs))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("size", [(10, 12), (3, 4), (7, 3)])
def test_bilinear_and_nearest_match_torch(engine, rng, data_format, size):
    x = rng.normal(size=(2, 5, 6, 3) if data_format == "channels_last" else (2, 3, 5, 6)).astype("float32")
    for interpolation, mode in (("bilinear", "bilinear"), ("nearest", "nearest-exact")):
        out = _resize(x, size, interpolation=interpolation, data_format=data_format)
        np.testing.assert_allclose(out, _torch_resize(x, size, mode, data_format=data_format), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic"])
@pytest.mark.parametrize("size", [(4, 3), (12, 20), (3, 14)])
def test_antialiased_filters_match_torch(engine, rng, interpolation, size):
    # torch's antialiased kernels are the same filters (bicubic a=-0.5, widened when downsampling,
    # renormalized at the edges); upsampling is unaffected by antialiasing.
    x = rng.normal(size=(2, 9, 7, 2)).astype("float32")
    out = _resize(x, size, interpolation=interpolation, antialias=True, data_format="channels_last")
    np.testing.assert_allclose(out, _torch_resize(x, size, interpolation, antialias=True), rtol=1e-5, atol=1e-5)
    if size[0] > 9 and size[1] > 7:
        np.testing.assert_allclose(_resize(x, size, interpolation=interpolation, data_format="channels_last"),
                                   out, rtol=1e-5, atol=1e-5)


def _lanczos_reference(image, size, radius):
    """Direct per-pixel Lanczos resampling of one (height, width) image at half-pixel centres."""
    def axis_weights(n_in, n_out):
        weights = np.zeros((n_out, n_in))
        for i in range(n_out):
            centre = (i + 0.5) * n_in / n_out - 0.5
            for j in range(n_in):
                d = abs(centre - j)
                weights[i, j] = np.sinc(d) * np.sinc(d / radius) if d < radius else 0.0
            weights[i] /= weights[i].sum()
        return weights
    return axis_weights(image.shape[0], size[0]) @ image @ axis_weights(image.shape[1], size[1]).T


@pytest.mark.parametrize("radius", [3, 5])
def test_lanczos_matches_a_direct_computation(engine, rng, radius):
    x = rng.normal(size=(1, 2, 6, 5)).astype("float32")
    out = _resize(x, (11, 9), interpolation=f"lanczos{radius}", data_format="channels_first")
    expected = np.stack([_lanczos_reference(x[0, c].astype("float64"), (11, 9), radius) for c in range(2)])
    np.testing.assert_allclose(out[0], expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"])
def test_same_size_is_identity_and_constants_stay_constant(engine, rng, interpolation):
    x = rng.normal(size=(4, 5, 2)).astype("float32")  # one image, channels_last
    np.testing.assert_allclose(_resize(x, (4, 5), interpolation=interpolation, data_format="channels_last"), x,
                               rtol=1e-5, atol=1e-5)
    flat = np.full((2, 6, 7), 3.5, "float32")
    out = _resize(flat, (3, 11), interpolation=interpolation, data_format="channels_first")
    assert out.shape == (2, 3, 11)
    np.testing.assert_allclose(out, 3.5, rtol=1e-5)


def test_crop_and_pad_to_aspect_ratio(engine, rng):
    x = rng.normal(size=(1, 4, 8, 1)).astype("float32")
    cropped = _resize(x, (2, 2), crop_to_aspect_ratio=True, data_format="channels_last")
    np.testing.assert_allclose(cropped, _torch_resize(x[:, :, 2:6], (2, 2), "bilinear"), rtol=1e-5, atol=1e-6)
    padded = _resize(x, (4, 4), pad_to_aspect_ratio=True, fill_value=-1.0, data_format="channels_last")
    canvas = np.full((1, 8, 8, 1), -1.0, "float32")
    canvas[:, 2:6] = x
    np.testing.assert_allclose(padded, _torch_resize(canvas, (4, 4), "bilinear"), rtol=1e-5, atol=1e-6)
    tall = rng.normal(size=(1, 2, 6, 3)).astype("float32")  # channels_first: 6 rows, 3 cols -> 3x3 centred crop
    out = _resize(tall, (3, 3), crop_to_aspect_ratio=True, data_format="channels_first")
    np.testing.assert_allclose(out, tall[:, :, 1:4], rtol=1e-5, atol=1e-6)


def test_shape_rule_matches_eager(engine):
    images = np.arange(2 * 3 * 4 * 2, dtype="int32").reshape(2, 3, 4, 2)
    eager = ops.image.resize(images, (5, 7), data_format="channels_last")
    symbolic = ops.image.resize(SymbolicTensor((None, 3, 4, 2), "int32"), (5, 7), data_format="channels_last")
    assert symbolic.shape == (None, 5, 7, 2) and tuple(eager.shape) == (2, 5, 7, 2)
    assert symbolic.dtype == ops.dtype(eager) == "float32"
    half = ops.image.resize(SymbolicTensor((3, None, None), "float16"), (5, 7), data_format="channels_first")
    assert half.shape == (3, 5, 7) and half.dtype == "float16"


@pytest.mark.parametrize("kwargs, message", [
    (dict(size=(2,)), r"`size` must be a tuple of two positive ints.*size=\(2,\)"),
    (dict(size=(2, 0)), r"size=\(2, 0\)"),
    (dict(size=(2, 2), interpolation="area"), r"`interpolation` must be one of.*interpolation='area'"),
    (dict(size=(2, 2), interpolation="nearest", antialias=True), r"antialias"),
    (dict(size=(2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True), r"only one of"),
    (dict(size=(2, 2), pad_to_aspect_ratio=True, fill_mode="reflect"), r"fill_mode='reflect'"),
    (dict(size=(2, 2), data_format="channels_middle"), r"data_format"),
])
def test_bad_arguments(engine, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ops.image.resize(np.zeros((1, 4, 4, 1), "float32"), **kwargs)
    with pytest.raises(ValueError, match=message):
        ops.image.resize(SymbolicTensor((None, 4, 4, 1), "float32"), **kwargs)


def test_bad_rank(engine):
    with pytest.raises(ValueError, match=r"`resize`: `images` must be 3D.*4D.*\(4, 4\)"):
        ops.image.resize(np.zeros((4, 4), "float32"), (2, 2))
