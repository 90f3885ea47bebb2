"""LeakyReLU: a ReLU that lets a small fraction of negative inputs through."""

from __future__ import annotations

import warnings

from lamina import ops
from lamina.layers.activations.relu import check_non_negative
from lamina.layers.layer import Layer


class LeakyReLU(Layer):
    """``x`` for ``x >= 0``, ``negative_slope * x`` otherwise.

    Args:
        negative_slope: the slope for negative inputs (non-negative). The Keras 2 name ``alpha`` is accepted,
            with a warning.

    Input shape: any. Output shape: the same as the input.

    Example:
        >>> np.round(ops.convert_to_numpy(LeakyReLU(0.1)(np.array([-2.0, 3.0]))).astype(float), 5).tolist()
        [-0.2, 3.0]
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` of LeakyReLU is deprecated. Use `negative_slope` instead.",
                          DeprecationWarning, stacklevel=2)
        super().__init__(**kwargs)
        self.negative_slope = check_non_negative(negative_slope, "negative_slope", "LeakyReLU")
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return ops.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}
