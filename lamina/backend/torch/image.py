"""Torch implementations of ``lamina.ops.image``.

``resize`` samples at half-pixel centres. Nearest and plain bilinear run torch's fused ``F.interpolate``;
bicubic (Keys, a = -0.5), Lanczos and antialiased filters apply one interpolation matrix per spatial axis,
built with the same kernels, edge renormalisation and antialias widening as ``jax.image.resize``, so both
engines give the same numbers.
"""

from __future__ import annotations

import functools

import numpy as np
import torch
import torch.nn.functional as F

from lamina.backend.torch.numpy import _float


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
