"""Keras 1's ``keras.constraints``: ``MaxNorm(m, axis)``/``maxnorm``, ``NonNeg``/``nonneg``,
``UnitNorm``/``unitnorm``: the modern classes (Keras 1's default axis 0 is Keras 3's too)."""

from __future__ import annotations

from lamina import constraints as _modern
from lamina.constraints import Constraint, MinMaxNorm, NonNeg, UnitNorm, get
from lamina.legacy.deprecation import warn_old_spelling


class MaxNorm(_modern.MaxNorm):
    """The modern ``MaxNorm``, also taking Keras 1's ``m`` for ``max_value``."""

    def __init__(self, max_value: float = 2.0, axis: int = 0, m: float | None = None):
        if m is not None:
            warn_old_spelling("MaxNorm(m=...)", "MaxNorm(max_value=...)")
            max_value = m
        super().__init__(max_value=max_value, axis=axis)


def maxnorm(m: float = 2.0, axis: int = 0) -> MaxNorm:
    """Keras 1's name of ``MaxNorm``."""
    warn_old_spelling("maxnorm", "MaxNorm")
    return MaxNorm(max_value=m, axis=axis)


def nonneg() -> NonNeg:
    """Keras 1's name of ``NonNeg``."""
    warn_old_spelling("nonneg", "NonNeg")
    return NonNeg()


def unitnorm(axis: int = 0) -> UnitNorm:
    """Keras 1's name of ``UnitNorm``."""
    warn_old_spelling("unitnorm", "UnitNorm")
    return UnitNorm(axis=axis)


__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "get", "maxnorm", "nonneg", "unitnorm"]
