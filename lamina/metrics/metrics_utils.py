"""Shared metric machinery: rank alignment, masks, and confusion counts at a set of thresholds."""

from __future__ import annotations

import numpy as np

from lamina import backend, ops
from lamina.backend.common.masking import get_mask

NEG_INF = -1e10  # score given to predictions outside the top k


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1: bool = True):
    """Make ranks equal when they differ by a trailing dimension of size 1 (as Keras does)."""
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, -1)
        else:
            x1 = ops.squeeze(x1, -1)
    elif rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, -1)
        else:
            x2 = ops.squeeze(x2, -1)
    return x1, x2


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


def align_inputs(y_true, y_pred, sample_weight, dtype):
    """Cast labels, predictions and weights to ``dtype`` and give them compatible ranks (Keras' rules)."""
    y_true, y_pred = ops.cast(y_true, dtype), ops.cast(y_pred, dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = ops.expand_dims(ops.cast(sample_weight, dtype), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    return y_true, y_pred, sample_weight


def confusion_counts(y_true, y_pred, thresholds, thresholds_tensor=None, *, evenly: bool = False,
                     sample_weight=None, top_k: int | None = None, class_id: int | None = None,
                     multi_label: bool = False, label_weights=None, dtype="float32"):
    """Weighted (tp, fp, tn, fn) at each threshold; a prediction is positive when ``y_pred > threshold``.

    Every label (or every element of ``y_true``, which is nonzero for positives) is one decision, pooled
    over all labels, unless ``multi_label`` keeps the last axis apart. Counts have shape ``(T,)``, or
    ``(T, num_labels)`` with ``multi_label``. ``evenly`` (thresholds ``i/(T-1)``, optionally with end
    points just outside [0, 1]) selects Keras' bucketed O(N + T) algorithm; otherwise every prediction is
    compared with every threshold. Both give the same counts.
    """
    y_true, y_pred, sample_weight = align_inputs(y_true, y_pred, sample_weight, dtype)
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
    if multi_label:
        num_labels = y_pred.shape[-1]
        y_true, y_pred, weights = (ops.reshape(t, (-1, num_labels)) for t in (y_true, y_pred, weights))
    else:
        y_true, y_pred, weights = (ops.reshape(t, (-1,)) for t in (y_true, y_pred, weights))
    positives = ops.cast(ops.not_equal(y_true, 0), dtype) * weights
    negatives = weights - positives
    num_thresholds = len(thresholds)
    if evenly:
        tp, fp = _bucketed_counts(positives, negatives, y_pred, num_thresholds,
                                  thresholds[0] < 0.0 or thresholds[-1] > 1.0)
    else:
        if thresholds_tensor is None:
            thresholds_tensor = ops.convert_to_tensor(np.asarray(thresholds), dtype=dtype)
        limits = ops.reshape(ops.cast(thresholds_tensor, dtype), (num_thresholds,) + (1,) * y_pred.ndim)
        above = ops.cast(ops.greater(ops.expand_dims(y_pred, 0), limits), dtype)
        tp = ops.sum(above * positives, axis=1)
        fp = ops.sum(above * negatives, axis=1)
    tn = ops.sum(negatives, axis=0) - fp
    fn = ops.sum(positives, axis=0) - tp
    return tp, fp, tn, fn


def _bucketed_counts(positives, negatives, y_pred, num_thresholds: int, with_epsilon: bool):
    """tp and fp at evenly spaced thresholds: bucket each prediction, sum per bucket, then suffix-sum.

    A prediction ``p`` exceeds thresholds ``0 .. ceil(p (T-1)) - 1``; when the first threshold sits just
    below 0, every prediction exceeds it. Predictions are clipped to [0, 1].
    """
    y_pred = ops.clip(y_pred, 0.0, 1.0)
    # Bucket b + 1 holds predictions that exceed thresholds 0..b; bucket 0 those that exceed none.
    last = ops.ceil(y_pred * (num_thresholds - 1))
    if with_epsilon:
        last = ops.maximum(last, 1.0)
    ids = ops.cast(last, "int32")
    num_labels = y_pred.shape[-1] if y_pred.ndim == 2 else 1
    if y_pred.ndim == 2:  # multi-label: one set of buckets per label
        ids = ids * num_labels + ops.arange(num_labels, dtype="int32")

    def suffix_sums(data):
        buckets = ops.segment_sum(ops.reshape(data, (-1,)), ops.reshape(ids, (-1,)),
                                  num_segments=num_thresholds * num_labels)
        buckets = ops.reshape(buckets, (num_thresholds,) + tuple(y_pred.shape[1:]))
        return ops.flip(ops.cumsum(ops.flip(buckets[1:], axis=0), axis=0), axis=0)

    tp, fp = suffix_sums(positives), suffix_sums(negatives)
    pad = ops.zeros((1,) + tuple(tp.shape[1:]), dtype=tp.dtype)
    return ops.concatenate([tp, pad], axis=0), ops.concatenate([fp, pad], axis=0)
