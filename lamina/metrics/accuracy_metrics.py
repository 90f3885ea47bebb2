"""Accuracy metrics: how often predictions match labels (exactly, thresholded, argmax, or in the top k)."""

from __future__ import annotations

from lamina import backend, ops
from lamina.metrics.metrics_utils import squeeze_or_expand_to_same_rank
from lamina.metrics.reduction_metrics import MeanMetricWrapper


def _matches(a, b):
    return ops.cast(ops.equal(a, b), backend.floatx())


def accuracy(y_true, y_pred):
    """1.0 where ``y_true == y_pred`` elementwise, else 0.0."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(ops.cast(y_true, y_pred.dtype), y_pred)
    return _matches(y_true, y_pred)


def binary_accuracy(y_true, y_pred, threshold: float = 0.5):
    """1.0 where ``y_pred > threshold`` agrees with the 0/1 label, elementwise."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(ops.cast(y_true, y_pred.dtype), y_pred)
    return _matches(y_true, ops.cast(ops.greater(y_pred, threshold), y_true.dtype))


def _sparse_argmax_matches(labels, y_pred):
    """Whether ``argmax(y_pred)`` equals integer ``labels`` (a trailing label axis of 1 is squeezed)."""
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = ops.squeeze(labels, -1)
    predicted = ops.argmax(y_pred, axis=-1)
    return _matches(ops.cast(labels, "int32"), ops.cast(predicted, "int32"))


def categorical_accuracy(y_true, y_pred):
    """1.0 where the argmax of one-hot ``y_true`` equals the argmax of ``y_pred``; shape ``y_pred.shape[:-1]``."""
    return _sparse_argmax_matches(ops.argmax(y_true, axis=-1), ops.convert_to_tensor(y_pred))


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where integer ``y_true`` equals the argmax of ``y_pred``."""
    return _sparse_argmax_matches(ops.convert_to_tensor(y_true), ops.convert_to_tensor(y_pred))


def _in_top_k(labels, y_pred, k: int):
    """Whether each integer label is among the ``k`` highest scores of its row of ``y_pred``."""
    y_pred = ops.convert_to_tensor(y_pred)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = ops.squeeze(labels, -1)
    shape = labels.shape
    flat_pred = ops.reshape(y_pred, (-1, y_pred.shape[-1]))
    found = ops.in_top_k(ops.reshape(ops.cast(labels, "int32"), (-1,)), flat_pred, k)
    return ops.reshape(ops.cast(found, backend.floatx()), shape)


def top_k_categorical_accuracy(y_true, y_pred, k: int = 5):
    """1.0 where the class of one-hot ``y_true`` is among the top ``k`` predictions."""
    return _in_top_k(ops.argmax(y_true, axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k: int = 5, from_sorted_ids: bool = False):
    """1.0 where integer ``y_true`` is among the top ``k`` predictions.

    With ``from_sorted_ids``, ``y_pred`` holds class ids sorted by decreasing score (``(batch, N)``,
    ``N >= k``) instead of scores.
    """
    y_true = ops.convert_to_tensor(y_true)
    if not from_sorted_ids:
        return _in_top_k(y_true, y_pred, k)
    y_pred = ops.convert_to_tensor(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    hits = ops.equal(ops.expand_dims(ops.cast(y_true, "int32"), -1), ops.cast(y_pred[..., :k], "int32"))
    return ops.cast(ops.any(hits, axis=-1), backend.floatx())


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly.

    Example:
        >>> m = Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> float(m.result())
        0.75
    """

    _direction = "up"

    def __init__(self, name: str = "accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches binary labels.

    Args:
        threshold: the decision threshold, in (0, 1).
    """

    _direction = "up"

    def __init__(self, name: str = "binary_accuracy", dtype=None, threshold: float = 0.5):
        if threshold is not None and not 0 < threshold < 1:
            raise ValueError("Invalid value for argument `threshold`. Expected a value in interval (0, 1). "
                             f"Received: threshold={threshold}")
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of ``y_pred`` is the class of one-hot ``y_true``."""

    _direction = "up"

    def __init__(self, name: str = "categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of ``y_pred`` equals integer labels."""

    _direction = "up"

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the class of one-hot ``y_true`` is among the ``k`` highest predictions."""

    _direction = "up"

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often integer labels are among the ``k`` highest predictions (or first ``k`` sorted ids)."""

    _direction = "up"

    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids: bool = False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
