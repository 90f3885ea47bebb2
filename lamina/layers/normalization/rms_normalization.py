"""RMSNormalization: scales each example by the inverse root mean square of its features."""

from __future__ import annotations

from lamina import ops
from lamina.layers.layer import Layer
from lamina.layers.normalization.base_normalization import check_axis, resolve_axes


class RMSNormalization(Layer):
    """``x * rsqrt(mean(square(x), axis) + epsilon) * scale``, with a learned ``scale`` (ones at first).

    Args:
        axis: the axis or axes to normalize over (``scale`` has their sizes).
        epsilon: added to the mean square before the square root.

    Example:
        >>> layer = RMSNormalization()
        >>> layer.build((5, 20, 30, 10)); tuple(layer.scale.shape)
        (10,)
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = check_axis(axis, "RMSNormalization")
        self.epsilon = float(epsilon)
        self.supports_masking = True

    def build(self, input_shape):
        self._axes = resolve_axes(self.axis, input_shape, self)
        self.scale = self.add_weight(shape=tuple(input_shape[a] for a in self._axes), initializer="ones",
                                     name="scale")

    def call(self, inputs):
        return ops.rms_normalization(inputs, self.scale, axis=self._axes, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
