"""Flatten: collapse every axis but the batch axis into one."""

from __future__ import annotations

import math

from lamina import config, ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class Flatten(Layer):
    """Flattens the input to ``(batch_size, features)``; the batch axis is kept.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: ``config.image_data_format()``).
            With ``"channels_first"`` the channel axis is moved last before flattening, so a model gives
            the same flattened order whichever layout its images use.

    Input shape: ``(batch_size, ...)``. Output shape: ``(batch_size, product of the other dimensions)``;
    a rank-1 input gives ``(batch_size, 1)``.

    Example:
        >>> tuple(Flatten()(np.zeros((2, 3, 4))).shape)
        (2, 12)
    """

    def __init__(self, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)
        self._channels_first = self.data_format == "channels_first"

    def call(self, inputs):
        shape = ops.shape(inputs)
        if self._channels_first and len(shape) > 2:
            inputs = ops.transpose(inputs, (0, *range(2, len(shape)), 1))
        return ops.reshape(inputs, (shape[0], math.prod(shape[1:])))

    def compute_output_shape(self, input_shape):
        features = input_shape[1:]
        return (input_shape[0], None if None in features else math.prod(features))

    def compute_output_spec(self, inputs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}
