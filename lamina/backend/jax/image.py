"""JAX implementations of ``lamina.ops.image``: ``resize`` on ``jax.image.resize`` (half-pixel centres)."""

from __future__ import annotations

import jax

from lamina.backend.jax.numpy import _float

_METHODS = {"nearest": "nearest", "bilinear": "linear", "bicubic": "cubic", "lanczos3": "lanczos3",
            "lanczos5": "lanczos5"}


def resize(images, size, interpolation, antialias, data_format):
    """Resize a 4D batch of images to ``size`` (height, width)."""
    images = _float(images)
    batch, *rest = images.shape
    shape = (batch, *size, rest[-1]) if data_format == "channels_last" else (batch, rest[0], *size)
    return jax.image.resize(images, shape, method=_METHODS[interpolation], antialias=antialias)
