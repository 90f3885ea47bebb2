"""Torch implementations of ``lamina.ops.image``.

``resize`` samples at half-pixel centres. Nearest and plain bilinear run torch's fused ``F.interpolate``;
bicubic (Keys, a = -0.5), Lanczos and antialiased filters apply one interpolation matrix per spatial axis,
built with the same kernels, edge renormalisation and antialias widening as ``jax.image.resize``, so both
engines give the same numbers.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import torch
import torch.nn.functional as F

from lamina.backend.torch.numpy import _float, _tensor


def _triangle(x):
    return np.maximum(0.0, 1.0 - x)


def _keys_cubic(x):
    """Keys' cubic convolution kernel with a = -0.5 (the kernel of TF's and JAX's bicubic)."""
    return np.where(x < 1.0, (1.5 * x - 2.5) * x * x + 1.0,
                    np.where(x < 2.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, 0.0))


def _lanczos(radius: int):
    return lambda x: np.where(x < radius, np.sinc(x) * np.sinc(x / radius), 0.0)


_KERNELS = {"bilinear": _triangle, "bicubic": _keys_cubic, "lanczos3": _lanczos(3), "lanczos5": _lanczos(5)}


@functools.lru_cache(maxsize=64)
def _interpolation_matrix(in_size: int, out_size: int, interpolation: str, antialias: bool) -> np.ndarray:
    """The (out_size, in_size) matrix mapping one axis of an image to its resized axis."""
    inv_scale = in_size / out_size
    widen = max(inv_scale, 1.0) if antialias else 1.0
    centres = (np.arange(out_size) + 0.5) * inv_scale - 0.5
    weights = _KERNELS[interpolation](np.abs(centres[:, None] - np.arange(in_size)[None, :]) / widen)
    totals = weights.sum(axis=1, keepdims=True)
    weights = np.where(np.abs(totals) > 1000 * np.finfo(np.float32).eps, weights / np.where(totals, totals, 1), 0)
    inside = (centres >= -0.5) & (centres <= in_size - 0.5)
    return np.where(inside[:, None], weights, 0.0)


def resize(images, size, interpolation, antialias, data_format):
    """Resize a 4D batch of images to ``size`` (height, width)."""
    images = _float(images)
    if data_format == "channels_last":
        images = images.permute(0, 3, 1, 2)  # a view: torch's kernels accept channels-last memory
    if interpolation == "nearest":
        resized = F.interpolate(images, size=size, mode="nearest-exact")
    elif interpolation == "bilinear" and not antialias:
        resized = F.interpolate(images, size=size, mode="bilinear", align_corners=False)
    else:
        resized = _resize_by_matrices(images, size, interpolation, antialias)
    return resized.permute(0, 2, 3, 1) if data_format == "channels_last" else resized


def _resize_by_matrices(images, size, interpolation, antialias):
    """Separable resize of channels-first ``images``: one matrix product per spatial axis."""
    height, width = images.shape[2:]
    rows, cols = (
        torch.as_tensor(_interpolation_matrix(n, m, interpolation, antialias), dtype=images.dtype,
                        device=images.device)
        for n, m in ((height, size[0]), (width, size[1]))
    )
    return rows @ images @ cols.T


# -- resampling at arbitrary coordinates (the semantics of jax.scipy.ndimage.map_coordinates) -------
def _mirror(index, size: int):
    period = max(size - 1, 1)
    return torch.abs((index + period) % (2 * period) - period)


_INDEX_FIXERS = {
    "constant": lambda index, size: index,
    "nearest": lambda index, size: index.clamp(0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": _mirror,
    "reflect": lambda index, size: torch.div(_mirror(2 * index + 1, 2 * size + 1) - 1, 2, rounding_mode="floor"),
}


def _round_half_away(x):
    return torch.sign(x) * torch.floor(torch.abs(x) + 0.5)


def _nodes(coordinate, order: int):
    """(index, weight) pairs of one axis' interpolation: the nearest node, or the two linear ones."""
    if order == 0:
        return [(_round_half_away(coordinate).long(), None)]
    lower = torch.floor(coordinate)
    upper_weight = coordinate - lower
    return [(lower.long(), 1 - upper_weight), (lower.long() + 1, upper_weight)]


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0.0):
    """Sample ``inputs`` at ``coordinates`` (one array per input axis) by nearest (``order=0``) or linear
    (``order=1``) interpolation; ``fill_mode`` says how indices outside the input are read."""
    inputs = _tensor(inputs)
    work = inputs if inputs.is_floating_point() else inputs.to(torch.float32)
    coords = [_tensor(c).to(work.dtype) for c in coordinates]
    fix = _INDEX_FIXERS[fill_mode]
    per_axis = [_nodes(c, order) for c in coords]
    result = 0
    for corner in itertools.product(*per_axis):
        indices = [fix(index, size) for (index, _), size in zip(corner, inputs.shape)]
        if fill_mode == "constant":
            inside = functools.reduce(torch.logical_and, [(index >= 0) & (index < size) for (index, _), size
                                                          in zip(corner, inputs.shape)])
            indices = [index.clamp(0, size - 1) for index, size in zip(indices, inputs.shape)]
            value = torch.where(inside, work[tuple(indices)], torch.as_tensor(fill_value, dtype=work.dtype))
        else:
            value = work[tuple(indices)]
        for _, weight in corner:
            if weight is not None:
                value = value * weight
        result = result + value
    if not inputs.is_floating_point():
        result = _round_half_away(result)
    return result.to(inputs.dtype)


# -- scale and translate (the semantics of jax.image.scale_and_translate) ----------------------------
_TORCH_KERNELS = {
    "linear": lambda x: torch.clamp(1.0 - x, min=0.0),
    "cubic": lambda x: torch.where(x < 1.0, (1.5 * x - 2.5) * x * x + 1.0,
                                   torch.where(x < 2.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, 0.0)),
    "lanczos3": lambda x: torch.where(x < 3, torch.sinc(x) * torch.sinc(x / 3), 0.0),
    "lanczos5": lambda x: torch.where(x < 5, torch.sinc(x) * torch.sinc(x / 5), 0.0),
}


def _scale_matrix(in_size, out_size, scale, translation, kernel, antialias):
    """The (in_size, out_size) matrix resampling one axis scaled by ``scale`` and shifted by ``translation``."""
    sample = (torch.arange(out_size, dtype=scale.dtype, device=scale.device) + 0.5 - translation) / scale - 0.5
    widen = torch.clamp(1 / scale, min=1.0) if antialias else torch.ones_like(scale)
    weights = kernel(torch.abs(sample[None, :] - torch.arange(in_size, dtype=scale.dtype,
                                                               device=scale.device)[:, None]) / widen)
    totals = weights.sum(dim=0, keepdim=True)
    eps = torch.finfo(torch.float32).eps
    weights = torch.where(torch.abs(totals) > 1000 * eps, weights / torch.where(totals != 0, totals, 1), 0.0)
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return torch.where(inside[None, :], weights, 0.0)


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias=True):
    images = _float(images)
    scale = _tensor(scale).to(images.dtype)
    translation = _tensor(translation).to(images.dtype)
    kernel = _TORCH_KERNELS[method]
    out = images
    for i, dim in enumerate(spatial_dims):
        matrix = _scale_matrix(images.shape[dim], output_shape[dim], scale[i], translation[i], kernel, antialias)
        out = torch.movedim(torch.tensordot(torch.movedim(out, dim, -1), matrix, dims=1), -1, dim)
    return out
