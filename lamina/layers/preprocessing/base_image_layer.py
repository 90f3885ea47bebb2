"""Shared machinery of the image preprocessing layers: the ``data_format``, the (height, width) axes of 3D
(one image) and 4D (a batch) inputs, Keras' ``factor`` conventions, and the seeded random affine warps
(rotation, zoom, translation) built on ``ops.image.affine_transform``.

Random layers draw from a ``SeedGenerator`` (state in a Variable), so inside a jitted JAX step they draw from
the step's seed state, as ``Dropout`` does; they transform only when ``training`` is true, which is the
default of a direct call (as in Keras) while ``predict`` and ``evaluate`` call them with ``training=False``.
"""

from __future__ import annotations

import numbers

from lamina import config, ops, random
from lamina.layers.layer import Layer

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_choice(value, choices, argument: str, layer: str):
    if value not in choices:
        raise ValueError(f"Invalid value for argument `{argument}` of {layer}. Expected one of {tuple(choices)}. "
                         f"Received: {argument}={value!r}")
    return value


def check_size(value, argument: str, layer: str) -> int:
    if not (isinstance(value, numbers.Integral) and not isinstance(value, bool) and value > 0):
        raise ValueError(f"Invalid value for argument `{argument}` of {layer}. Expected a positive int. "
                         f"Received: {argument}={value!r}")
    return int(value)


def symmetric_factor(factor, argument: str, layer: str, bounds=(-1.0, 1.0), open_low: bool = False) -> tuple:
    """``(lower, upper)`` from a number ``f`` (giving ``(max(-|f|, low), |f|)``) or a pair (sorted), each
    value inside ``bounds`` (``open_low``: the lower bound itself excluded, as RandomZoom's ``(-1, 1]``)."""
    low, high = bounds

    def inside(value):
        return is_number(value) and (value > low if open_low else value >= low) and value <= high

    pair = isinstance(factor, (tuple, list))
    if not (all(inside(v) for v in factor) and len(factor) == 2 if pair else inside(factor)):
        interval = f"{'(' if open_low else '['}{low}, {high}]"
        raise ValueError(f"Invalid value for argument `{argument}` of {layer}. Expected a number or a pair of "
                         f"numbers in the range {interval}. Received: {argument}={factor!r}")
    if pair:
        lower, upper = sorted(float(v) for v in factor)
        return lower, upper
    magnitude = abs(float(factor))
    return max(-magnitude, low), magnitude


def check_value_range(value_range, layer: str):
    if not (isinstance(value_range, (tuple, list)) and len(value_range) == 2 and all(map(is_number, value_range))):
        raise ValueError(f"Invalid value for argument `value_range` of {layer}. Expected a list of two numbers. "
                         f"Received: value_range={value_range!r}")
    return value_range


class ImageLayer(Layer):
    """Base of the image layers: images are 3D ``(height, width, channels)`` or 4D batches, laid out by
    ``data_format`` (default ``config.image_data_format()``)."""

    def __init__(self, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self._build_at_init()

    def _spatial_axes(self, rank: int) -> tuple:
        if rank not in (3, 4):
            raise ValueError(f"{type(self).__name__} expects 3D (one image) or 4D (a batch of images) inputs. "
                             f"Received: inputs of rank {rank}")
        return (-3, -2) if self.data_format == "channels_last" else (-2, -1)

    def _image_size(self, shape) -> tuple:
        """(height, width) of images of ``shape``."""
        height_axis, width_axis = self._spatial_axes(len(shape))
        return shape[height_axis], shape[width_axis]

    def _with_size(self, shape, height, width) -> tuple:
        shape = list(shape)
        height_axis, width_axis = self._spatial_axes(len(shape))
        shape[height_axis], shape[width_axis] = height, width
        return tuple(shape)

    def compute_output_shape(self, input_shape):
        self._spatial_axes(len(input_shape))
        return tuple(input_shape)

    def get_config(self) -> dict:
        config_ = super().get_config()
        config_["data_format"] = self.data_format
        return config_


class RandomImageLayer(ImageLayer):
    """An image layer drawing its changes from ``seed`` (an int; None draws one), per image of the batch,
    during training only. Subclasses implement ``augment(images)`` on 4D float images of the compute dtype."""

    def __init__(self, seed: int | None = None, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def call(self, inputs, training=True):
        inputs = ops.cast(inputs, self.compute_dtype)
        if not training:
            return inputs
        rank = len(inputs.shape)
        self._spatial_axes(rank)
        images = inputs if rank == 4 else ops.expand_dims(inputs, 0)
        outputs = self.augment(images)
        return outputs if rank == 4 else ops.squeeze(outputs, 0)

    def augment(self, images):
        raise NotImplementedError

    def uniform(self, shape, minval, maxval, dtype=None):
        """Values drawn uniformly from ``[minval, maxval)`` with the layer's seed generator."""
        return random.uniform(shape, minval, maxval, dtype=dtype, seed=self.generator)

    def get_config(self) -> dict:
        config_ = super().get_config()
        config_["seed"] = self.seed
        return config_


class RandomAffineLayer(RandomImageLayer):
    """A random layer that warps each image by an affine map (``ops.image.affine_transform``): points read
    from outside the image are filled by ``fill_mode`` ("reflect", "wrap", "constant" with ``fill_value``,
    "nearest"), and samples are taken with ``interpolation`` ("nearest" or "bilinear"). Subclasses implement
    ``transforms(batch, height, width)``: the ``(batch, 8)`` maps from output to input pixels."""

    def __init__(self, fill_mode: str = "reflect", interpolation: str = "bilinear", seed: int | None = None,
                 fill_value: float = 0.0, data_format: str | None = None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        name = type(self).__name__
        self.fill_mode = check_choice(fill_mode, FILL_MODES, "fill_mode", name)
        self.interpolation = check_choice(interpolation, INTERPOLATIONS, "interpolation", name)
        self.fill_value = fill_value

    def augment(self, images):
        height, width = self._image_size(images.shape)
        transforms = self.transforms(images.shape[0], height, width)
        return ops.image.affine_transform(images, transforms, interpolation=self.interpolation,
                                          fill_mode=self.fill_mode, fill_value=self.fill_value,
                                          data_format=self.data_format)

    def transforms(self, batch: int, height: int, width: int):
        raise NotImplementedError

    def get_config(self) -> dict:
        config_ = super().get_config()
        config_.update({"fill_mode": self.fill_mode, "fill_value": self.fill_value,
                        "interpolation": self.interpolation})
        return config_


def affine_rows(a0, a1, a2, b0, b1, b2):
    """``(batch, 8)`` maps reading output pixel ``(x, y)`` from input ``(a0 x + a1 y + a2, b0 x + b1 y + b2)``,
    from per-image columns ``(batch, 1)``."""
    zeros = ops.zeros_like(a0)
    return ops.concatenate([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)
