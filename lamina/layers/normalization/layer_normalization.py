"""LayerNormalization: normalizes each example over its feature axes, independently of the batch."""

from __future__ import annotations

from lamina import ops
from lamina.layers.normalization.base_normalization import (
    AffineNormalization,
    check_axis,
    resolve_axes,
)


class LayerNormalization(AffineNormalization):
    """Normalizes each example over ``axis``: ``gamma * (x - mean) / sqrt(var + epsilon) + beta``.

    Args:
        axis: the axis or axes to normalize over (``gamma``/``beta`` have their sizes).
        epsilon: added to the variance before the square root.
        center, scale, beta_*, gamma_*: the learned offset and scale (see ``AffineNormalization``).
        rms_scaling: divide by ``sqrt(var + epsilon)`` and multiply by ``gamma`` only (no centering, no
            ``beta``), as Keras' ``rms_scaling`` does.

    Example:
        >>> tuple(LayerNormalization()(np.random.rand(2, 5)).shape)
        (2, 5)
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(center=center, scale=scale, beta_initializer=beta_initializer,
                         gamma_initializer=gamma_initializer, beta_regularizer=beta_regularizer,
                         gamma_regularizer=gamma_regularizer, beta_constraint=beta_constraint,
                         gamma_constraint=gamma_constraint, **kwargs)
        self.axis = check_axis(axis, "LayerNormalization")
        self.epsilon = float(epsilon)
        self.rms_scaling = bool(rms_scaling)

    def build(self, input_shape):
        self._axes = resolve_axes(self.axis, input_shape, self)
        shape = tuple(input_shape[a] for a in self._axes)
        if self.scale or self.rms_scaling:
            self._add_gamma(shape)
        if self.center and not self.rms_scaling:
            self._add_beta(shape)

    def call(self, inputs):
        dtype = ops.dtype(inputs)
        wide = dtype in ("float16", "bfloat16")
        x = ops.cast(inputs, "float32") if wide else inputs
        outputs = ops.layer_normalization(x, self.gamma, self.beta, axis=self._axes, epsilon=self.epsilon,
                                          rms_scaling=self.rms_scaling)
        return ops.cast(outputs, dtype) if wide else outputs

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon, "rms_scaling": self.rms_scaling})
        return config
