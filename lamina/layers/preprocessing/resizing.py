"""Resizing: resizes images to a fixed (height, width), optionally keeping their aspect ratio."""

from __future__ import annotations

from lamina import backend, ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.preprocessing.base_image_layer import ImageLayer, check_size


class Resizing(ImageLayer):
    """Resizes images with ``ops.image.resize``; integer images are rounded and saturated back to their
    dtype, float images come out in the compute dtype.

    Args:
        height, width: the output size.
        interpolation: "bilinear" (default), "nearest", "bicubic", "lanczos3", "lanczos5".
        crop_to_aspect_ratio: first crop the largest centred window with the target aspect ratio.
        pad_to_aspect_ratio: first pad the short side evenly with ``fill_value`` to the target aspect ratio.
        fill_mode: how padding is filled; only "constant".
        fill_value: the padding value.
        antialias: widen the filter when downsampling.
        data_format: "channels_last" or "channels_first"; default ``config.image_data_format()``.

    Example:
        >>> layer = Resizing(2, 3)
        >>> tuple(layer(np.zeros((1, 4, 6, 3))).shape)
        (1, 2, 3, 3)
    """

    def __init__(self, height: int, width: int, interpolation: str = "bilinear", crop_to_aspect_ratio: bool = False,
                 pad_to_aspect_ratio: bool = False, fill_mode: str = "constant", fill_value: float = 0.0,
                 antialias: bool = False, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = check_size(height, "height", "Resizing")
        self.width = check_size(width, "width", "Resizing")
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)
        ops.image.resize(SymbolicTensor((1, 1, 1, 1), "float32"), (self.height, self.width), **self._options())

    def _options(self) -> dict:
        return dict(interpolation=self.interpolation, antialias=self.antialias,
                    crop_to_aspect_ratio=self.crop_to_aspect_ratio, pad_to_aspect_ratio=self.pad_to_aspect_ratio,
                    fill_mode=self.fill_mode, fill_value=self.fill_value, data_format=self.data_format)

    def call(self, inputs):
        dtype = backend.standardize_dtype(inputs.dtype)
        resized = ops.image.resize(inputs, (self.height, self.width), **self._options())
        if backend.is_float_dtype(dtype):
            return ops.cast(resized, dtype)
        return ops.saturate_cast(ops.round(resized), dtype)

    def compute_output_spec(self, inputs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return self._with_size(input_shape, self.height, self.width)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, "interpolation": self.interpolation,
                       "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                       "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                       "fill_value": self.fill_value, "antialias": self.antialias})
        return config
