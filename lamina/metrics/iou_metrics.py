"""Intersection-over-Union metrics from a running (weighted) confusion matrix."""

from __future__ import annotations

from lamina import backend, ops
from lamina.metrics.metric import Metric


def confusion_matrix(labels, predictions, num_classes: int, weights, dtype):
    """``(num_classes, num_classes)`` matrix of summed weights: rows are true classes, columns predicted.

    Pairs with a class outside ``[0, num_classes)`` are dropped.
    """
    labels, predictions = ops.cast(labels, "int32"), ops.cast(predictions, "int32")
    valid = ops.logical_and(ops.logical_and(labels >= 0, labels < num_classes),
                            ops.logical_and(predictions >= 0, predictions < num_classes))
    cells = ops.where(valid, labels * num_classes + predictions, num_classes * num_classes)
    counts = ops.segment_sum(ops.cast(weights, dtype), cells, num_segments=num_classes * num_classes + 1)
    return ops.reshape(counts[:-1], (num_classes, num_classes))


class IoU(Metric):
    """Mean IoU ``tp / (tp + fp + fn)`` over ``target_class_ids``, from a running confusion matrix.

    Classes that never occur (in labels or predictions) are left out of the mean.

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes whose IoUs are averaged.
        ignore_class: a label whose pixels/samples are ignored (e.g. a "void" class), or None.
        sparse_y_true: whether labels are class ids (else one-hot / scores along ``axis``).
        sparse_y_pred: whether predictions are class ids (else scores along ``axis``).
        axis: the class axis of dense inputs.

    Example:
        >>> m = IoU(num_classes=2, target_class_ids=[0])
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> float(m.result())  # class 0: 1 / (2 + 2 - 1)
        0.3333...
    """

    _direction = "up"

    def __init__(self, num_classes: int, target_class_ids, name: str | None = None, dtype=None,
                 ignore_class: int | None = None, sparse_y_true: bool = True, sparse_y_pred: bool = True,
                 axis: int = -1):
        super().__init__(name=name, dtype=dtype)
        target_class_ids = list(target_class_ids)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which is "
                             f"[0, {num_classes}).")
        self.num_classes = num_classes
        self.target_class_ids = target_class_ids
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable((num_classes, num_classes), "zeros", name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        y_true = ops.reshape(ops.convert_to_tensor(y_true), (-1,))
        y_pred = ops.reshape(ops.convert_to_tensor(y_pred), (-1,))
        weights = ops.ones(y_true.shape, dtype=self.dtype) if sample_weight is None else \
            ops.broadcast_to(ops.reshape(ops.cast(sample_weight, self.dtype), (-1,)), y_true.shape)
        if self.ignore_class is not None:
            weights = weights * ops.cast(ops.not_equal(y_true, self.ignore_class), self.dtype)
        self.total_cm.assign_add(confusion_matrix(y_true, y_pred, self.num_classes, weights, self.dtype))

    def result(self):
        cm = ops.cast(self.total_cm, backend.floatx())
        true_positives = ops.diagonal(cm)
        denominator = ops.sum(cm, axis=0) + ops.sum(cm, axis=1) - true_positives
        targets = ops.convert_to_tensor(self.target_class_ids, dtype="int32")
        true_positives = ops.take(true_positives, targets)
        denominator = ops.take(denominator, targets)
        present = ops.sum(ops.cast(denominator > 1e-9, cm.dtype))
        iou = true_positives / (denominator + backend.epsilon())
        return ops.sum(iou) / (present + backend.epsilon())

    def get_config(self) -> dict:
        return {**super().get_config(), "num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


def _without(config: dict, *keys) -> dict:
    return {key: value for key, value in config.items() if key not in keys}


class BinaryIoU(IoU):
    """IoU of binary predictions: a score ``>= threshold`` predicts class 1.

    Args:
        target_class_ids: which of [0, 1] to average.
        threshold: the decision threshold applied to ``y_pred``.
    """

    def __init__(self, target_class_ids=(0, 1), threshold: float = 0.5, name: str | None = None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        predicted = ops.greater_equal(ops.cast(y_pred, "float32"), self.threshold)
        super().update_state(ops.cast(y_true, "int32"), ops.cast(predicted, "int32"), sample_weight)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "target_class_ids": self.target_class_ids,
                "threshold": self.threshold}


class MeanIoU(IoU):
    """IoU averaged over all ``num_classes`` classes."""

    def __init__(self, num_classes: int, name: str | None = None, dtype=None, ignore_class: int | None = None,
                 sparse_y_true: bool = True, sparse_y_pred: bool = True, axis: int = -1):
        super().__init__(num_classes, list(range(num_classes)), name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return _without(super().get_config(), "target_class_ids")


class OneHotIoU(IoU):
    """IoU with one-hot labels (and, unless ``sparse_y_pred``, score vectors as predictions)."""

    def __init__(self, num_classes: int, target_class_ids, name: str | None = None, dtype=None,
                 ignore_class: int | None = None, sparse_y_pred: bool = False, axis: int = -1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return _without(super().get_config(), "sparse_y_true")


class OneHotMeanIoU(MeanIoU):
    """Mean IoU over all classes with one-hot labels (and score vectors unless ``sparse_y_pred``)."""

    def __init__(self, num_classes: int, name: str | None = None, dtype=None, ignore_class: int | None = None,
                 sparse_y_pred: bool = False, axis: int = -1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return _without(super().get_config(), "sparse_y_true")
