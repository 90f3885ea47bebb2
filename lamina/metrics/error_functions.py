"""Per-sample error functions behind the loss-like metrics (Keras 3 formulas).

Each takes ``(y_true, y_pred)`` and returns one value per sample: the mean (or sum) over the last axis of
an elementwise term. ``y_true`` is cast to ``y_pred``'s dtype and a trailing axis of size 1 on either side
is squeezed or added so that ranks match.
"""

from __future__ import annotations

import math

from lamina import backend, ops
from lamina.metrics.metrics_utils import squeeze_or_expand_to_same_rank


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float_dtype(y_pred.dtype):
        y_pred = ops.cast(y_pred, backend.floatx())
    y_true = ops.cast(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean(|y_true - y_pred| / max(|y_true|, epsilon))."""
    y_true, y_pred = _prepare(y_true, y_pred)
    relative = ops.abs(y_true - y_pred) / ops.maximum(ops.abs(y_true), backend.epsilon())
    return 100.0 * ops.mean(relative, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean((log(1 + max(y_pred, eps)) - log(1 + max(y_true, eps)))^2)."""
    y_true, y_pred = _prepare(y_true, y_pred)
    eps = backend.epsilon()
    return ops.mean(ops.square(ops.log(ops.maximum(y_pred, eps) + 1.0) - ops.log(ops.maximum(y_true, eps) + 1.0)),
                    axis=-1)


def _l2_normalize(x, axis: int):
    return x * ops.rsqrt(ops.maximum(ops.sum(ops.square(x), axis=axis, keepdims=True), backend.epsilon()))


def cosine_similarity(y_true, y_pred, axis: int = -1):
    """The cosine of the angle between ``y_true`` and ``y_pred`` along ``axis`` (1 = same direction)."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


def log_cosh(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true))), computed stably as x + softplus(-2x) - log 2."""
    y_true, y_pred = _prepare(y_true, y_pred)
    error = y_pred - y_true
    return ops.mean(error + ops.softplus(-2.0 * error) - math.log(2.0), axis=-1)


def _hinge_labels(y_true):
    """Labels given as {0, 1} become {-1, 1}; other labels pass unchanged (decided on the device)."""
    binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
    return ops.where(binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.square(ops.maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """max(0, 1 + max over wrong classes of y_pred - y_pred of the true class), for one-hot ``y_true``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    positive = ops.sum(y_true * y_pred, axis=-1)
    negative = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(negative - positive + 1.0, 0.0)


def kl_divergence(y_true, y_pred):
    """sum(y_true * log(y_true / y_pred)) with both clipped to [epsilon, 1]."""
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = ops.clip(y_true, backend.epsilon(), 1.0)
    y_pred = ops.clip(y_pred, backend.epsilon(), 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """mean(y_pred - y_true * log(y_pred + epsilon))."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(y_pred - y_true * ops.log(y_pred + backend.epsilon()), axis=-1)


def binary_crossentropy(y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1):
    """Mean over ``axis`` of the elementwise binary crossentropy; labels are smoothed towards 0.5."""
    y_true, y_pred = _prepare(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0,
                             axis: int = -1):
    """Crossentropy between one-hot (or soft) ``y_true`` and ``y_pred`` along ``axis``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[axis]
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False, ignore_class: int | None = None,
                                    axis: int = -1):
    """Crossentropy between integer labels and ``y_pred``; labels equal to ``ignore_class`` count 0."""
    y_pred = ops.convert_to_tensor(y_pred)
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    y_true = ops.convert_to_tensor(y_true)
    keep = ops.not_equal(y_true, ignore_class)
    losses = ops.sparse_categorical_crossentropy(ops.where(keep, y_true, 0), y_pred, from_logits=from_logits,
                                                 axis=axis)
    keep, losses = squeeze_or_expand_to_same_rank(keep, losses, expand_rank_1=False)
    return losses * ops.cast(keep, losses.dtype)


def _centered(x, axis: int):
    return x - ops.mean(x, axis=axis, keepdims=True)


def pearson_correlation(y_true, y_pred, axis: int = -1):
    """Pearson's correlation coefficient between ``y_true`` and ``y_pred`` along ``axis``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    true_c, pred_c = _centered(y_true, axis), _centered(y_pred, axis)
    covariance = ops.mean(true_c * pred_c, axis=axis)
    return covariance / (ops.std(y_true, axis=axis) * ops.std(y_pred, axis=axis) + backend.epsilon())


def concordance_correlation(y_true, y_pred, axis: int = -1):
    """Lin's concordance correlation: 2 cov / (var_true + var_pred + (mean_true - mean_pred)^2) along ``axis``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    true_c, pred_c = _centered(y_true, axis), _centered(y_pred, axis)
    covariance = ops.mean(true_c * pred_c, axis=axis)
    mean_gap = ops.mean(y_true, axis=axis) - ops.mean(y_pred, axis=axis)
    norm = ops.var(y_true, axis=axis) + ops.var(y_pred, axis=axis) + ops.square(mean_gap)
    return 2.0 * covariance / (norm + backend.epsilon())
