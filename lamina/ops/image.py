"""Image ops (``lamina.ops.image``), with Keras 3 names and arguments: ``resize``.

Images are 3D (one image) or 4D (a batch), laid out by ``data_format`` (default
``lamina.config.image_data_format()``): ``(..., height, width, channels)`` or ``(..., channels, height, width)``.
"""

from __future__ import annotations

import math

from lamina import backend, config
from lamina.backend.common.dtypes import is_float, result_type
from lamina.backend.common.seed_generator import draw_seed
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops import linalg as linalg_ops
from lamina.ops import nn as nn_ops
from lamina.ops import numpy as np_ops
from lamina.ops.op import op
from lamina.ops.spec import dtype_of, shape_of

_image = backend.image

__all__ = [
    "affine_transform", "crop_images", "elastic_transform", "extract_patches", "extract_patches_3d",
    "gaussian_blur", "hsv_to_rgb", "map_coordinates", "pad_images", "perspective_transform",
    "reconstruct_patches", "resize", "rgb_to_grayscale", "rgb_to_hsv", "scale_and_translate", "sobel_edges",
    "ssim",
]

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


# -- shared layout helpers --------------------------------------------------------------------------
def _images_shape(images, op_name: str, name: str = "images") -> tuple:
    shape = shape_of(images)
    if len(shape) not in (3, 4):
        raise ValueError(f"`{op_name}`: `{name}` must be 3D (one image) or 4D (a batch of images). "
                         f"Received: {name}.shape={shape}")
    return shape


def _channels_axis(data_format: str) -> int:
    return -1 if data_format == "channels_last" else -3


def _batched_channels_last(images, data_format: str):
    """``images`` as a 4D channels-last batch, and the function that restores the caller's layout."""
    batched = len(shape_of(images)) == 4
    x = images if batched else np_ops.expand_dims(images, 0)
    if data_format == "channels_first":
        x = np_ops.transpose(x, (0, 2, 3, 1))

    def restore(y):
        if data_format == "channels_first":
            y = np_ops.transpose(y, (0, 3, 1, 2))
        return y if batched else np_ops.squeeze(y, 0)

    return x, restore


def _same_rule(op_name: str):
    """Rule of an image op whose result has its input's shape and dtype."""
    def rule(images, *args, **kwargs):
        return SymbolicTensor(_images_shape(images, op_name), dtype_of(images))
    return rule


# -- colour spaces ----------------------------------------------------------------------------------
_GRAY_WEIGHTS = (0.2989, 0.5870, 0.1140)  # ITU-R BT.601 luma, as tf.image.rgb_to_grayscale


def _grayscale_rule(images, data_format=None):
    data_format = config.standardize_data_format(data_format)
    shape = list(_images_shape(images, "rgb_to_grayscale"))
    axis = _channels_axis(data_format)
    if shape[axis] not in (None, 1, 3):
        raise ValueError("`rgb_to_grayscale`: expected 3 (RGB) or 1 (grayscale) channels. "
                         f"Received: images.shape={tuple(shape)}")
    shape[axis] = 1
    return SymbolicTensor(tuple(shape), dtype_of(images))


@op(_grayscale_rule)
def rgb_to_grayscale(images, data_format=None):
    """Luma ``0.2989 R + 0.5870 G + 0.1140 B`` of RGB images (one channel; one-channel images pass through).
    The result keeps the input's dtype."""
    spec = _grayscale_rule(images, data_format)
    axis = _channels_axis(config.standardize_data_format(data_format))
    if shape_of(images)[axis] == 1:
        return images
    weights = np_ops.array(_GRAY_WEIGHTS, dtype=result_type(dtype_of(images), float))
    gray = np_ops.tensordot(np_ops.moveaxis(images, axis, -1), weights, axes=1)
    return backend.core.cast(np_ops.expand_dims(gray, axis), spec.dtype)


