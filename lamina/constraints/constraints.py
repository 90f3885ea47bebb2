"""Weight constraints: callables applied to a variable's new value after each optimizer update."""

from __future__ import annotations

from lamina import config, ops


def _norms(w, axis):
    """L2 norms of ``w`` over ``axis``, kept broadcastable against ``w``."""
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


def _rescale(w, norms, desired):
    """``w`` scaled from its ``norms`` to the ``desired`` ones (epsilon keeps zero columns finite)."""
    return w * (desired / (config.epsilon() + norms))


class Constraint:
    """Base of all constraints: ``constraint(w)`` returns the projected weight (the identity here).

    Example:
        >>> class Clip(Constraint):
        ...     def __call__(self, w):
        ...         return lamina.ops.clip(w, -1.0, 1.0)
    """

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Constraint:
        return cls(**config)


class MaxNorm(Constraint):
    """Caps the L2 norm of each weight slice over ``axis`` at ``max_value``; shorter slices are unchanged.

    Args:
        max_value: the largest norm allowed (default 2).
        axis: the axis (or axes) norms are taken over. For a Dense kernel ``(input_dim, units)`` the
            default 0 constrains each unit's incoming weight vector; for a channels-last Conv2D kernel
            use ``[0, 1, 2]``.

    Example:
        >>> layer = lamina.layers.Dense(3, kernel_constraint=MaxNorm(1.5))
    """

    def __init__(self, max_value: float = 2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        return _rescale(w, norms, ops.clip(norms, 0, self.max_value))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero.

    Example:
        >>> layer = lamina.layers.Dense(3, kernel_constraint=NonNeg())
    """

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        return w * ops.cast(ops.greater_equal(w, 0.0), ops.dtype(w))


class UnitNorm(Constraint):
    """Scales each weight slice over ``axis`` to unit L2 norm.

    Args:
        axis: the axis (or axes) norms are taken over (default 0, see ``MaxNorm``).

    Example:
        >>> layer = lamina.layers.Dense(3, kernel_constraint=UnitNorm())
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        return w / (config.epsilon() + _norms(w, self.axis))

    def get_config(self) -> dict:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves the L2 norm of each weight slice over ``axis`` into ``[min_value, max_value]``.

    The new norm is ``rate * clip(norm, min_value, max_value) + (1 - rate) * norm``: ``rate=1`` enforces
    the bounds at once, a smaller rate moves towards them gradually.

    Args:
        min_value: the smallest norm (default 0.0).
        max_value: the largest norm (default 1.0).
        rate: how far to move towards the bounds per application (default 1.0).
        axis: the axis (or axes) norms are taken over (default 0, see ``MaxNorm``).

    Example:
        >>> layer = lamina.layers.Dense(3, kernel_constraint=MinMaxNorm(0.5, 1.0, rate=0.5))
    """

    def __init__(self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = self.rate * ops.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return _rescale(w, norms, desired)

    def get_config(self) -> dict:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}
