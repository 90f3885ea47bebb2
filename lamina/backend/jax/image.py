"""JAX implementations of ``lamina.ops.image``: ``resize`` and ``scale_and_translate`` on ``jax.image``
(half-pixel centres), ``map_coordinates`` on ``jax.scipy.ndimage``."""

from __future__ import annotations

import jax

from lamina.backend.jax.numpy import _float, _tensor

_METHODS = {"nearest": "nearest", "bilinear": "linear", "bicubic": "cubic", "lanczos3": "lanczos3",
            "lanczos5": "lanczos5"}


def resize(images, size, interpolation, antialias, data_format):
    """Resize a 4D batch of images to ``size`` (height, width)."""
    images = _float(images)
    batch, *rest = images.shape
    shape = (batch, *size, rest[-1]) if data_format == "channels_last" else (batch, rest[0], *size)
    return jax.image.resize(images, shape, method=_METHODS[interpolation], antialias=antialias)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0.0):
    inputs = _tensor(inputs)
    coordinates = [_tensor(c) for c in coordinates]
    return jax.scipy.ndimage.map_coordinates(inputs, coordinates, order, fill_mode, fill_value)


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias=True):
    images = _float(images)
    return jax.image.scale_and_translate(images, tuple(output_shape), tuple(spatial_dims),
                                         _tensor(scale).astype(images.dtype),
                                         _tensor(translation).astype(images.dtype), method, antialias)