def _hsv_rule(op_name: str):
    def rule(images, data_format=None):
        data_format = config.standardize_data_format(data_format)
        shape = _images_shape(images, op_name)
        dtype = dtype_of(images)
        if not is_float(dtype):
            raise ValueError(f"`{op_name}`: expected float images. Received: images.dtype={dtype}")
        if shape[_channels_axis(data_format)] not in (None, 3):
            raise ValueError(f"`{op_name}`: expected 3 channels. Received: images.shape={shape}")
        return SymbolicTensor(shape, dtype)
    return rule


def _planes(images, data_format):
    axis = _channels_axis(config.standardize_data_format(data_format))
    return [np_ops.take(images, i, axis=axis) for i in range(3)], axis


@op(_hsv_rule("rgb_to_hsv"))
def rgb_to_hsv(images, data_format=None):
    """RGB float images (values in [0, 1]) to HSV, all in [0, 1]; hue 0 is red, 1/3 green, 2/3 blue."""
    _hsv_rule("rgb_to_hsv")(images, data_format)
    (red, green, blue), axis = _planes(images, data_format)
    value = np_ops.maximum(np_ops.maximum(red, green), blue)
    spread = value - np_ops.minimum(np_ops.minimum(red, green), blue)
    saturation = np_ops.where(value > 0, spread / np_ops.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * np_ops.where(spread > 0, spread, 1.0))
    hue = np_ops.where(value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0)
    hue = np_ops.where(value == red, norm * (green - blue), hue)
    hue = np_ops.where(spread > 0, hue, 0.0)
    hue = np_ops.where(hue < 0.0, hue + 1.0, hue)
    return np_ops.stack([hue, saturation, value], axis=axis)


@op(_hsv_rule("hsv_to_rgb"))
def hsv_to_rgb(images, data_format=None):
    """HSV float images (values in [0, 1]) back to RGB."""
    _hsv_rule("hsv_to_rgb")(images, data_format)
    (hue, saturation, value), axis = _planes(images, data_format)
    sector = np_ops.mod(hue, 1.0) * 6.0
    planes = [np_ops.clip(np_ops.abs(sector - 3.0) - 1.0, 0.0, 1.0),
              np_ops.clip(2.0 - np_ops.abs(sector - 2.0), 0.0, 1.0),
              np_ops.clip(2.0 - np_ops.abs(sector - 4.0), 0.0, 1.0)]
    return np_ops.stack([value * (1.0 - saturation + saturation * p) for p in planes], axis=axis)


# -- padding and cropping ---------------------------------------------------------------------------
def _edges(before, after, target, size, what: str, op_name: str) -> tuple:
    """(before, after) amounts from exactly two of ``before``, ``after`` and the target size."""
    given = [v for v in (before, after, target) if v is not None]
    if len(given) != 2:
        raise ValueError(f"`{op_name}`: specify exactly two of the {what} before, after and the target size. "
                         f"Received: before={before}, after={after}, target={target}")
    if any(v < 0 for v in given):
        raise ValueError(f"`{op_name}`: {what} amounts and targets must be >= 0. "
                         f"Received: before={before}, after={after}, target={target}")
    if size is None:
        return before, after
    sign = 1 if op_name == "pad_images" else -1
    if before is None:
        before = sign * (target - size) - after
    if after is None:
        after = sign * (target - size) - before
    if before < 0 or after < 0:
        raise ValueError(f"`{op_name}`: the {what} amounts must be >= 0. Received a target of {target} for a "
                         f"size of {size}.")
    return before, after


def _frame_spec(op_name, images, top, left, bottom, right, target_height, target_width, data_format):
    """The output spec of ``pad_images``/``crop_images``; per axis two of (before, after, target) are given."""
    data_format = config.standardize_data_format(data_format)
    shape = list(_images_shape(images, op_name))
    axes = _spatial_axes(len(shape), data_format)
    sign = 1 if op_name == "pad_images" else -1
    for axis, before, after, target in ((axes[0], top, bottom, target_height), (axes[1], left, right,
                                                                               target_width)):
        what = "padding" if sign > 0 else "cropping"
        before, after = _edges(before, after, target, shape[axis], what, op_name)
        if target is None and shape[axis] is not None:
            target = shape[axis] + sign * (before + after)
        if target is None:
            raise ValueError(f"`{op_name}`: with an unknown image size, give the target size.")
        shape[axis] = target
    return SymbolicTensor(tuple(shape), dtype_of(images))


