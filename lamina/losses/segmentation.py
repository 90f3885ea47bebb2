"""Overlap losses for segmentation (Dice, Tversky), Keras 3 names and math.

``axis`` selects the axes the overlap is summed over: ``None`` (the default) gives one loss for the whole
batch, ``(1, 2, 3)`` one loss per image of an NHWC batch.
"""

from __future__ import annotations

from lamina import config, ops
from lamina.losses.wrapper import cast_like


def dice(y_true, y_pred, axis=None):
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`` over ``axis``."""
    y_true, y_pred = cast_like(y_true, y_pred)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    total = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis)
    return 1.0 - 2.0 * intersection / (total + config.epsilon())


def tversky(y_true, y_pred, alpha: float = 0.5, beta: float = 0.5, axis=None):
    """``1 - TP / (TP + alpha * FP + beta * FN)`` over ``axis`` (soft counts); alpha = beta = 0.5 is Dice."""
    y_true, y_pred = cast_like(y_true, y_pred)
    true_positives = ops.sum(y_true * y_pred, axis=axis)
    false_positives = ops.sum((1.0 - y_pred) * y_true, axis=axis)
    false_negatives = ops.sum(y_pred * (1.0 - y_true), axis=axis)
    denominator = true_positives + alpha * false_positives + beta * false_negatives + config.epsilon()
    return 1.0 - true_positives / denominator
