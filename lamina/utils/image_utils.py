"""Single images between files, Pillow images and NumPy arrays, with Keras' signatures and conventions:
``load_img`` gives a Pillow image, ``img_to_array`` a float array ``(height, width, channels)`` (channels
first with ``data_format="channels_first"``), ``array_to_img`` and ``save_img`` go back, stretching the
values to ``[0, 255]`` unless ``scale=False``.
"""

from __future__ import annotations

import io
import os
import pathlib
import warnings

import numpy as np

from lamina import config
from lamina.utils.atomic import atomic_path

# Keras' names for ``load_img``'s resampling filters, as Pillow names them.
_RESAMPLING = {"nearest": "NEAREST", "bilinear": "BILINEAR", "bicubic": "BICUBIC", "hamming": "HAMMING",
               "box": "BOX", "lanczos": "LANCZOS"}
_MODES = {"grayscale": ("L", "I;16", "I"), "rgb": ("RGB",), "rgba": ("RGBA",)}
_MODE_OF_CHANNELS = {3: "RGB", 4: "RGBA"}


def _data_format(data_format: str | None) -> str:
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("Invalid value for argument `data_format`. Expected 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}")
    return data_format


def _centered_crop(width: int, height: int, target_width: int, target_height: int) -> tuple:
    """The box ``(left, top, right, bottom)`` of the largest centered window with the target's aspect ratio."""
    crop_height = min(height, width * target_height // target_width)
    crop_width = min(width, height * target_width // target_height)
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return left, top, left + crop_width, top + crop_height


def load_img(path, color_mode: str = "rgb", target_size=None, interpolation: str = "nearest",
             keep_aspect_ratio: bool = False):
    """Read an image file (a path or a ``io.BytesIO``) into a Pillow image.

    Args:
        path: the file's path (``str``, ``bytes`` or ``pathlib.Path``) or an ``io.BytesIO``.
        color_mode: ``"grayscale"`` (8-, 16- and 32-bit grayscale files keep their depth), ``"rgb"`` or
            ``"rgba"``.
        target_size: ``(height, width)`` to resize to, or None to keep the file's size.
        interpolation: the resampling filter: ``"nearest"``, ``"bilinear"``, ``"bicubic"``, ``"hamming"``,
            ``"box"`` or ``"lanczos"``.
        keep_aspect_ratio: resize the largest centered window with the target's aspect ratio (no distortion)
            instead of the whole image.
    """
    from PIL import Image

    if color_mode not in _MODES:
        raise ValueError(f'color_mode must be "grayscale", "rgb", or "rgba". Received: color_mode={color_mode!r}')
    if isinstance(path, io.BytesIO):
        image = Image.open(path)
    elif isinstance(path, (str, bytes, pathlib.Path)):
        with open(path, "rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    if image.mode not in _MODES[color_mode]:
        image = image.convert(_MODES[color_mode][0])
    if target_size is None or image.size == (target_size[1], target_size[0]):
        return image
    if interpolation not in _RESAMPLING:
        raise ValueError(f"Invalid interpolation method {interpolation} specified. Supported methods are "
                         f"{', '.join(_RESAMPLING)}")
    target_height, target_width = target_size
    box = _centered_crop(*image.size, target_width, target_height) if keep_aspect_ratio else None
    return image.resize((target_width, target_height), getattr(Image.Resampling, _RESAMPLING[interpolation]),
                        box=box)


def img_to_array(img, data_format: str | None = None, dtype: str | None = None) -> np.ndarray:
    """A Pillow image (or anything array-like) as a rank-3 array of ``dtype`` (default ``floatx``); a
    grayscale image gets its channel axis.

    Example:
        >>> from PIL import Image
        >>> img_to_array(Image.new("L", (4, 2), color=7)).shape
        (2, 4, 1)
    """
    data_format = _data_format(data_format)
    array = np.asarray(img, dtype=config.floatx() if dtype is None else dtype)
    if array.ndim == 2:
        array = array[None] if data_format == "channels_first" else array[:, :, None]
    elif array.ndim == 3:
        array = array.transpose(2, 0, 1) if data_format == "channels_first" else array
    else:
        raise ValueError(f"Unsupported image shape: {array.shape}")
    return array


def array_to_img(x, data_format: str | None = None, scale: bool = True, dtype: str | None = None):
    """A rank-3 array (one image) as a Pillow image: 1 channel gives grayscale (32-bit when values exceed
    255), 3 RGB, 4 RGBA. With ``scale``, the values are first stretched so the smallest is 0 and the largest
    255."""
    from PIL import Image

    array = np.asarray(x, dtype=config.floatx() if dtype is None else dtype)
    if array.ndim != 3:
        raise ValueError(f"Expected image array to have rank 3 (single image). Got array with shape: {array.shape}")
    if _data_format(data_format) == "channels_first":
        array = array.transpose(1, 2, 0)
    if scale:
        array = array - np.min(array)
        if np.max(array) != 0:
            array = array / np.max(array)
        array = array * 255
    channels = array.shape[2]
    if channels in _MODE_OF_CHANNELS:
        return Image.fromarray(array.astype("uint8"), _MODE_OF_CHANNELS[channels])
    if channels == 1:
        if np.max(array) > 255:
            return Image.fromarray(array[:, :, 0].astype("int32"), "I")
        return Image.fromarray(array[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def save_img(path, x, data_format: str | None = None, file_format: str | None = None, scale: bool = True,
             **kwargs) -> None:
    """Write the image array ``x`` to ``path`` (a file name or a file object), in ``file_format`` or the
    format its extension names. A JPEG cannot hold alpha: an RGBA image is saved as RGB, with a warning.
    A file path is written under a temporary name and renamed when complete. ``kwargs`` go to Pillow's
    ``Image.save``."""
    image = array_to_img(x, data_format=data_format, scale=scale)
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower() or None
    if file_format is not None and file_format.lower() == "jpg":
        file_format = "jpeg"
    if image.mode == "RGBA" and file_format is not None and file_format.lower() == "jpeg":
        warnings.warn("The JPG format does not support RGBA images, converting to RGB.", stacklevel=2)
        image = image.convert("RGB")
    if not isinstance(path, (str, pathlib.Path)):
        image.save(path, format=file_format, **kwargs)
        return
    with atomic_path(os.fspath(path)) as temporary:
        image.save(temporary, format=file_format, **kwargs)
