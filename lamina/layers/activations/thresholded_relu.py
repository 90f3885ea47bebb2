"""ThresholdedReLU: passes inputs above a threshold, zeroes the rest (a Keras 2 layer kept for old models)."""

from __future__ import annotations

from lamina import ops
from lamina.layers.activations.relu import check_non_negative
from lamina.layers.layer import Layer


class ThresholdedReLU(Layer):
    """``x`` for ``x > theta``, 0 otherwise. Keras 3 dropped this layer (``ReLU(threshold=theta)`` differs
    only in passing ``x == theta``); it is here so Keras 2 code and saved models keep working.

    Args:
        theta: the threshold (non-negative).

    Input shape: any. Output shape: the same as the input.

    Example:
        >>> ops.convert_to_numpy(ThresholdedReLU(1.0)(np.array([0.5, 1.0, 2.0]))).tolist()
        [0.0, 0.0, 2.0]
    """

    def __init__(self, theta: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.theta = check_non_negative(theta, "theta", "ThresholdedReLU")
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return ops.threshold(inputs, self.theta, 0.0)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "theta": self.theta}
