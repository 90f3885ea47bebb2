"""Masking: marks timesteps whose features all equal ``mask_value`` as padding, for later layers to skip."""

from __future__ import annotations

from lamina import ops
from lamina.layers.layer import Layer


class Masking(Layer):
    """Masks timesteps whose features all equal ``mask_value``, and zeroes them in the output.

    The output mask (shape ``inputs.shape[:-1]``) is True where at least one feature differs from
    ``mask_value``; layers downstream that support masking (RNNs, pooling, attention) skip the rest.

    Args:
        mask_value: the padding value.

    Input shape: ``(batch_size, timesteps, features)`` (any rank >= 1). Output shape: the same.

    Example:
        >>> x = np.array([[[1.0, 2.0], [0.0, 0.0]]])
        >>> y = Masking(mask_value=0.0)(x)   # y._keras_mask == [[True, False]]
    """

    def __init__(self, mask_value: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, bool) or not isinstance(mask_value, (int, float)):
            raise ValueError(
                f"Invalid value for argument `mask_value` of Masking. Expected a number. "
                f"Received: mask_value={mask_value!r}"
            )
        self.mask_value = mask_value
        self.supports_masking = True
        self._build_at_init()

    def _keep(self, inputs, keepdims: bool):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=keepdims)

    def call(self, inputs):
        return ops.multiply(inputs, ops.cast(self._keep(inputs, keepdims=True), ops.dtype(inputs)))

    def compute_mask(self, inputs, mask=None):
        return self._keep(inputs, keepdims=False)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
