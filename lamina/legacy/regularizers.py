"""Keras 1's ``keras.regularizers``: ``l1(l=...)``, ``l2``, ``l1l2``, ``activity_l1/l2/l1l2``,
``WeightRegularizer`` and ``ActivityRegularizer``, all the modern ``L1L2`` (Keras 1's penalty is the same sum;
an activity penalty is divided by the batch size, as Keras 1.0's mean over the batch)."""

from __future__ import annotations

from lamina.legacy.deprecation import warn_old_spelling
from lamina.regularizers import L1, L1L2, L2, Regularizer, get, l1_l2


def l1(l: float = 0.01) -> L1L2:  # noqa: E741 (Keras 1's argument name)
    """An L1 weight penalty ``l * sum(|w|)``."""
    return L1L2(l1=l)


def l2(l: float = 0.01) -> L1L2:  # noqa: E741
    """An L2 weight penalty ``l * sum(w ** 2)``."""
    return L1L2(l2=l)


def l1l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:
    """Both penalties (Keras 1's name of ``l1_l2``)."""
    warn_old_spelling("l1l2", "l1_l2")
    return L1L2(l1=l1, l2=l2)


def WeightRegularizer(l1: float = 0.0, l2: float = 0.0) -> L1L2:  # noqa: N802 (Keras 1's class name)
    """Keras 1's weight penalty class: the modern ``L1L2``."""
    warn_old_spelling("WeightRegularizer", "L1L2")
    return L1L2(l1=l1, l2=l2)


def ActivityRegularizer(l1: float = 0.0, l2: float = 0.0) -> L1L2:  # noqa: N802
    """Keras 1's activity penalty class: the modern ``L1L2`` given as ``activity_regularizer``."""
    warn_old_spelling("ActivityRegularizer", "L1L2 as activity_regularizer")
    return L1L2(l1=l1, l2=l2)


def activity_l1(l: float = 0.01) -> L1L2:  # noqa: E741
    """An L1 activity penalty (Keras 1)."""
    warn_old_spelling("activity_l1", "l1")
    return L1L2(l1=l)


def activity_l2(l: float = 0.01) -> L1L2:  # noqa: E741
    """An L2 activity penalty (Keras 1)."""
    warn_old_spelling("activity_l2", "l2")
    return L1L2(l2=l)


def activity_l1l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:
    """Both activity penalties (Keras 1)."""
    warn_old_spelling("activity_l1l2", "l1_l2")
    return L1L2(l1=l1, l2=l2)


__all__ = ["L1", "L1L2", "L2", "Regularizer", "get", "l1", "l2", "l1_l2", "l1l2", "WeightRegularizer",
           "ActivityRegularizer", "activity_l1", "activity_l2", "activity_l1l2"]
