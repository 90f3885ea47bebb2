"""Softmax: the softmax activation as a layer, with masking."""

from __future__ import annotations

from lamina import activations, ops
from lamina.layers.layer import Layer


def _large_negative(dtype: str) -> float:
    """A logit offset that sends a masked position's probability to ~0 without overflowing ``dtype``."""
    return -3e4 if dtype == "float16" else -1e9


class Softmax(Layer):
    """Softmax along ``axis``; positions where ``mask`` is False get ~0 probability.

    Args:
        axis: the axis (an int) or axes (a tuple, normalized together) of the softmax.

    Call arguments:
        inputs: the logits, a tensor of any rank.
        mask: a boolean tensor broadcastable to ``inputs`` (True keeps a position). A mask of lower rank,
            such as a propagated ``(batch, steps)`` sequence mask, covers the leading axes.

    Input shape: any. Output shape: the same as the input.

    Example:
        >>> Softmax()(np.array([[1.0, 2.0, 3.0]]), mask=np.array([[True, True, False]]))   # [[0.27, 0.73, 0.0]]
    """

    def __init__(self, axis: int | tuple = -1, **kwargs):
        super().__init__(**kwargs)
        valid = isinstance(axis, int) or (
            isinstance(axis, (tuple, list)) and axis and all(isinstance(a, int) for a in axis)
        )
        if not valid or isinstance(axis, bool):
            raise ValueError(
                "Invalid value for argument `axis` of Softmax. Expected an int or a tuple of ints. "
                f"Received: axis={axis!r}"
            )
        self.axis = tuple(axis) if isinstance(axis, (tuple, list)) else axis
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            dtype = ops.dtype(inputs)
            mask = ops.cast(mask, dtype)
            missing = len(inputs.shape) - len(mask.shape)
            if missing > 0:
                mask = ops.reshape(mask, (*mask.shape, *(1,) * missing))
            inputs = inputs + (1.0 - mask) * _large_negative(dtype)
        return activations.softmax(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