def _pad_rule(images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None,
              target_height=None, target_width=None, data_format=None):
    return _frame_spec("pad_images", images, top_padding, left_padding, bottom_padding, right_padding,
                       target_height, target_width, data_format)


def _crop_rule(images, top_cropping=None, left_cropping=None, bottom_cropping=None, right_cropping=None,
               target_height=None, target_width=None, data_format=None):
    return _frame_spec("crop_images", images, top_cropping, left_cropping, bottom_cropping, right_cropping,
                       target_height, target_width, data_format)


def _frame(images, top, left, bottom, right, target_height, target_width, data_format, op_name):
    """The resolved (before, after) amounts of both spatial axes, and the axes."""
    data_format = config.standardize_data_format(data_format)
    shape = shape_of(images)
    axes = _spatial_axes(len(shape), data_format)
    what = "padding" if op_name == "pad_images" else "cropping"
    amounts = [_edges(top, bottom, target_height, shape[axes[0]], what, op_name),
               _edges(left, right, target_width, shape[axes[1]], what, op_name)]
    return amounts, axes


@op(_pad_rule)
def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None,
               target_height=None, target_width=None, data_format=None):
    """Zero-pad images; per axis give two of (before, after, target size)."""
    _pad_rule(images, top_padding, left_padding, bottom_padding, right_padding, target_height,
                              target_width, data_format)
    amounts, axes = _frame(images, top_padding, left_padding, bottom_padding, right_padding, target_height,
                           target_width, data_format, "pad_images")
    widths = [(0, 0)] * len(shape_of(images))
    for axis, amount in zip(axes, amounts):
        widths[axis] = amount
    return np_ops.pad(images, widths)


@op(_crop_rule)
def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None, right_cropping=None,
                target_height=None, target_width=None, data_format=None):
    """Crop images; per axis give two of (before, after, target size)."""
    _crop_rule(images, top_cropping, left_cropping, bottom_cropping, right_cropping,
                               target_height, target_width, data_format)
    amounts, axes = _frame(images, top_cropping, left_cropping, bottom_cropping, right_cropping, target_height,
                           target_width, data_format, "crop_images")
    index = [slice(None)] * len(shape_of(images))
    for axis, (before, after) in zip(axes, amounts):
        index[axis] = slice(before, shape_of(images)[axis] - after)
    return np_ops.get_item(images, tuple(index))



# -- resampling -------------------------------------------------------------------------------------
_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
_ORDERS = {"nearest": 0, "bilinear": 1}


def _check_choice(value, choices, name: str, op_name: str):
    if value not in choices:
        raise ValueError(f"`{op_name}`: invalid value for argument `{name}`. Expected one of {tuple(choices)}. "
                         f"Received: {name}={value!r}")


