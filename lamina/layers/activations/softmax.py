"""Softmax: the softmax activation as a layer, with masking."""

from __future__ import annotations

from lamina import activations, ops
from lamina.layers.layer import Layer


def _large_negative(dtype: str) -> float:
    """A logit offset that sends a masked position's probability to ~0 without overflowing ``dtype``."""
    return -3e4 if dtype == "float16" else -1e9


class Softmax(Layer):
    """Softmax along ``axis``; positions where ``mask`` is False get probability 0 (a fully masked row
    is all zeros, as in Keras).

    Args:
        axis: the axis (an int) or axes (a tuple, normalized together) of the softmax.

    Call arguments:
        inputs: the logits, a tensor of any rank.
        mask: a boolean (or 0/1) tensor broadcastable to ``inputs`` (True keeps a position). A mask of lower rank,
            such as a propagated ``(batch, steps)`` sequence mask, covers the leading axes.

    Input shape: any. Output shape: the same as the input.

    Example:
        >>> y = Softmax()(np.array([[1.0, 2.0, 3.0]]), mask=np.array([[True, True, False]]))
        >>> np.round(ops.convert_to_numpy(y).astype(float), 2).tolist()
        [[0.27, 0.73, 0.0]]
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
        self._build_at_init()

    def call(self, inputs, mask=None):
        if mask is None:
            return activations.softmax(inputs, axis=self.axis)
        mask = ops.convert_to_tensor(mask)
        if ops.dtype(mask) != "bool":
            mask = ops.greater(mask, 0.5)  # 1 keeps, 0 masks
        missing = len(ops.shape(inputs)) - len(ops.shape(mask))
        if missing > 0:
            mask = ops.reshape(mask, (*ops.shape(mask), *(1,) * missing))
        outputs = activations.softmax(ops.where(mask, inputs, _large_negative(ops.dtype(inputs))), axis=self.axis)
        # A fully masked row would otherwise come out uniform; Keras gives it zeros.
        return ops.where(mask, outputs, 0.0)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
