"""RandomCrop: cuts a random window of a fixed size out of the images during training."""

from __future__ import annotations

from lamina import ops, random
from lamina.layers.preprocessing.base_image_layer import ImageLayer, check_size


class RandomCrop(ImageLayer):
    """During training, crops a ``(height, width)`` window at a random place (one place for the whole
    batch). At inference, and in training when the images are smaller than the window, it returns the
    largest centred window with the target aspect ratio, resized to ``(height, width)``, as Keras documents.

    Args:
        height, width: the size of the output images.
        seed: an int seed for reproducible crops (None draws one, kept in the config).
        data_format: "channels_last" or "channels_first"; default ``config.image_data_format()``.

    Example:
        >>> layer = RandomCrop(2, 3, seed=1)
        >>> tuple(layer(np.zeros((4, 5, 6, 1)), training=True).shape)
        (4, 2, 3, 1)
    """

    def __init__(self, height: int, width: int, seed: int | None = None, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = check_size(height, "height", "RandomCrop")
        self.width = check_size(width, "width", "RandomCrop")
        self.seed = random.make_default_seed() if seed is None else seed
        self.generator = random.SeedGenerator(self.seed)

    def call(self, inputs, training=True):
        inputs = ops.cast(inputs, self.compute_dtype)
        shape = tuple(inputs.shape)
        height, width = self._image_size(shape)
        if training and height >= self.height and width >= self.width:
            starts = [ops.zeros((), "int32")] * len(shape)  # one index dtype, as dynamic slicing needs
            height_axis, width_axis = self._spatial_axes(len(shape))
            for axis, room in ((height_axis, height - self.height), (width_axis, width - self.width)):
                draw = random.uniform((), 0.0, float(room + 1), seed=self.generator)
                starts[axis] = ops.cast(ops.minimum(draw, float(room)), "int32")
            return ops.slice(inputs, starts, self._with_size(shape, self.height, self.width))
        resized = ops.image.resize(inputs, (self.height, self.width), crop_to_aspect_ratio=True,
                                   data_format=self.data_format)
        return ops.cast(resized, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return self._with_size(input_shape, self.height, self.width)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, "seed": self.seed})
        return config
