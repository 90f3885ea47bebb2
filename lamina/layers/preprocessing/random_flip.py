"""RandomFlip: mirrors images left-right and/or upside down at random during training."""

from __future__ import annotations

from lamina import ops
from lamina.layers.preprocessing.base_image_layer import RandomImageLayer, check_choice

HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL = "horizontal", "vertical", "horizontal_and_vertical"


class RandomFlip(RandomImageLayer):
    """Flips each image of the batch with probability 1/2 during training; identity otherwise.

    Args:
        mode: "horizontal" (left-right), "vertical" (upside down) or "horizontal_and_vertical" (as in Keras,
            one draw per image decides both flips, so an image is either turned by 180 degrees or kept).
        seed: an int seed for reproducible flips.
        data_format: "channels_last" or "channels_first"; default ``config.image_data_format()``.

    Example:
        >>> layer = RandomFlip("horizontal", seed=1)
        >>> tuple(layer(np.zeros((2, 4, 4, 3)), training=True).shape)
        (2, 4, 4, 3)
    """

    def __init__(self, mode: str = HORIZONTAL_AND_VERTICAL, seed: int | None = None, data_format: str | None = None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.mode = check_choice(mode, (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL), "mode", "RandomFlip")

    def augment(self, images):
        flips = ops.less_equal(self.uniform((images.shape[0], 1, 1, 1), 0.0, 1.0), 0.5)
        height_axis, width_axis = self._spatial_axes(4)
        if self.mode != VERTICAL:
            images = ops.where(flips, ops.flip(images, axis=width_axis), images)
        if self.mode != HORIZONTAL:
            images = ops.where(flips, ops.flip(images, axis=height_axis), images)
        return images

    def get_config(self) -> dict:
        config = super().get_config()
        config["mode"] = self.mode
        return config
