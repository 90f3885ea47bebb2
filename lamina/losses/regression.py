"""Regression loss functions, Keras 3 names and math; each returns one loss per sample (last axis reduced)."""

from __future__ import annotations

import math

from lamina import config, ops
from lamina.losses.wrapper import averages, pair


def _squared_error(y_true, y_pred):
    y_true, y_pred = pair(y_true, y_pred)
    return ops.square(y_true - y_pred)


def _absolute_error(y_true, y_pred):
    y_true, y_pred = pair(y_true, y_pred)
    return ops.abs(y_true - y_pred)


def _absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = pair(y_true, y_pred)
    return 100.0 * ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), config.epsilon()))


def _squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = pair(y_true, y_pred)
    eps = config.epsilon()
    return ops.square(ops.log(ops.maximum(y_pred, eps) + 1.0) - ops.log(ops.maximum(y_true, eps) + 1.0))


def _huber_terms(y_true, y_pred, delta=1.0):
    y_true, y_pred = pair(y_true, y_pred)
    error = y_pred - y_true
    abs_error = ops.abs(error)
    return ops.where(abs_error <= delta, 0.5 * ops.square(error), delta * abs_error - 0.5 * delta * delta)


def _log_cosh_terms(y_true, y_pred):
    y_true, y_pred = pair(y_true, y_pred)
    error = y_pred - y_true
    return error + ops.softplus(-2.0 * error) - math.log(2.0)  # log(cosh(x)), without overflow


@averages(_squared_error)
def mean_squared_error(y_true, y_pred):
    """``mean(square(y_true - y_pred), axis=-1)``."""
    return ops.mean(_squared_error(y_true, y_pred), axis=-1)


@averages(_absolute_error)
def mean_absolute_error(y_true, y_pred):
    """``mean(abs(y_true - y_pred), axis=-1)``."""
    return ops.mean(_absolute_error(y_true, y_pred), axis=-1)


@averages(_absolute_percentage_error)
def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(abs((y_true - y_pred) / y_true), axis=-1)``; ``|y_true|`` is floored at epsilon."""
    return ops.mean(_absolute_percentage_error(y_true, y_pred), axis=-1)


@averages(_squared_logarithmic_error)
def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)``; values are floored at epsilon."""
    return ops.mean(_squared_logarithmic_error(y_true, y_pred), axis=-1)


@averages(_huber_terms)
def huber(y_true, y_pred, delta: float = 1.0):
    """Huber loss, averaged over the last axis: ``0.5 * e**2`` where ``|e| <= delta``, else
    ``delta * |e| - 0.5 * delta**2``."""
    return ops.mean(_huber_terms(y_true, y_pred, delta=delta), axis=-1)


@averages(_log_cosh_terms)
def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``: like MSE for small errors, like MAE for large ones."""
    return ops.mean(_log_cosh_terms(y_true, y_pred), axis=-1)


def _l2_normalize(x, axis):
    return x * ops.rsqrt(ops.maximum(ops.sum(ops.square(x), axis=axis, keepdims=True), config.epsilon()))


def cosine_similarity(y_true, y_pred, axis: int = -1):
    """Negative cosine similarity along ``axis``: -1 for parallel vectors, 0 for orthogonal (or zero) ones."""
    y_true, y_pred = pair(y_true, y_pred)
    return -ops.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)
