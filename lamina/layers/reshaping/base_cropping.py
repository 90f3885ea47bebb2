"""The shared base of Cropping1D/2D/3D: remove rows at both ends of each spatial axis."""

from __future__ import annotations

from lamina import config, ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.reshaping.spatial_args import edge_pairs, spatial_axes


class BaseCropping(Layer):
    """Removes ``cropping`` entries before and after each spatial axis of ``rank``-D data."""

    rank: int = None

    def __init__(self, cropping, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self._pairs = edge_pairs(cropping, self.rank, "cropping", type(self).__name__)
        self.cropping = self._pairs[0] if self.rank == 1 else self._pairs
        self.data_format = "channels_last" if self.rank == 1 else config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def build(self, input_shape):
        if len(input_shape) == self.rank + 2:  # other ranks fail the input spec, with its message
            self.compute_output_shape(input_shape)  # too much cropping fails here, on first use

    def call(self, inputs):
        index = [slice(None)] * (self.rank + 2)
        for axis, (before, after) in zip(spatial_axes(self.rank, self.data_format), self._pairs, strict=True):
            index[axis] = slice(before, -after if after else None)
        return ops.get_item(inputs, tuple(index))

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(spatial_axes(self.rank, self.data_format), self._pairs, strict=True):
            if shape[axis] is None:
                continue
            if before + after >= shape[axis]:
                raise ValueError(
                    f"{type(self).__name__} cannot crop {before + after} entries ({before}, {after}) from axis "
                    f"{axis} of size {shape[axis]}: the cropping must leave at least one. "
                    f"Received: cropping={self.cropping}, input_shape={tuple(input_shape)}"
                )
            shape[axis] -= before + after
        return tuple(shape)

    def compute_output_spec(self, inputs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self) -> dict:
        config = {**super().get_config(), "cropping": self.cropping}
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config
