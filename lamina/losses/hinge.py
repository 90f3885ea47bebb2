"""Hinge loss functions (maximum-margin classification), Keras 3 names and math."""

from __future__ import annotations

from lamina import ops
from lamina.losses.wrapper import averages, cast_like, pair


def _signed_labels(y_true):
    """Labels as -1/1: 0/1 labels are mapped to -1/1, any other labels are kept (decided on the device)."""
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
    return ops.where(is_binary, 2.0 * y_true - 1.0, y_true)


def _hinge_terms(y_true, y_pred):
    y_true, y_pred = pair(y_true, y_pred)
    return ops.maximum(1.0 - _signed_labels(y_true) * y_pred, 0.0)


def _squared_hinge_terms(y_true, y_pred):
    return ops.square(_hinge_terms(y_true, y_pred))


@averages(_hinge_terms)
def hinge(y_true, y_pred):
    """``mean(maximum(1 - y_true * y_pred, 0), axis=-1)``; labels are -1/1 (0/1 labels are converted)."""
    return ops.mean(_hinge_terms(y_true, y_pred), axis=-1)


@averages(_squared_hinge_terms)
def squared_hinge(y_true, y_pred):
    """``mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)``; labels are -1/1 (0/1 labels are converted)."""
    return ops.mean(_squared_hinge_terms(y_true, y_pred), axis=-1)


def categorical_hinge(y_true, y_pred):
    """``maximum(neg - pos + 1, 0)`` with ``pos = sum(y_true * y_pred)``, ``neg = max((1 - y_true) * y_pred)``."""
    y_true, y_pred = cast_like(y_true, y_pred)
    positive = ops.sum(y_true * y_pred, axis=-1)
    negative = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(negative - positive + 1.0, 0.0)