def _map_coordinates_rule(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    _check_choice(order, (0, 1), "order", "map_coordinates")
    _check_choice(fill_mode, _FILL_MODES, "fill_mode", "map_coordinates")
    rank = len(shape_of(inputs))
    c_shape = (len(coordinates),) + tuple(shape_of(coordinates[0])) if isinstance(coordinates, (list, tuple)) \
        else shape_of(coordinates)
    if len(c_shape) < 2 or c_shape[0] != rank:
        raise ValueError("`map_coordinates`: `coordinates` must hold one array per axis of `inputs` (rank >= 2 "
                         f"in all). Received inputs of rank {rank} and coordinates of shape {c_shape}.")
    return SymbolicTensor(c_shape[1:], dtype_of(inputs))


@op(_map_coordinates_rule)
def map_coordinates(inputs, coordinates, order: int, fill_mode: str = "constant", fill_value=0):
    """Sample ``inputs`` at ``coordinates`` (``(inputs.ndim, ...)``: one coordinate array per axis) with
    nearest (``order=0``) or linear (``order=1``) interpolation. ``fill_mode`` reads points outside as
    ``fill_value`` ("constant"), the edge ("nearest"), or a periodic ("wrap") or mirrored ("mirror",
    "reflect") extension, as ``scipy.ndimage.map_coordinates``."""
    _map_coordinates_rule(inputs, coordinates, order, fill_mode, fill_value)
    return _image.map_coordinates(inputs, [coordinates[i] for i in range(len(shape_of(inputs)))], order,
                                  fill_mode, fill_value)


def _sample(images, rows, cols, interpolation, fill_mode, fill_value):
    """Channels-last batch ``images (B, H, W, C)`` sampled at per-image points ``rows, cols (B, H', W')``."""
    batch, channels = shape_of(images)[0], shape_of(images)[-1]
    grid = shape_of(rows)

    def full(values):
        return np_ops.broadcast_to(values, grid + (channels,))

    b = np_ops.reshape(np_ops.arange(batch, dtype=dtype_of(rows)), (batch, 1, 1, 1))
    c = np_ops.reshape(np_ops.arange(channels, dtype=dtype_of(rows)), (1, 1, 1, channels))
    coordinates = [full(b), full(np_ops.expand_dims(rows, -1)), full(np_ops.expand_dims(cols, -1)), full(c)]
    return _image.map_coordinates(images, coordinates, _ORDERS[interpolation], fill_mode, fill_value)


def _pixel_grid(height: int, width: int, dtype: str):
    rows, cols = np_ops.meshgrid(np_ops.arange(height, dtype=dtype), np_ops.arange(width, dtype=dtype),
                                 indexing="ij")
    return rows, cols


def _affine_rule(images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0,
                 data_format=None):
    _check_choice(interpolation, _ORDERS, "interpolation", "affine_transform")
    _check_choice(fill_mode, _FILL_MODES, "fill_mode", "affine_transform")
    if len(shape_of(transform)) not in (1, 2) or shape_of(transform)[-1] not in (None, 8):
        raise ValueError("`affine_transform`: `transform` must be (8,) or (batch, 8). "
                         f"Received: transform.shape={shape_of(transform)}")
    return SymbolicTensor(_images_shape(images, "affine_transform"), dtype_of(images))


@op(_affine_rule)
def affine_transform(images, transform, interpolation: str = "bilinear", fill_mode: str = "constant",
                     fill_value=0, data_format=None):
    """Apply projective transforms ``[a0, a1, a2, b0, b1, b2, c0, c1]``: the output pixel ``(x, y)`` reads
    the input at ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`` with ``k = c0 x + c1 y + 1`` (as
    ``tf.raw_ops.ImageProjectiveTransformV3``; Keras' backends ignore ``c0, c1``, so do we: ``k = 1``)."""
    data_format = config.standardize_data_format(data_format)
    _affine_rule(images, transform, interpolation, fill_mode, fill_value, data_format)
    x, restore = _batched_channels_last(images, data_format)
    batch, height, width, _ = shape_of(x)
    dtype = result_type(dtype_of(transform), float)
    transform = np_ops.reshape(backend.core.cast(transform, dtype), (-1, 8))
    transform = np_ops.broadcast_to(transform, (batch, 8)) if shape_of(transform)[0] == 1 else transform
    rows, cols = _pixel_grid(height, width, dtype)

    def coefficient(i):
        return np_ops.reshape(transform[:, i], (-1, 1, 1))

    src_cols = coefficient(0) * cols + coefficient(1) * rows + coefficient(2)
    src_rows = coefficient(3) * cols + coefficient(4) * rows + coefficient(5)
    return restore(_sample(x, src_rows, src_cols, interpolation, fill_mode, fill_value))


def _perspective_rule(images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None):
    _check_choice(interpolation, _ORDERS, "interpolation", "perspective_transform")
    for name, points in (("start_points", start_points), ("end_points", end_points)):
        shape = shape_of(points)
        if len(shape) not in (2, 3) or tuple(shape[-2:]) != (4, 2):
            raise ValueError(f"`perspective_transform`: `{name}` must be (4, 2) or (batch, 4, 2). "
                             f"Received: {name}.shape={shape}")
    if shape_of(start_points) != shape_of(end_points):
        raise ValueError("`perspective_transform`: start_points and end_points must have the same shape. Received "
                         f"{shape_of(start_points)} and {shape_of(end_points)}.")
    return SymbolicTensor(_images_shape(images, "perspective_transform"), dtype_of(images))


def _homographies(start_points, end_points):
    """(batch, 8) coefficients of the maps sending each ``end_points`` quad onto its ``start_points`` quad."""
    sx, sy, ex, ey = start_points[..., 0], start_points[..., 1], end_points[..., 0], end_points[..., 1]
    zeros, ones = np_ops.zeros_like(ex), np_ops.ones_like(ex)
    x_rows = np_ops.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], axis=-1)
    y_rows = np_ops.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], axis=-1)
    system = np_ops.concatenate([x_rows, y_rows], axis=1)
    targets = np_ops.concatenate([sx, sy], axis=-1)
    return linalg_ops.solve(system, targets)


