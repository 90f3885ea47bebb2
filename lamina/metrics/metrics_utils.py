"""Shared metric machinery: inputs as floats of aligned rank, masks, and confusion counts at a set of thresholds."""

from __future__ import annotations

import numpy as np

from lamina import backend, ops
from lamina.backend.common.masking import get_mask
from lamina.losses.loss import squeeze_or_expand_to_same_rank

NEG_INF = -1e10  # score given to predictions outside the top k


def float_pair(y_true, y_pred) -> tuple:
    """``(y_true, y_pred)`` as tensors of ``y_pred``'s float dtype (floatx for an integer ``y_pred``), ranks aligned."""
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float_dtype(y_pred.dtype):
        y_pred = ops.cast(y_pred, backend.floatx())
    return squeeze_or_expand_to_same_rank(ops.cast(y_true, y_pred.dtype), y_pred)


def masked_sample_weight(y_pred, sample_weight, dtype):
    """``sample_weight`` times the mask attached to ``y_pred`` (the mask alone when no weights are given)."""
    mask = get_mask(y_pred)
    if mask is None:
        return sample_weight
    mask = ops.cast(mask, dtype)
    if sample_weight is None:
        return mask
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, ops.cast(sample_weight, dtype))
    return sample_weight * mask


def parse_thresholds(thresholds, default: float, owner: str) -> list:
    """``thresholds`` (a float or a list of floats in [0, 1]) as a list; ``[default]`` when None."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    for value in values:
        if value is None or not 0.0 <= value <= 1.0:
            raise ValueError(f"{owner}: threshold values must be in [0, 1]. Received: thresholds={thresholds}")
    return [float(v) for v in values]


def is_evenly_distributed(thresholds) -> bool:
    """Whether ``thresholds`` are ``i / (n - 1)`` for ``i = 0 .. n-1`` (n >= 3): the bucketed fast path applies."""
    thresholds = np.asarray(thresholds, dtype="float64")
    n = len(thresholds)
    if n < 3:
        return False
    return bool(np.allclose(thresholds, np.arange(n) / (n - 1), atol=backend.epsilon()))


def filter_top_k(x, k: int):
    """``x`` with every entry outside the top ``k`` of its last axis replaced by ``NEG_INF``."""
    _, indices = ops.top_k(x, k)
    in_top_k = ops.sum(ops.one_hot(indices, x.shape[-1], dtype=x.dtype), axis=-2)
    return x * in_top_k + NEG_INF * (1 - in_top_k)


def weighted_decisions(y_true, y_pred, sample_weight=None, *, top_k: int | None = None,
                       class_id: int | None = None, multi_label: bool = False, label_weights=None,
                       dtype="float32"):
    """Flatten a batch into binary decisions: ``(scores, positive_weight, negative_weight)``.

    Every element of ``y_true`` (nonzero = positive) is one decision, pooled over all labels, unless
    ``multi_label`` keeps the last axis apart: shapes ``(M,)`` or ``(M, num_labels)``. Weights combine
    ``sample_weight`` (Keras' rank rules), ``label_weights`` (pooled case only) and, for each decision,
    whether it is a positive or a negative. ``top_k`` keeps only each row's k best scores (the others
    become ``NEG_INF``); ``class_id`` keeps one column.
    """
    y_true, y_pred = ops.cast(y_true, dtype), ops.cast(y_pred, dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = ops.expand_dims(ops.cast(sample_weight, dtype), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        y_true = y_true[..., class_id:class_id + 1]
        y_pred = y_pred[..., class_id:class_id + 1]
        if sample_weight is not None and sample_weight.ndim == y_pred.ndim and sample_weight.shape[-1] > 1:
            sample_weight = sample_weight[..., class_id:class_id + 1]
    if multi_label and y_pred.ndim == 1:
        y_true, y_pred = y_true[:, None], y_pred[:, None]
    weights = ops.ones_like(y_pred) if sample_weight is None else ops.broadcast_to(sample_weight, y_pred.shape)
    if label_weights is not None and not multi_label:
        weights = weights * ops.cast(label_weights, dtype)
    shape = (-1, y_pred.shape[-1]) if multi_label else (-1,)
    y_true, y_pred, weights = (ops.reshape(t, shape) for t in (y_true, y_pred, weights))
    positives = ops.cast(ops.not_equal(y_true, 0), dtype) * weights
    return y_pred, positives, weights - positives


def confusion_counts(y_true, y_pred, thresholds, thresholds_tensor=None, *, evenly: bool = False,
                     dtype="float32", **decision_options):
    """Weighted (tp, fp, tn, fn) at each threshold; a prediction is positive when ``y_pred > threshold``.

    ``decision_options`` go to ``weighted_decisions``. Counts have shape ``(T,)``, or ``(T, num_labels)``
    with ``multi_label``. ``evenly`` (thresholds ``i/(T-1)``, optionally with end points just outside
    [0, 1]) selects Keras' bucketed O(N + T) algorithm; otherwise every prediction is compared with every
    threshold. Both give the same counts.
    """
    y_pred, positives, negatives = weighted_decisions(y_true, y_pred, dtype=dtype, **decision_options)
    num_thresholds = len(thresholds)
    if evenly:
        return _bucketed_counts(positives, negatives, y_pred, num_thresholds,
                                thresholds[0] < 0.0 or thresholds[-1] > 1.0)
    if thresholds_tensor is None:
        thresholds_tensor = ops.convert_to_tensor(np.asarray(thresholds), dtype=dtype)
    limits = ops.reshape(ops.cast(thresholds_tensor, dtype), (num_thresholds,) + (1,) * y_pred.ndim)
    above = ops.cast(ops.greater(ops.expand_dims(y_pred, 0), limits), dtype)
    below = 1.0 - above
    return (ops.sum(above * positives, axis=1), ops.sum(above * negatives, axis=1),
            ops.sum(below * negatives, axis=1), ops.sum(below * positives, axis=1))


def _bucketed_counts(positives, negatives, y_pred, num_thresholds: int, with_epsilon: bool):
    """(tp, fp, tn, fn) at evenly spaced thresholds: bucket each prediction, sum per bucket, then take
    suffix sums (above a threshold) and prefix sums (at or below it).

    A prediction ``p`` exceeds thresholds ``0 .. ceil(p (T-1)) - 1``; when the first threshold sits just
    below 0, every prediction exceeds it. Predictions are clipped to [0, 1].
    """
    y_pred = ops.clip(y_pred, 0.0, 1.0)
    # Bucket j holds the predictions that exceed thresholds 0..j-1 and no other.
    exceeded = ops.ceil(y_pred * (num_thresholds - 1))
    if with_epsilon:
        exceeded = ops.maximum(exceeded, 1.0)
    ids = ops.cast(exceeded, "int32")
    num_labels = y_pred.shape[-1] if y_pred.ndim == 2 else 1
    if y_pred.ndim == 2:  # multi-label: one set of buckets per label
        ids = ids * num_labels + ops.arange(num_labels, dtype="int32")
    flat_ids = ops.reshape(ids, (-1,))

    def buckets(data):
        sums = ops.segment_sum(ops.reshape(data, (-1,)), flat_ids, num_segments=num_thresholds * num_labels)
        return ops.reshape(sums, (num_thresholds,) + tuple(y_pred.shape[1:]))

    def above(bucketed):  # threshold t is exceeded by buckets t+1 .. T-1
        tail = ops.flip(ops.cumsum(ops.flip(bucketed[1:], axis=0), axis=0), axis=0)
        return ops.concatenate([tail, ops.zeros_like(bucketed[:1])], axis=0)

    pos, neg = buckets(positives), buckets(negatives)
    return above(pos), above(neg), ops.cumsum(neg, axis=0), ops.cumsum(pos, axis=0)
