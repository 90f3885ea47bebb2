"""RandomContrast: scales each channel's deviation from its mean by a random factor during training."""

from __future__ import annotations

from lamina import ops
from lamina.layers.preprocessing.base_image_layer import RandomImageLayer, check_value_range, symmetric_factor


class RandomContrast(RandomImageLayer):
    """During training each pixel value ``x`` of a channel becomes ``(x - mean) * c + mean``, ``mean`` the
    channel's mean over the image and ``c`` drawn per image from ``[1 - lower, 1 + upper]``; the result is
    clipped to ``value_range``. Identity otherwise.

    Args:
        factor: a number ``f`` in ``[0, 1]``, read as Keras 3 reads it: ``(lower, upper) = (0, f)``; or a pair
            ``(lower, upper)`` in ``[0, 1]``.
        value_range: the ``(low, high)`` range of the input values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        seed: an int seed for reproducible factors.
        data_format: "channels_last" or "channels_first"; default ``config.image_data_format()``.

    Example:
        >>> layer = RandomContrast(0.5, value_range=(0, 1), seed=1)
        >>> tuple(layer(np.full((2, 3, 3, 1), 0.5), training=True).shape)
        (2, 3, 3, 1)
    """

    def __init__(self, factor, value_range=(0, 255), seed: int | None = None, data_format: str | None = None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(factor, "factor", "RandomContrast", bounds=(0.0, 1.0))
        self.value_range = check_value_range(value_range, "RandomContrast")

    def augment(self, images):
        lower, upper = self.factor
        contrast = self.uniform((images.shape[0], 1, 1, 1), 1.0 - lower, 1.0 + upper, dtype=self.compute_dtype)
        mean = ops.mean(images, axis=self._spatial_axes(4), keepdims=True)
        return ops.clip((images - mean) * contrast + mean, self.value_range[0], self.value_range[1])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range})
        return config
