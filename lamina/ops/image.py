"""Image ops (``lamina.ops.image``), with Keras 3 names and arguments: ``resize``.

Images are 3D (one image) or 4D (a batch), laid out by ``data_format`` (default
``lamina.config.image_data_format()``): ``(..., height, width, channels)`` or ``(..., channels, height, width)``.
"""

from __future__ import annotations

from lamina import backend, config
from lamina.backend.common.dtypes import result_type
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops import numpy as np_ops
from lamina.ops.op import op
from lamina.ops.spec import dtype_of, shape_of

_image = backend.image

__all__ = ["resize"]

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


def _check_resize_arguments(images, size, interpolation, antialias, crop_to_aspect_ratio, pad_to_aspect_ratio,
                            fill_mode, data_format) -> tuple:
    """(data_format, (height, width)) after checking every argument of ``resize``."""
    data_format = config.standardize_data_format(data_format)
    rank = len(shape_of(images))
    if rank not in (3, 4):
        raise ValueError(
            "`resize`: `images` must be 3D (one image) or 4D (a batch of images). "
            f"Received: images.shape={shape_of(images)}"
        )
    valid_size = isinstance(size, (tuple, list)) and len(size) == 2 and all(
        isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in size
    )
    if not valid_size:
        raise ValueError(
            f"`resize`: `size` must be a tuple of two positive ints (height, width). Received: size={size!r}"
        )
    if interpolation not in INTERPOLATIONS:
        raise ValueError(
            f"`resize`: `interpolation` must be one of {INTERPOLATIONS}. Received: interpolation={interpolation!r}"
        )
    if antialias and interpolation == "nearest":
        raise ValueError("`resize`: `antialias=True` needs a filtering interpolation, not 'nearest'.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "`resize`: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True. "
            f"Received: crop_to_aspect_ratio={crop_to_aspect_ratio}, pad_to_aspect_ratio={pad_to_aspect_ratio}"
        )
    if fill_mode != "constant":
        raise ValueError(f"`resize`: only fill_mode='constant' is supported. Received: fill_mode={fill_mode!r}")
    return data_format, tuple(size)


def _spatial_axes(rank: int, data_format: str) -> tuple:
    """The (height, width) axes of an image tensor of ``rank``."""
    return (rank - 3, rank - 2) if data_format == "channels_last" else (rank - 2, rank - 1)


def _resize_rule(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    data_format, size = _check_resize_arguments(images, size, interpolation, antialias, crop_to_aspect_ratio,
                                                pad_to_aspect_ratio, fill_mode, data_format)
    shape = list(shape_of(images))
    for axis, length in zip(_spatial_axes(len(shape), data_format), size):
        shape[axis] = length
    return SymbolicTensor(tuple(shape), result_type(dtype_of(images), float))


def _aspect_window(height: int, width: int, target_height: int, target_width: int, grow: bool) -> tuple:
    """(height, width) of the centred window with the target aspect ratio: the largest one inside the image
    (``grow=False``, cropping) or the smallest one holding it (``grow=True``, padding)."""
    window_height = int(width * target_height / target_width)
    window_width = int(height * target_width / target_height)
    if grow:
        return max(height, window_height), max(width, window_width)
    return max(min(height, window_height), 1), max(min(width, window_width), 1)


@op(_resize_rule)
def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """Resize images to ``size = (height, width)``.

    Sampling uses half-pixel centres (as ``tf.image.resize`` and ``jax.image.resize``); ``antialias``
    widens the filter when downsampling. ``crop_to_aspect_ratio`` first crops the largest centred window
    with the target aspect ratio; ``pad_to_aspect_ratio`` first pads the short side evenly with
    ``fill_value``. Integer images give floatx results.
    """
    data_format, size = _check_resize_arguments(images, size, interpolation, antialias, crop_to_aspect_ratio,
                                                pad_to_aspect_ratio, fill_mode, data_format)
    shape = shape_of(images)
    batched = len(shape) == 4
    if not batched:
        images = np_ops.expand_dims(images, 0)
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        images = _fit_aspect_ratio(images, size, crop_to_aspect_ratio, fill_value, data_format)
    resized = _image.resize(images, size, interpolation, bool(antialias), data_format)
    return resized if batched else np_ops.squeeze(resized, 0)


def _fit_aspect_ratio(images, size, crop: bool, fill_value, data_format: str):
    """``images`` (4D) cropped or padded to the centred window with the aspect ratio of ``size``."""
    axes = _spatial_axes(4, data_format)
    shape = shape_of(images)
    height, width = shape[axes[0]], shape[axes[1]]
    window = _aspect_window(height, width, size[0], size[1], grow=not crop)
    if crop:
        index = [slice(None)] * 4
        for axis, length, full in zip(axes, window, (height, width)):
            start = (full - length) // 2
            index[axis] = slice(start, start + length)
        return np_ops.get_item(images, tuple(index))
    widths = [(0, 0)] * 4
    for axis, length, full in zip(axes, window, (height, width)):
        before = (length - full) // 2
        widths[axis] = (before, length - full - before)
    return np_ops.pad(images, widths, constant_values=fill_value)
