"""AUC: the area under the ROC or precision-recall curve, bucketed (Keras) or exact (lamina).

Bucketed mode (Keras 3's algorithm) accumulates confusion counts at ``num_thresholds`` thresholds and
integrates the curve through them (Riemann sums, or Davis & Goadrich's interpolation for PR).

Exact mode (``exact=True``) keeps every prediction, label and weight of the epoch in device buffers and
computes, at ``result()``:
- ROC: the normalized weighted Mann-Whitney U statistic, P(score of a positive > score of a negative),
  ties counting one half;
- PR: average precision as scikit-learn defines it, sum over distinct scores t (high to low) of
  (recall(t) - recall(t_prev)) * precision(t), tied scores forming one step.
``summation_method`` and ``num_thresholds`` do not apply; an area with no positives (or, for ROC, no
negatives) is 0. ``update_state`` only appends to the buffers; the sort happens in ``result()``.
"""

from __future__ import annotations

from lamina import ops
from lamina.metrics.confusion_metrics import ThresholdMetric
from lamina.metrics.metrics_utils import is_evenly_distributed, masked_sample_weight, weighted_decisions

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "minoring", "majoring")


class AUC(ThresholdMetric):
    """Area under the ROC or PR curve of a binary (or multi-label) classifier.

    Args:
        num_thresholds: number of thresholds (> 1) used to discretize the curve, evenly spaced over [0, 1].
        curve: "ROC", "PR", or "PRGAIN" (precision gain against recall gain, Flach & Kull 2015: each is
            ``1 - (P / N) * (FN or FP) / TP``; with no true positive, recall gain 0 and precision gain 1;
            negative recall gains are raised to 0).
        summation_method: "interpolation" (trapezoids; PR uses Davis & Goadrich's interpolation),
            "minoring" (lower Riemann sum) or "majoring" (upper Riemann sum).
        name, dtype: as for every metric.
        thresholds: explicit thresholds in [0, 1], overriding ``num_thresholds``; 0 - epsilon and
            1 + epsilon are added at the ends.
        multi_label: treat the last axis as independent labels and average their AUCs; otherwise every
            label is pooled into one curve.
        num_labels: the number of labels with ``multi_label`` (else read from the first batch).
        label_weights: weights of the labels: of the per-label AUCs in the average when ``multi_label``,
            of each label's decisions when pooled.
        from_logits: whether predictions are logits (a sigmoid is applied).
        exact: keep the whole epoch's predictions and compute the exact area (see the module docstring).

    Example:
        >>> m = AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> float(m.result())
        0.75
    """

    _direction = "up"

    def __init__(self, num_thresholds: int = 200, curve: str = "ROC", summation_method: str = "interpolation",
                 name: str | None = None, dtype=None, thresholds=None, multi_label: bool = False,
                 num_labels: int | None = None, label_weights=None, from_logits: bool = False,
                 exact: bool = False):
        super().__init__(name=name, dtype=dtype)
        if str(curve).lower() not in _CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC", "PRGAIN"]')
        if exact and str(curve).lower() == "prgain":
            raise ValueError('`exact=True` computes the "ROC" or "PR" area; the "PRGAIN" curve is bucketed only.')
        if str(summation_method).lower() not in _SUMMATIONS:
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}". '
                             f"Expected values are {list(_SUMMATIONS)}")
        if num_labels and not multi_label:
            raise ValueError("`num_labels` is needed only when `multi_label` is True. "
                             f"Received: num_labels={num_labels}, multi_label={multi_label}")
        self.curve = _CURVES[str(curve).lower()]
        self.summation_method = str(summation_method).lower()
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            if any(not 0.0 <= t <= 1.0 for t in inner):
                raise ValueError(f"AUC: threshold values must be in [0, 1]. Received: thresholds={thresholds}")
            self.num_thresholds = len(inner) + 2
            evenly = is_evenly_distributed([0.0] + inner + [1.0])
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            evenly = True
        eps = 1e-7
        self._set_thresholds([0.0 - eps] + inner + [1.0 + eps], evenly=evenly)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else ops.convert_to_tensor(label_weights, self.dtype)
        self._label_weights_list = None if label_weights is None else [float(w) for w in label_weights]
        self._from_logits = from_logits
        self.exact = exact
        self.traceable = not exact
        self._buffers = ([], [], [])  # exact mode: scores, positive weights, negative weights
        self._built = False
        if not multi_label or num_labels:
            self._build(num_labels)

    def _build(self, num_labels: int | None) -> None:
        self._built = True
        if self.exact:
            return
        shape = (self.num_thresholds, num_labels) if self.multi_label else (self.num_thresholds,)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if not self._built:
            self._build(y_pred.shape[-1] if len(y_pred.shape) > 1 else 1)
        if self._from_logits:
            y_pred = ops.sigmoid(ops.cast(y_pred, self.dtype))
        label_weights = None if self.multi_label else self.label_weights
        sample_weight = masked_sample_weight(y_pred, sample_weight, self.dtype)
        if self.exact:
            decisions = weighted_decisions(y_true, y_pred, sample_weight, multi_label=self.multi_label,
                                           label_weights=label_weights, dtype=self.dtype)
            for buffer, part in zip(self._buffers, decisions):
                buffer.append(ops.stop_gradient(part))
            return
        tp, fp, tn, fn = self._counts(y_true, y_pred, sample_weight, multi_label=self.multi_label,
                                      label_weights=label_weights)
        self.true_positives.assign_add(tp)
        self.false_positives.assign_add(fp)
        self.true_negatives.assign_add(tn)
        self.false_negatives.assign_add(fn)

    def reset_state(self) -> None:
        super().reset_state()
        for buffer in self._buffers:
            buffer.clear()

    # -- result ---------------------------------------------------------------------------------
    def result(self):
        if self.exact:
            per_label = self._exact_result()
        elif self.curve == "PR" and self.summation_method == "interpolation":
            per_label = self._interpolated_pr_area()
        else:
            per_label = self._riemann_area()
        if not self.multi_label:
            return per_label
        if self.label_weights is None:
            return ops.mean(per_label)
        return ops.divide_no_nan(ops.sum(per_label * self.label_weights), ops.sum(self.label_weights))

    def _riemann_area(self):
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        recall = ops.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = ops.divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, ops.divide_no_nan(tp, tp + fp)
        else:
            x, y = _gains(tp, fp, tn, fn)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = ops.minimum(y[:-1], y[1:])
        else:
            heights = ops.maximum(y[:-1], y[1:])
        return ops.sum((x[:-1] - x[1:]) * heights, axis=0)

    def _interpolated_pr_area(self):
        """Davis & Goadrich (2006): precision interpolated along tp between adjacent thresholds."""
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        d_tp = tp[:-1] - tp[1:]
        predicted = tp + fp
        d_predicted = predicted[:-1] - predicted[1:]
        slope = ops.divide_no_nan(d_tp, ops.maximum(d_predicted, 0.0))
        intercept = tp[1:] - slope * predicted[1:]
        both_positive = ops.logical_and(predicted[:-1] > 0, predicted[1:] > 0)
        ratio = ops.where(both_positive, ops.divide_no_nan(predicted[:-1], ops.maximum(predicted[1:], 0.0)), 1.0)
        increments = ops.divide_no_nan(slope * (d_tp + intercept * ops.log(ratio)),
                                       ops.maximum(tp[1:] + fn[1:], 0.0))
        return ops.sum(increments, axis=0)

    def _exact_result(self):
        if not self._buffers[0]:
            return ops.zeros((), dtype=self.dtype)
        scores, positives, negatives = (ops.concatenate(buffer, axis=0) for buffer in self._buffers)
        for buffer, whole in zip(self._buffers, (scores, positives, negatives)):
            buffer[:] = [whole]  # concatenate once, not at every result()
        area = exact_roc_auc if self.curve == "ROC" else exact_average_precision
        if not self.multi_label:
            return area(scores, positives, negatives)
        return ops.stack([area(scores[:, i], positives[:, i], negatives[:, i]) for i in range(scores.shape[1])])

    def get_config(self) -> dict:
        config = {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels, "label_weights": self._label_weights_list,
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        if self.exact:  # only when set, so configs stay loadable by Keras
            config["exact"] = True
        return config


def _gains(tp, fp, tn, fn) -> tuple:
    """Recall gain and precision gain at each threshold (Keras' handling of the degenerate cases)."""
    positives_per_negative = ops.divide_no_nan(tp + fn, tn + fp)
    no_hit = ops.equal(tp, 0.0)
    recall_gain = ops.where(no_hit, 0.0, 1.0 - positives_per_negative * ops.divide_no_nan(fn, tp))
    precision_gain = ops.where(no_hit, 1.0, 1.0 - positives_per_negative * ops.divide_no_nan(fp, tp))
    return ops.maximum(recall_gain, 0.0), precision_gain


def _sorted_with_tie_bounds(scores, *weights):
    """Scores sorted ascending, ``weights`` in the same order as cumulative sums with a leading 0, and
    for each position the start and end of its run of tied scores."""
    order = ops.argsort(scores)
    ordered = ops.take(scores, order)
    cumulative = [ops.concatenate([ops.zeros((1,), dtype=w.dtype), ops.cumsum(ops.take(w, order))]) for w in weights]
    start = ops.searchsorted(ordered, ordered, side="left")
    end = ops.searchsorted(ordered, ordered, side="right")
    return order, cumulative, start, end


def exact_roc_auc(scores, positives, negatives):
    """Weighted Mann-Whitney AUC of 1-D ``scores``; ``positives``/``negatives`` are each decision's weight
    as a positive or a negative. Ties between a positive and a negative count one half."""
    order, (cum_negative,), start, end = _sorted_with_tie_bounds(scores, negatives)
    negatives_below = (ops.take(cum_negative, start) + ops.take(cum_negative, end)) / 2.0
    wins = ops.sum(ops.take(positives, order) * negatives_below)
    return ops.divide_no_nan(wins, ops.sum(positives) * ops.sum(negatives))


def exact_average_precision(scores, positives, negatives):
    """Average precision (scikit-learn's definition) of 1-D ``scores`` with weighted decisions."""
    order, (cum_positive, cum_negative), start, _ = _sorted_with_tie_bounds(scores, positives, negatives)
    total_positive, total_negative = cum_positive[-1], cum_negative[-1]
    tp_at_or_above = total_positive - ops.take(cum_positive, start)
    fp_at_or_above = total_negative - ops.take(cum_negative, start)
    precision = ops.divide_no_nan(tp_at_or_above, tp_at_or_above + fp_at_or_above)
    return ops.divide_no_nan(ops.sum(ops.take(positives, order) * precision), total_positive)
