"""RandomBrightness: adds a random offset to every pixel value of an image during training."""

from __future__ import annotations

from lamina import ops
from lamina.layers.preprocessing.base_image_layer import RandomImageLayer, check_value_range, symmetric_factor


class RandomBrightness(RandomImageLayer):
    """During training adds ``d * (high - low)`` to every value of an image, ``d`` drawn per image from the
    factor's range, then clips to ``value_range = (low, high)``. Identity otherwise.

    Args:
        factor: a number ``f`` (``d`` in ``[-f, f]``) or a pair ``(lower, upper)``, in ``[-1, 1]``.
        value_range: the ``(low, high)`` range of the input values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        seed: an int seed for reproducible offsets.
        data_format: "channels_last" or "channels_first"; default ``config.image_data_format()``.

    Example:
        >>> layer = RandomBrightness(0.2, value_range=(0, 1), seed=1)
        >>> tuple(layer(np.full((2, 3, 3, 1), 0.5), training=True).shape)
        (2, 3, 3, 1)
    """

    def __init__(self, factor, value_range=(0, 255), seed: int | None = None, data_format: str | None = None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(factor, "factor", "RandomBrightness")
        self.value_range = sorted(check_value_range(value_range, "RandomBrightness"))

    def augment(self, images):
        low, high = self.value_range
        delta = self.uniform((images.shape[0], 1, 1, 1), *self.factor) * (high - low)
        return ops.clip(images + ops.cast(delta, images.dtype), low, high)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range})
        return config