@op(_perspective_rule)
def perspective_transform(images, start_points, end_points, interpolation: str = "bilinear", fill_value=0,
                          data_format=None):
    """Warp images so that the quad ``start_points`` (4 (x, y) corners) lands on ``end_points``; points read
    from outside the image take ``fill_value``."""
    data_format = config.standardize_data_format(data_format)
    _perspective_rule(images, start_points, end_points, interpolation, fill_value, data_format)
    x, restore = _batched_channels_last(images, data_format)
    _, height, width, _ = shape_of(x)
    dtype = result_type(dtype_of(x), float)
    start = np_ops.reshape(backend.core.cast(start_points, dtype), (-1, 4, 2))
    end = np_ops.reshape(backend.core.cast(end_points, dtype), (-1, 4, 2))
    h = _homographies(start, end)
    rows, cols = _pixel_grid(height, width, dtype)

    def coefficient(i):
        return np_ops.reshape(h[:, i], (-1, 1, 1))

    denominator = coefficient(6) * cols + coefficient(7) * rows + 1.0
    src_cols = (coefficient(0) * cols + coefficient(1) * rows + coefficient(2)) / denominator
    src_rows = (coefficient(3) * cols + coefficient(4) * rows + coefficient(5)) / denominator
    batch = shape_of(x)[0]
    if shape_of(src_rows)[0] != batch:
        src_rows, src_cols = (np_ops.broadcast_to(t, (batch, height, width)) for t in (src_rows, src_cols))
    return restore(_sample(x, src_rows, src_cols, interpolation, "constant", fill_value))


def _gaussian(size: int, sigma, dtype):
    offsets = np_ops.arange(size, dtype=dtype) - (size - 1) / 2.0
    weights = np_ops.exp(-0.5 * np_ops.square(offsets / sigma))
    return weights / np_ops.sum(weights)


def _depthwise(x, kernel_2d, padding: str):
    """Each channel of a channels-last batch convolved with one (kh, kw) kernel."""
    channels = shape_of(x)[-1]
    kernel = np_ops.tile(np_ops.reshape(kernel_2d, shape_of(kernel_2d) + (1, 1)), (1, 1, channels, 1))
    return nn_ops.depthwise_conv(x, kernel, padding=padding, data_format="channels_last")


