"""Global max and average pooling: reduce all spatial dimensions to one value per channel."""

from __future__ import annotations

from lamina import backend, config, ops
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Reduces every spatial dim (max or average, ``pool_mode`` of the subclass).

    Args:
        data_format: "channels_last" or "channels_first"; defaults to ``lamina.config.image_data_format()``.
        keepdims: keep the reduced spatial dims with length 1 (output ``(batch, 1, ..., channels)``) instead
            of dropping them (``(batch, channels)``).

    The 1D layers take a ``mask`` ``(batch, steps)``: masked steps are left out of the max or the average.
    """

    rank: int = 0
    pool_mode: str = "max"

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        first = 1 if self.data_format == "channels_last" else 2
        self._axes = tuple(range(first, first + self.rank))
        self._build_at_init()

    def call(self, inputs, mask=None):
        if mask is not None:
            return self._masked(inputs, mask)
        if self.pool_mode == "max":
            return ops.max(inputs, axis=self._axes, keepdims=self.keepdims)
        return ops.mean(inputs, axis=self._axes, keepdims=self.keepdims)

    def _masked(self, inputs, mask):
        """Pooling over the steps the mask keeps (1D: ``mask`` is ``(batch, steps)``)."""
        keep = ops.expand_dims(mask, -1 if self.data_format == "channels_last" else 1)
        if self.pool_mode == "max":
            # Masked steps never win: -inf for floats (a NaN or inf they hold stays out), the batch's least
            # value for integers.
            lowest = float("-inf") if backend.is_float_dtype(ops.dtype(inputs)) else ops.min(inputs)
            return ops.max(ops.where(keep, inputs, lowest), axis=self._axes, keepdims=self.keepdims)
        # `where`, not a product: padded steps may hold inf or NaN, which must not reach the sum.
        total = ops.sum(ops.where(keep, inputs, 0), axis=self._axes, keepdims=self.keepdims)
        count = ops.sum(ops.cast(keep, ops.dtype(inputs)), axis=self._axes, keepdims=self.keepdims)
        return ops.divide(total, count)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Input of layer {type(self).__name__} '{self.name}' must have rank {self.rank + 2} (batch, "
                f"{self.rank} spatial dims, channels). Received input shape {input_shape}"
            )
        if self.keepdims:
            return tuple(1 if axis in self._axes else d for axis, d in enumerate(input_shape))
        return tuple(d for axis, d in enumerate(input_shape) if axis not in self._axes)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
