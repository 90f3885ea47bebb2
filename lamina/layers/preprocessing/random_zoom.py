"""RandomZoom: zooms images in or out about their centre by a random amount during training."""

from __future__ import annotations

from lamina import ops
from lamina.layers.preprocessing.base_image_layer import RandomAffineLayer, affine_rows, symmetric_factor


class RandomZoom(RandomAffineLayer):
    """Zooms each image during training, by ``1 + z`` with ``z`` drawn from the factor's range: a positive
    ``z`` zooms out (the image shrinks and the border fills), a negative one zooms in; identity otherwise.

    Args:
        height_factor: a number ``f`` (``z`` in ``[-f, f]``) or a pair ``(lower, upper)``, in ``(-1, 1]``.
        width_factor: the same for the width, drawn separately; None (default) zooms both sides alike,
            keeping the aspect ratio.
        fill_mode: how points outside the image read: "reflect" (default), "wrap", "constant", "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int seed for reproducible zooms.
        fill_value: the value read outside the image when ``fill_mode="constant"``.
        data_format: "channels_last" or "channels_first"; default ``config.image_data_format()``.

    Example:
        >>> layer = RandomZoom(0.2, seed=1)
        >>> tuple(layer(np.zeros((2, 5, 5, 1)), training=True).shape)
        (2, 5, 5, 1)
    """

    def __init__(self, height_factor, width_factor=None, fill_mode: str = "reflect", interpolation: str = "bilinear",
                 seed: int | None = None, fill_value: float = 0.0, data_format: str | None = None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self._height_range = symmetric_factor(height_factor, "height_factor", "RandomZoom", open_low=True)
        self._width_range = None if width_factor is None else symmetric_factor(
            width_factor, "width_factor", "RandomZoom", open_low=True)

    def transforms(self, batch, height, width):
        def draw(bounds):
            return self.uniform((batch, 1), 1.0 + bounds[0], 1.0 + bounds[1], dtype="float32")

        zoom_y = draw(self._height_range)
        zoom_x = zoom_y if self._width_range is None else draw(self._width_range)
        zeros = ops.zeros_like(zoom_x)
        return affine_rows(zoom_x, zeros, (width - 1) / 2 * (1.0 - zoom_x),
                           zeros, zoom_y, (height - 1) / 2 * (1.0 - zoom_y))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor})
        return config
