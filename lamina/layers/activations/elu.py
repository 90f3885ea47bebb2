"""ELU: the exponential linear unit as a layer."""

from __future__ import annotations

import numbers

from lamina import ops
from lamina.layers.layer import Layer


class ELU(Layer):
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise: smooth, with negative outputs saturating at
    ``-alpha``.

    Args:
        alpha: the negative saturation value's magnitude.

    Input shape: any. Output shape: the same as the input.

    Example:
        >>> np.round(ops.convert_to_numpy(ELU()(np.array([-10.0, 1.0]))).astype(float), 5).tolist()
        [-0.99995, 1.0]
    """

    def __init__(self, alpha: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
            raise ValueError(f"Invalid value for argument `alpha` of ELU. Expected a float. Received: alpha={alpha!r}")
        self.alpha = alpha
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return ops.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}
