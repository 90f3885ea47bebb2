"""Deterministic initializers: Constant, Zeros, Ones and the identity matrix."""

from __future__ import annotations

from lamina import ops
from lamina.backend.common.dtypes import standardize_dtype
from lamina.initializers.initializer import Initializer


class Constant(Initializer):
    """Fills tensors with one value.

    Args:
        value: a Python scalar.

    Example:
        >>> ops.convert_to_numpy(Constant(3.0)(shape=(2, 2))).tolist()
        [[3.0, 3.0], [3.0, 3.0]]
    """

    def __init__(self, value: float = 0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return ops.full(tuple(shape), self.value, dtype=standardize_dtype(dtype))

    def get_config(self) -> dict:
        return {"value": self.value}


class Zeros(Initializer):
    """Fills tensors with 0."""

    def __call__(self, shape, dtype=None):
        return ops.zeros(tuple(shape), dtype=standardize_dtype(dtype))


class Ones(Initializer):
    """Fills tensors with 1."""

    def __call__(self, shape, dtype=None):
        return ops.ones(tuple(shape), dtype=standardize_dtype(dtype))


class IdentityInitializer(Initializer):
    """A 2D identity matrix (ones on the main diagonal of a possibly non-square matrix) times ``gain``.

    Args:
        gain: the multiplier of the diagonal.
    """

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(f"Identity initializer can only be used for 2D matrices. Received: shape={tuple(shape)}")
        return ops.multiply(ops.eye(shape[0], shape[1], dtype=standardize_dtype(dtype)), self.gain)

    def get_config(self) -> dict:
        return {"gain": self.gain}
