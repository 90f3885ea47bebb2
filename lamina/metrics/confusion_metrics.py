"""Metrics from weighted confusion counts at decision thresholds: TP/FP/TN/FN, Precision, Recall and the
"X at fixed Y" family (SensitivityAtSpecificity, PrecisionAtRecall, ...)."""

from __future__ import annotations

import numpy as np

from lamina import ops
from lamina.metrics.metric import Metric
from lamina.metrics.metrics_utils import (
    NEG_INF,
    confusion_counts,
    is_evenly_distributed,
    masked_sample_weight,
    parse_thresholds,
)

TP, FP, TN, FN = range(4)  # positions in ``confusion_counts``' result


class ThresholdMetric(Metric):
    """A metric over confusion counts at fixed thresholds; ``_set_thresholds`` picks the algorithm."""

    def _set_thresholds(self, thresholds: list, evenly: bool | None = None) -> None:
        self.thresholds = list(thresholds)
        self._evenly = is_evenly_distributed(thresholds) if evenly is None else evenly
        self._thresholds_tensor = ops.convert_to_tensor(np.asarray(thresholds), dtype=self.dtype)

    def _counts(self, y_true, y_pred, sample_weight, **kwargs):
        """(tp, fp, tn, fn) of one batch at ``self.thresholds``, on the device."""
        return confusion_counts(y_true, y_pred, self.thresholds, self._thresholds_tensor, evenly=self._evenly,
                                sample_weight=masked_sample_weight(y_pred, sample_weight, self.dtype),
                                dtype=self.dtype, **kwargs)


def _first_if_single(values, thresholds: list):
    return values[0] if len(thresholds) == 1 else ops.convert_to_tensor(values)


class _ConditionCount(ThresholdMetric):
    """The weighted count of one confusion cell at each threshold."""

    _cell = TP

    def __init__(self, thresholds=None, name: str | None = None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self._set_thresholds(parse_thresholds(thresholds, 0.5, type(self).__name__))
        self.accumulator = self.add_variable((len(self.thresholds),), "zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        self.accumulator.assign_add(self._counts(y_true, y_pred, sample_weight)[self._cell])

    def result(self):
        return _first_if_single(self.accumulator, self.thresholds)

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConditionCount):
    """Weighted count of positives predicted positive (``y_pred > threshold``), per threshold.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5); a list gives one count each.
    """

    _cell = TP


class FalsePositives(_ConditionCount):
    """Weighted count of negatives predicted positive, per threshold (default 0.5)."""

    _cell = FP
    _direction = "down"


class TrueNegatives(_ConditionCount):
    """Weighted count of negatives predicted negative, per threshold (default 0.5)."""

    _cell = TN


class FalseNegatives(_ConditionCount):
    """Weighted count of positives predicted negative, per threshold (default 0.5)."""

    _cell = FN
    _direction = "down"


class _PrecisionRecall(ThresholdMetric):
    """tp / (tp + other) where ``other`` is FP (precision) or FN (recall)."""

    _direction = "up"
    _other = FP

    def __init__(self, thresholds=None, top_k: int | None = None, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF  # with top_k, being in the top k decides by default
        self._set_thresholds(parse_thresholds(thresholds, default, type(self).__name__))
        count = (len(self.thresholds),)
        self.true_positives = self.add_variable(count, "zeros", name="true_positives")
        other = "false_positives" if self._other == FP else "false_negatives"
        setattr(self, other, self.add_variable(count, "zeros", name=other))
        self._other_variable = getattr(self, other)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        counts = self._counts(y_true, y_pred, sample_weight, top_k=self.top_k, class_id=self.class_id)
        self.true_positives.assign_add(counts[TP])
        self._other_variable.assign_add(counts[self._other])

    def result(self):
        value = ops.divide_no_nan(self.true_positives, self.true_positives + self._other_variable)
        return _first_if_single(value, self.thresholds)

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """Fraction of predicted positives that are positive: tp / (tp + fp).

    Args:
        thresholds: a float or list of floats in [0, 1]; ``y_pred > threshold`` is a positive prediction.
            Default 0.5 (without ``top_k``).
        top_k: only the ``k`` highest scores of each row may count as positive.
        class_id: compute the metric for this class (last-axis index) only.
    """

    _other = FP


class Recall(_PrecisionRecall):
    """Fraction of positives predicted positive: tp / (tp + fn). Arguments as ``Precision``."""

    _other = FN


class _AtConstraint(ThresholdMetric):
    """The best value of one rate over the thresholds where another rate reaches ``value``.

    ``num_thresholds`` thresholds evenly spaced over [0, 1] (0.5 alone when 1).
    """

    _direction = "up"
    _constraint_name = "value"

    def __init__(self, value: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        if not 0 <= value <= 1:
            raise ValueError(f"{owner}: argument `{self._constraint_name}` must be in the range [0, 1]. "
                             f"Received: {self._constraint_name}={value}")
        if num_thresholds <= 0:
            raise ValueError(f"{owner}: argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self._set_thresholds([0.5], evenly=False)
        else:
            self._set_thresholds([i / (num_thresholds - 1) for i in range(num_thresholds)], evenly=True)
        shape = (num_thresholds,)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        tp, fp, tn, fn = self._counts(y_true, y_pred, sample_weight, class_id=self.class_id)
        self.true_positives.assign_add(tp)
        self.false_positives.assign_add(fp)
        self.true_negatives.assign_add(tn)
        self.false_negatives.assign_add(fn)

    def _rates(self) -> dict:
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        return {
            "sensitivity": ops.divide_no_nan(tp, tp + fn),  # = recall
            "specificity": ops.divide_no_nan(tn, tn + fp),
            "precision": ops.divide_no_nan(tp, tp + fp),
        }

    def _best(self, maximized: str, constrained: str):
        """max of rate ``maximized`` where rate ``constrained >= value``; 0 when no threshold qualifies."""
        rates = self._rates()
        feasible = ops.greater_equal(rates[constrained], self.value)
        return ops.max(ops.where(feasible, rates[maximized], 0.0))

    def get_config(self) -> dict:
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                self._constraint_name: self.value, "class_id": self.class_id}


class SensitivityAtSpecificity(_AtConstraint):
    """The best sensitivity (recall) among thresholds whose specificity is at least ``specificity``."""

    _constraint_name = "specificity"

    def __init__(self, specificity: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)
        self.specificity = specificity

    def result(self):
        return self._best("sensitivity", "specificity")


class SpecificityAtSensitivity(_AtConstraint):
    """The best specificity among thresholds whose sensitivity is at least ``sensitivity``."""

    _constraint_name = "sensitivity"

    def __init__(self, sensitivity: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)
        self.sensitivity = sensitivity

    def result(self):
        return self._best("specificity", "sensitivity")


class PrecisionAtRecall(_AtConstraint):
    """The best precision among thresholds whose recall is at least ``recall``."""

    _constraint_name = "recall"

    def __init__(self, recall: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)
        self.recall = recall

    def result(self):
        return self._best("precision", "sensitivity")


class RecallAtPrecision(_AtConstraint):
    """The best recall among thresholds whose precision is at least ``precision``."""

    _constraint_name = "precision"

    def __init__(self, precision: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)
        self.precision = precision

    def result(self):
        return self._best("sensitivity", "precision")
