"""Adaptive max and average pooling over 1, 2 or 3 spatial dimensions: the shared base."""

from __future__ import annotations

from lamina import config, ops
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.utils.argument_validation import standardize_tuple

_POOLS = {"max": ops.adaptive_max_pool, "average": ops.adaptive_average_pool}


class BaseAdaptivePooling(Layer):
    """Pools any spatial size down to ``output_size`` (max or average, ``pool_mode`` of the subclass); the
    windows are PyTorch's adaptive bins, so output cell ``i`` of a dim of length ``L`` covers inputs
    ``floor(i * L / out)`` to ``ceil((i + 1) * L / out) - 1``.

    Args:
        output_size: the spatial size of the output, an int (the same for every spatial dim) or one int per
            spatial dim.
        data_format: "channels_last" or "channels_first"; defaults to ``lamina.config.image_data_format()``.
    """

    rank: int = 0
    pool_mode: str = "max"

    def __init__(self, output_size, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        layer = type(self).__name__
        if isinstance(output_size, bool) or not isinstance(output_size, (int, tuple, list)):
            raise TypeError(
                f"Invalid type for argument `output_size` of {layer}. Expected an int or a tuple of {self.rank} "
                f"ints. Received: output_size={output_size!r} of type {type(output_size).__name__}"
            )
        self.output_size = standardize_tuple(output_size, self.rank, "output_size", layer)
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self._pool = _POOLS[self.pool_mode]

    def call(self, inputs):
        return self._pool(inputs, self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config
