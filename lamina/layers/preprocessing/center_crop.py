"""CenterCrop: cuts the central (height, width) window out of images."""

from __future__ import annotations

from lamina import ops
from lamina.layers.preprocessing.base_image_layer import ImageLayer, check_size


class CenterCrop(ImageLayer):
    """Returns the centred ``(height, width)`` window of each image. An image smaller than the window on a
    side is instead cropped to the largest centred window with the target aspect ratio and resized
    (bilinear) to ``(height, width)``, as Keras' ``smart_resize``. Outputs are in the compute dtype.

    Args:
        height, width: the output size.
        data_format: "channels_last" or "channels_first"; default ``config.image_data_format()``.

    Example:
        >>> layer = CenterCrop(2, 2)
        >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
        >>> ops.convert_to_numpy(layer(x))[0, :, :, 0].tolist()
        [[5.0, 6.0], [9.0, 10.0]]
    """

    def __init__(self, height: int, width: int, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = check_size(height, "height", "CenterCrop")
        self.width = check_size(width, "width", "CenterCrop")

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        shape = tuple(inputs.shape)
        height, width = self._image_size(shape)
        if height >= self.height and width >= self.width:
            height_axis, width_axis = self._spatial_axes(len(shape))
            index = [slice(None)] * len(shape)
            top, left = (height - self.height) // 2, (width - self.width) // 2
            index[height_axis] = slice(top, top + self.height)
            index[width_axis] = slice(left, left + self.width)
            return inputs[tuple(index)]
        resized = ops.image.resize(inputs, (self.height, self.width), crop_to_aspect_ratio=True,
                                   data_format=self.data_format)
        return ops.cast(resized, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return self._with_size(input_shape, self.height, self.width)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"height": self.height, "width": self.width})
        return config