@op(_same_rule("gaussian_blur"))
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blur each channel with a normalised Gaussian of ``kernel_size`` (rows, cols) and ``sigma`` (rows, cols),
    zero-padded to keep the size."""
    data_format = config.standardize_data_format(data_format)
    _images_shape(images, "gaussian_blur")
    x, restore = _batched_channels_last(images, data_format)
    dtype = result_type(dtype_of(x), float)
    kernel = np_ops.outer(_gaussian(kernel_size[0], sigma[0], dtype), _gaussian(kernel_size[1], sigma[1], dtype))
    blurred = _depthwise(backend.core.cast(x, dtype), kernel, "same")
    return restore(backend.core.cast(blurred, dtype_of(images)))


_SOBEL_ROWS = ((-1.0, -2.0, -1.0), (0.0, 0.0, 0.0), (1.0, 2.0, 1.0))


def _sobel_rule(images, data_format=None):
    shape = shape_of(images)
    if len(shape) != 4:
        raise ValueError(f"`sobel_edges` expects a batch of images (rank 4). Received: images.shape={shape}")
    return SymbolicTensor(shape + (2,), dtype_of(images))


@op(_sobel_rule)
def sobel_edges(images, data_format=None):
    """Sobel gradients of each channel, zero-padded: ``images.shape + (2,)`` holding ``(d/dy, d/dx)``."""
    data_format = config.standardize_data_format(data_format)
    _sobel_rule(images, data_format)
    x, restore = _batched_channels_last(images, data_format)
    dy = np_ops.array(_SOBEL_ROWS, dtype=dtype_of(x))
    edges = [restore(_depthwise(x, kernel, "same")) for kernel in (dy, np_ops.transpose(dy))]
    return np_ops.stack(edges, axis=-1)


def _ssim_rule(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, data_format=None):
    shape = _images_shape(image1, "ssim", "image1")
    _images_shape(image2, "ssim", "image2")
    return SymbolicTensor(() if len(shape) == 3 else shape[:1], dtype_of(image1))


@op(_ssim_rule)
def ssim(image1, image2, max_val=1.0, filter_size: int = 11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """Structural similarity of two images (or batches), averaged over the valid windows of a Gaussian
    filter (``filter_size``, ``filter_sigma``) and over channels; ``max_val`` is the dynamic range."""
    data_format = config.standardize_data_format(data_format)
    spec = _ssim_rule(image1, image2, max_val, filter_size, filter_sigma, k1, k2, data_format)
    dtype = result_type(dtype_of(image1), float)
    a, _ = _batched_channels_last(backend.core.cast(image1, dtype), data_format)
    b, _ = _batched_channels_last(backend.core.cast(image2, dtype), data_format)
    window = _gaussian(filter_size, filter_sigma, dtype)
    kernel = np_ops.outer(window, window)

    def local_mean(t):
        return _depthwise(t, kernel, "valid")

    mu1, mu2 = local_mean(a), local_mean(b)
    var1, var2 = local_mean(a * a) - mu1 * mu1, local_mean(b * b) - mu2 * mu2
    covariance = local_mean(a * b) - mu1 * mu2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    index = ((2.0 * mu1 * mu2 + c1) * (2.0 * covariance + c2)) / ((mu1 * mu1 + mu2 * mu2 + c1) * (var1 + var2 + c2))
    score = np_ops.mean(index, axis=(1, 2, 3))
    score = score if len(shape_of(image1)) == 4 else score[0]
    return backend.core.cast(score, spec.dtype)


def _elastic_rule(images, alpha=20.0, sigma=5.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                  seed=None, data_format=None):
    _check_choice(interpolation, _ORDERS, "interpolation", "elastic_transform")
    _check_choice(fill_mode, _FILL_MODES, "fill_mode", "elastic_transform")
    return SymbolicTensor(_images_shape(images, "elastic_transform"), dtype_of(images))


@op(_elastic_rule)
def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation: str = "bilinear", fill_mode: str = "reflect",
                      fill_value=0.0, seed=None, data_format=None):
    """Elastic deformation: each pixel reads the input displaced by a Gaussian-smoothed (``sigma``) random
    field scaled by ``alpha``; one field per image, shared by its channels. ``seed``: an int, a
    ``SeedGenerator`` or None (the global generator, as every random op: ``set_random_seed`` repeats it)."""
    data_format = config.standardize_data_format(data_format)
    _elastic_rule(images, alpha, sigma, interpolation, fill_mode, fill_value, seed, data_format)
    x, restore = _batched_channels_last(images, data_format)
    batch, height, width, _ = shape_of(x)
    dtype = result_type(dtype_of(x), float)
    size = int(6 * sigma) | 1
    noise = backend.random.normal((batch, height, width, 2), 0.0, float(sigma), dtype, draw_seed(seed))
    field = gaussian_blur(noise, (size, size), (sigma, sigma), data_format="channels_last") * alpha
    rows, cols = _pixel_grid(height, width, dtype)
    warped = _sample(x, rows + field[..., 1], cols + field[..., 0], interpolation, fill_mode, fill_value)
    return restore(warped)


_SCALE_METHODS = {"linear": "linear", "bilinear": "linear", "trilinear": "linear", "cubic": "cubic",
                  "bicubic": "cubic", "tricubic": "cubic", "lanczos3": "lanczos3", "lanczos5": "lanczos5"}


def _scale_and_translate_rule(images, output_shape, scale, translation, spatial_dims, method, antialias=True):
    _check_choice(method, _SCALE_METHODS, "method", "scale_and_translate")
    return SymbolicTensor(tuple(output_shape), result_type(dtype_of(images), float))


@op(_scale_and_translate_rule)
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method: str,
                        antialias: bool = True):
    """Resample the ``spatial_dims`` of ``images`` to ``output_shape``: output point ``o`` reads the input at
    ``(o + 0.5 - translation) / scale - 0.5`` through the ``method`` kernel (widened when downscaling with
    ``antialias``), as ``jax.image.scale_and_translate``."""
    _scale_and_translate_rule(images, output_shape, scale, translation, spatial_dims, method, antialias)
    return _image.scale_and_translate(images, tuple(output_shape), scale, translation, tuple(spatial_dims),
                                      _SCALE_METHODS[method], antialias)


# -- patches ----------------------------------------------------------------------------------------
def _patch_size(size, n: int, op_name: str) -> tuple:
    values = (size,) * n if isinstance(size, int) else tuple(size)
    if len(values) != n:
        raise ValueError(f"`{op_name}`: `size` must be an int or a tuple of {n} ints. Received: size={size!r}")
    return values


def _patches_rule_for(n: int, op_name: str):
    def rule(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
        data_format = config.standardize_data_format(data_format)
        size = _patch_size(size, n, op_name)
        shape = shape_of(images)
        if len(shape) not in (n + 1, n + 2):
            raise ValueError(f"`{op_name}` expects inputs of rank {n + 1} or {n + 2}. Received shape {shape}.")
        batched = shape if len(shape) == n + 2 else (1,) + shape
        channels = batched[-1] if data_format == "channels_last" else batched[1]
        kernel = SymbolicTensor(size + (channels, None if channels is None else math.prod(size) * channels))
        out = nn_ops.conv.shape_rule(SymbolicTensor(batched, dtype_of(images)), kernel, strides or size, padding,
                                     data_format, dilation_rate)
        return SymbolicTensor(out.shape if len(shape) == n + 2 else out.shape[1:], dtype_of(images))
    return rule


def _extract(images, size, strides, dilation_rate, padding, data_format, n, op_name):
    data_format = config.standardize_data_format(data_format)
    spec = _patches_rule_for(n, op_name)(images, size, strides, dilation_rate, padding, data_format)
    size = _patch_size(size, n, op_name)
    batched = len(shape_of(images)) == n + 2
    x = images if batched else np_ops.expand_dims(images, 0)
    channels = shape_of(x)[-1] if data_format == "channels_last" else shape_of(x)[1]
    depth = math.prod(size) * channels
    kernel = np_ops.reshape(np_ops.eye(depth, dtype=dtype_of(x)), size + (channels, depth))
    patches = nn_ops.conv(x, kernel, strides or size, padding, data_format, dilation_rate)
    patches = patches if batched else np_ops.squeeze(patches, 0)
    return backend.core.cast(patches, spec.dtype)


@op(lambda images, size, *args, **kwargs: _patches_rule_for(
    3 if not isinstance(size, int) and len(size) == 3 else 2, "extract_patches")(images, size, *args, **kwargs))
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Patches of ``size`` (2 ints, or 3 for volumes) flattened into the channel axis: ``(..., rows, cols,
    size[0] * size[1] * channels)`` (channels last), every ``strides`` (default ``size``)."""
    n = 3 if not isinstance(size, int) and len(size) == 3 else 2
    return _extract(images, size, strides, dilation_rate, padding, data_format, n, "extract_patches")


