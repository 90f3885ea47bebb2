"""RandomTranslation: shifts images by a random fraction of their size during training."""

from __future__ import annotations

from lamina import ops
from lamina.layers.preprocessing.base_image_layer import RandomAffineLayer, affine_rows, symmetric_factor


class RandomTranslation(RandomAffineLayer):
    """Shifts each image during training by ``dy * height`` rows and ``dx * width`` columns, ``dy`` and
    ``dx`` drawn from the factors' ranges (positive: down and right); identity otherwise.

    Args:
        height_factor: a number ``f`` (``dy`` in ``[-f, f]``) or a pair ``(lower, upper)``, in ``[-1, 1]``.
        width_factor: the same for ``dx``.
        fill_mode: how points outside the image read: "reflect" (default), "wrap", "constant", "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int seed for reproducible shifts.
        fill_value: the value read outside the image when ``fill_mode="constant"``.
        data_format: "channels_last" or "channels_first"; default ``config.image_data_format()``.

    Example:
        >>> layer = RandomTranslation(0.2, 0.2, seed=1)
        >>> tuple(layer(np.zeros((2, 5, 5, 1)), training=True).shape)
        (2, 5, 5, 1)
    """

    def __init__(self, height_factor, width_factor, fill_mode: str = "reflect", interpolation: str = "bilinear",
                 seed: int | None = None, fill_value: float = 0.0, data_format: str | None = None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self._height_range = symmetric_factor(height_factor, "height_factor", "RandomTranslation")
        self._width_range = symmetric_factor(width_factor, "width_factor", "RandomTranslation")

    def transforms(self, batch, height, width):
        shift_y = self.uniform((batch, 1), *self._height_range, dtype="float32") * height
        shift_x = self.uniform((batch, 1), *self._width_range, dtype="float32") * width
        ones, zeros = ops.ones_like(shift_x), ops.zeros_like(shift_x)
        return affine_rows(ones, zeros, -shift_x, zeros, ones, -shift_y)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor})
        return config
