"""RandomRotation: turns images by a random angle about their centre during training."""

from __future__ import annotations

import math

from lamina import ops
from lamina.layers.preprocessing.base_image_layer import RandomAffineLayer, affine_rows, symmetric_factor


class RandomRotation(RandomAffineLayer):
    """Rotates each image by an angle drawn from ``[lower, upper] * 2 pi`` during training (positive angles
    turn counter-clockwise); identity otherwise.

    Args:
        factor: a number ``f`` (angles in ``[-f, f] * 2 pi``) or a pair ``(lower, upper)``, in ``[-1, 1]``.
        fill_mode: how points outside the image read: "reflect" (default), "wrap", "constant", "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int seed for reproducible angles.
        fill_value: the value read outside the image when ``fill_mode="constant"``.
        data_format: "channels_last" or "channels_first"; default ``config.image_data_format()``.

    Example:
        >>> layer = RandomRotation(0.1, seed=1)
        >>> tuple(layer(np.zeros((2, 5, 5, 1)), training=True).shape)
        (2, 5, 5, 1)
    """

    def __init__(self, factor, fill_mode: str = "reflect", interpolation: str = "bilinear", seed: int | None = None,
                 fill_value: float = 0.0, data_format: str | None = None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.factor = symmetric_factor(factor, "factor", "RandomRotation")

    def transforms(self, batch, height, width):
        lower, upper = self.factor
        angle = self.uniform((batch, 1), lower * 2 * math.pi, upper * 2 * math.pi, dtype="float32")
        cos, sin = ops.cos(angle), ops.sin(angle)
        center_x, center_y = (width - 1) / 2, (height - 1) / 2
        return affine_rows(cos, -sin, center_x - center_x * cos + center_y * sin,
                           sin, cos, center_y - center_x * sin - center_y * cos)

    def get_config(self) -> dict:
        config = super().get_config()
        config["factor"] = self.factor
        return config
