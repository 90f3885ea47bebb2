"""Max and average pooling over 1, 2 or 3 spatial dimensions: the shared base."""

from __future__ import annotations

from lamina import config, ops
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.utils.argument_validation import standardize_padding, standardize_tuple

_POOLS = {"max": ops.max_pool, "average": ops.average_pool}


class BasePooling(Layer):
    """Reduces each window of ``pool_size`` cells to its maximum or average (``pool_mode`` of the subclass).

    Args:
        pool_size: window size, an int or one int per spatial dim.
        strides: step between windows; defaults to ``pool_size``.
        padding: "valid" (no padding) or "same" (output size ``ceil(size / stride)``; padded cells never win
            a max and are left out of an average).
        data_format: "channels_last" or "channels_first"; defaults to ``lamina.config.image_data_format()``.
    """

    rank: int = 0
    pool_mode: str = "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        layer = type(self).__name__
        self.pool_size = standardize_tuple(pool_size, self.rank, "pool_size", layer)
        self.strides = self.pool_size if strides is None else standardize_tuple(strides, self.rank, "strides", layer)
        self.padding = standardize_padding(padding, layer)
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self._pool = _POOLS[self.pool_mode]
        self._build_at_init()

    def call(self, inputs):
        # Built at construction, so no `build` sees the input: a window larger than the input fails here
        # (static shapes: free under jit), naming the layer, where engines would raise or return nothing.
        self.compute_output_shape(ops.shape(inputs))
        return self._pool(inputs, self.pool_size, strides=self.strides, padding=self.padding,
                          data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        layer = type(self).__name__
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Input of layer {layer} '{self.name}' must have rank {self.rank + 2} (batch, {self.rank} spatial "
                f"dims, channels). Received input shape {input_shape}"
            )
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        out = []
        for size, window, stride in zip(spatial, self.pool_size, self.strides, strict=True):
            if size is None:
                out.append(None)
                continue
            length = -(-size // stride) if self.padding == "same" else (size - window) // stride + 1
            if length <= 0:
                raise ValueError(
                    f"{layer} '{self.name}': the pool window {self.pool_size} does not fit in the spatial dims "
                    f'{spatial} with padding="valid". Received input shape {input_shape}'
                )
            out.append(length)
        if self.data_format == "channels_last":
            return (input_shape[0], *out, input_shape[-1])
        return (input_shape[0], input_shape[1], *out)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "padding": self.padding, "strides": self.strides,
                       "data_format": self.data_format})
        return config
