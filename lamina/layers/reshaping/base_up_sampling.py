"""The shared base of UpSampling1D/2D/3D: repeat the entries of each spatial axis ``size`` times."""

from __future__ import annotations

from lamina import config, ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.reshaping.spatial_args import spatial_axes
from lamina.utils.argument_validation import standardize_tuple


class BaseUpSampling(Layer):
    """Nearest-neighbour up-sampling of ``rank``-D data by an integer factor per spatial axis."""

    rank: int = None

    def __init__(self, size, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.size = standardize_tuple(size, self.rank, "size", type(self).__name__)
        self.data_format = "channels_last" if self.rank == 1 else config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        for axis, factor in zip(spatial_axes(self.rank, self.data_format), self.size, strict=True):
            if factor > 1:
                inputs = ops.repeat(inputs, factor, axis=axis)
        return inputs

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, factor in zip(spatial_axes(self.rank, self.data_format), self.size, strict=True):
            if shape[axis] is not None:
                shape[axis] *= factor
        return tuple(shape)

    def compute_output_spec(self, inputs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self) -> dict:
        config = {**super().get_config(), "size": self.size[0] if self.rank == 1 else self.size}
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config
