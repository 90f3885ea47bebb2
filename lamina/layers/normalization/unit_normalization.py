"""UnitNormalization: scales each example to unit L2 norm along some axes."""

from __future__ import annotations

from lamina import ops
from lamina.layers.layer import Layer
from lamina.layers.normalization.base_normalization import check_axis, resolve_axes

_FLOOR = 1e-12  # the smallest squared norm divided by: an all-zero example stays zero


class UnitNormalization(Layer):
    """``x / sqrt(max(sum(square(x), axis), 1e-12))``: each example gets unit L2 norm over ``axis``.

    Args:
        axis: the axis or axes the norm is taken over.

    Example:
        >>> out = UnitNormalization()(np.array([[3.0, 4.0]]))   # [[0.6, 0.8]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = check_axis(axis, "UnitNormalization")
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        axes = resolve_axes(self.axis, ops.shape(inputs), self, require_size=False)
        square_sum = ops.sum(ops.square(inputs), axis=axes, keepdims=True)
        return inputs * ops.rsqrt(ops.maximum(square_sum, _FLOOR))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"axis": self.axis})
        return config
