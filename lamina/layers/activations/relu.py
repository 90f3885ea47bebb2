"""ReLU: the rectified linear unit as a layer, with Keras's cap, slope and threshold options."""

from __future__ import annotations

import numbers

from lamina import activations
from lamina.layers.layer import Layer


def check_non_negative(value, name: str, layer: str, allow_none: bool = False):
    """``value`` if it is a non-negative real number (or None when ``allow_none``), else a ValueError."""
    if value is None and allow_none:
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        expected = "a non-negative float" + (" or None" if allow_none else "")
        raise ValueError(
            f"Invalid value for argument `{name}` of {layer}. Expected {expected}. Received: {name}={value}"
        )
    return value


class ReLU(Layer):
    """Rectified linear unit: ``max_value`` for ``x >= max_value``, ``x`` for ``threshold <= x < max_value``,
    ``negative_slope * (x - threshold)`` below ``threshold``.

    Args:
        max_value: the cap on outputs (non-negative), or None for no cap.
        negative_slope: the slope below the threshold (non-negative).
        threshold: where the unit starts passing its input (non-negative).

    Input shape: any. Output shape: the same as the input.

    Example:
        >>> ops.convert_to_numpy(ReLU(max_value=1.0)(np.array([-1.0, 0.5, 2.0]))).tolist()
        [0.0, 0.5, 1.0]
    """

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0, threshold: float = 0.0,
                 **kwargs):
        super().__init__(**kwargs)
        self.max_value = check_non_negative(max_value, "max_value", "ReLU", allow_none=True)
        self.negative_slope = check_non_negative(negative_slope, "negative_slope", "ReLU")
        self.threshold = check_non_negative(threshold, "threshold", "ReLU")
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}