@op(_patches_rule_for(3, "extract_patches_3d"))
def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Patches of volumes ``(batch, depth, height, width, channels)`` flattened into the channel axis."""
    return _extract(volumes, size, strides, dilation_rate, padding, data_format, 3, "extract_patches_3d")


def _reconstruct_rule(patches, size, output_size, strides=None, padding="valid", data_format=None):
    data_format = config.standardize_data_format(data_format)
    n = 3 if not isinstance(size, int) and len(size) == 3 else 2
    size, output_size = _patch_size(size, n, "reconstruct_patches"), tuple(output_size)
    if strides is not None and _patch_size(strides, n, "reconstruct_patches") != size:
        raise NotImplementedError("`reconstruct_patches` supports non-overlapping patches only (strides == size). "
                                  f"Received: strides={strides!r}, size={size!r}")
    _check_choice(padding, ("valid", "same"), "padding", "reconstruct_patches")
    shape = shape_of(patches)
    if len(shape) not in (n + 1, n + 2):
        raise ValueError(f"`reconstruct_patches` expects patches of rank {n + 1} or {n + 2}. Received {shape}.")
    batched = shape if len(shape) == n + 2 else (1,) + shape
    grid, flat = (batched[1:-1], batched[-1]) if data_format == "channels_last" else (batched[2:], batched[1])
    volume = math.prod(size)
    if flat is not None and flat % volume:
        raise ValueError(f"`reconstruct_patches`: the patch axis ({flat}) is not divisible by prod(size) ({volume}).")
    for g, p, o in zip(grid, size, output_size):
        fits = g is None or (g * p == o if padding == "valid" else g * p - p < o <= g * p)
        if not fits:
            raise ValueError(f"`reconstruct_patches`: output_size={output_size} does not match a grid of {tuple(grid)} "
                             f"patches of {size} with padding={padding!r}.")
    channels = None if flat is None else flat // volume
    out = output_size + (channels,) if data_format == "channels_last" else (channels,) + output_size
    return SymbolicTensor(out if len(shape) == n + 1 else (shape[0],) + out, dtype_of(patches))


@op(_reconstruct_rule)
def reconstruct_patches(patches, size, output_size, strides=None, padding="valid", data_format=None):
    """Inverse of ``extract_patches`` for non-overlapping patches: tile them back into images (or volumes) of
    ``output_size``; with "same" padding the centred ``output_size`` window is kept."""
    data_format = config.standardize_data_format(data_format)
    spec = _reconstruct_rule(patches, size, output_size, strides, padding, data_format)
    n = len(tuple(output_size))
    size = _patch_size(size, n, "reconstruct_patches")
    x = patches if len(shape_of(patches)) == n + 2 else np_ops.expand_dims(patches, 0)
    if data_format == "channels_first":
        x = np_ops.moveaxis(x, 1, -1)
    grid, channels = shape_of(x)[1:-1], spec.shape[-1] if data_format == "channels_last" else spec.shape[-n - 1]
    x = np_ops.reshape(x, (-1, *grid, *size, channels))
    order = [0] + [a for i in range(n) for a in (1 + i, 1 + n + i)] + [2 * n + 1]
    x = np_ops.reshape(np_ops.transpose(x, order), (-1, *(g * p for g, p in zip(grid, size)), channels))
    index = [slice(None)] + [slice((g * p - o) // 2, (g * p - o) // 2 + o)
                             for g, p, o in zip(grid, size, output_size)] + [slice(None)]
    x = np_ops.get_item(x, tuple(index))
    if data_format == "channels_first":
        x = np_ops.moveaxis(x, -1, 1)
    return x if len(shape_of(patches)) == n + 2 else np_ops.squeeze(x, 0)
