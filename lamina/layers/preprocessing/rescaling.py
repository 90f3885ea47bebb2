"""Rescaling: maps inputs linearly, ``x * scale + offset`` (e.g. pixel values from [0, 255] to [0, 1])."""

from __future__ import annotations

import numpy as np

from lamina import config, ops
from lamina.layers.layer import Layer


class Rescaling(Layer):
    """Computes ``inputs * scale + offset`` in the compute dtype.

    Args:
        scale: a number, or one number per channel (a list; with "channels_first" images the per-channel
            values are laid along the channel axis).
        offset: a number (default 0) or one per channel.

    Example:
        >>> layer = Rescaling(1 / 127.5, offset=-1)
        >>> ops.convert_to_numpy(layer(np.array([0.0, 127.5, 255.0]))).tolist()
        [-1.0, 0.0, 1.0]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = ops.convert_to_tensor(np.asarray(self.scale), dtype=dtype)
        rank = len(scale.shape)
        if rank and config.image_data_format() == "channels_first":
            scale = ops.reshape(scale, tuple(scale.shape) + (1,) * (3 - rank))
        return ops.cast(inputs, dtype) * scale + ops.convert_to_tensor(np.asarray(self.offset), dtype=dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config_ = super().get_config()
        config_.update({"scale": self.scale, "offset": self.offset})
        return config_
