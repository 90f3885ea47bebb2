"""The shared base of ZeroPadding1D/2D/3D: pad the spatial axes of a batch with zeros."""

from __future__ import annotations

from lamina import config, ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.reshaping.spatial_args import edge_pairs, spatial_axes


class BaseZeroPadding(Layer):
    """Adds ``padding`` zeros before and after each spatial axis of ``rank``-D data."""

    rank: int = None

    def __init__(self, padding, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        self._pairs = edge_pairs(padding, self.rank, "padding", name)
        self.padding = self._pairs[0] if self.rank == 1 else self._pairs
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        widths = [(0, 0)] * (self.rank + 2)
        for axis, pair in zip(spatial_axes(self.rank, self.data_format), self._pairs, strict=True):
            widths[axis] = pair
        return ops.pad(inputs, widths)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(spatial_axes(self.rank, self.data_format), self._pairs, strict=True):
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def compute_output_spec(self, inputs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}
