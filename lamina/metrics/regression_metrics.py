"""Regression metrics: running means of the regression losses, RMSE, cosine similarity, correlations and R2.

The error functions are those of ``lamina.losses``; cosine similarity and the correlations (higher is
better) are defined here.
"""

from __future__ import annotations

from lamina import backend, losses, ops
from lamina.metrics.loss_metrics import _LossMean
from lamina.metrics.metric import Metric
from lamina.metrics.metrics_utils import float_pair, masked_sample_weight, squeeze_or_expand_to_same_rank
from lamina.metrics.reduction_metrics import Mean, MeanMetricWrapper


def cosine_similarity(y_true, y_pred, axis: int = -1):
    """The cosine of the angle between ``y_true`` and ``y_pred`` along ``axis`` (1 = same direction)."""
    return -losses.cosine_similarity(*float_pair(y_true, y_pred), axis=axis)


def _centered(x, axis: int):
    return x - ops.mean(x, axis=axis, keepdims=True)


def pearson_correlation(y_true, y_pred, axis: int = -1):
    """Pearson's correlation coefficient between ``y_true`` and ``y_pred`` along ``axis``."""
    y_true, y_pred = float_pair(y_true, y_pred)
    covariance = ops.mean(_centered(y_true, axis) * _centered(y_pred, axis), axis=axis)
    return covariance / (ops.std(y_true, axis=axis) * ops.std(y_pred, axis=axis) + backend.epsilon())


def concordance_correlation(y_true, y_pred, axis: int = -1):
    """Lin's concordance correlation: 2 cov / (var_true + var_pred + (mean_true - mean_pred)^2) along ``axis``."""
    y_true, y_pred = float_pair(y_true, y_pred)
    covariance = ops.mean(_centered(y_true, axis) * _centered(y_pred, axis), axis=axis)
    mean_gap = ops.mean(y_true, axis=axis) - ops.mean(y_pred, axis=axis)
    norm = ops.var(y_true, axis=axis) + ops.var(y_pred, axis=axis) + ops.square(mean_gap)
    return 2.0 * covariance / (norm + backend.epsilon())


class MeanSquaredError(_LossMean):
    """Mean of ``(y_true - y_pred)^2``."""

    def __init__(self, name: str = "mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(_LossMean):
    """Mean of ``|y_true - y_pred|``."""

    def __init__(self, name: str = "mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(_LossMean):
    """Mean of ``100 * |y_true - y_pred| / |y_true|``."""

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(_LossMean):
    """Mean of ``(log(1 + y_pred) - log(1 + y_true))^2``."""

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name=name, dtype=dtype)


class LogCoshError(_LossMean):
    """Mean of ``log(cosh(y_pred - y_true))``."""

    def __init__(self, name: str = "logcosh", dtype=None):
        super().__init__(losses.log_cosh, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """Mean cosine similarity between labels and predictions along ``axis``."""

    _direction = "up"

    def __init__(self, name: str = "cosine_similarity", dtype=None, axis: int = -1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """Mean over samples of Pearson's correlation between ``y_true`` and ``y_pred`` along ``axis``."""

    _direction = "up"

    def __init__(self, name: str = "pearson_correlation", dtype=None, axis: int = -1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)


class ConcordanceCorrelation(MeanMetricWrapper):
    """Mean over samples of Lin's concordance correlation between ``y_true`` and ``y_pred`` along ``axis``."""

    _direction = "up"

    def __init__(self, name: str = "concordance_correlation", dtype=None, axis: int = -1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """``sqrt`` of the running (weighted) mean of squared errors over all elements."""

    _direction = "down"

    def __init__(self, name: str = "root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        sample_weight = masked_sample_weight(y_pred, sample_weight, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(ops.cast(y_true, self.dtype), ops.cast(y_pred, self.dtype))
        self._accumulate(ops.square(y_true - y_pred), sample_weight)

    def result(self):
        return ops.sqrt(super().result())


_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """Coefficient of determination ``1 - SS_res / SS_tot`` per output column, aggregated.

    Inputs are ``(batch, outputs)``. ``num_regressors > 0`` gives the adjusted R2
    ``1 - (1 - R2) (n - 1) / (n - p - 1)`` where, as in Keras, ``n`` counts every element seen; when
    ``n - p - 1 <= 0`` the plain R2 is returned.

    Args:
        class_aggregation: "uniform_average" (mean over outputs), "variance_weighted_average" (weighted by
            each output's total variance) or None (one score per output).
        num_regressors: the number of independent variables, for the adjusted R2.
    """

    _direction = "up"

    def __init__(self, class_aggregation: str | None = "uniform_average", num_regressors: int = 0,
                 name: str = "r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(f"Invalid value for argument `class_aggregation`. Expected one of {_AGGREGATIONS}. "
                             f"Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a value >= 0. "
                             f"Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), "zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                             f"shapes: y_pred.shape={tuple(y_pred_shape)} and y_true.shape={tuple(y_true_shape)}.")
        outputs = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(outputs, "zeros", name="squared_sum")
        self.sum = self.add_variable(outputs, "zeros", name="sum")
        self.total_mse = self.add_variable(outputs, "zeros", name="residual")
        self.count = self.add_variable(outputs, "zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = squeeze_or_expand_to_same_rank(ops.cast(y_true, self.dtype), ops.cast(y_pred, self.dtype))
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        weight = ops.cast(1.0 if sample_weight is None else sample_weight, self.dtype)
        if weight.ndim == 1:
            weight = ops.expand_dims(weight, 1)
        weight = ops.broadcast_to(weight, y_true.shape)
        weighted_true = y_true * weight
        self.sum.assign_add(ops.sum(weighted_true, axis=0))
        self.squared_sum.assign_add(ops.sum(y_true * weighted_true, axis=0))
        self.total_mse.assign_add(ops.sum(ops.square(y_true - y_pred) * weight, axis=0))
        self.count.assign_add(ops.sum(weight, axis=0))
        self.num_samples.assign_add(ops.size(y_true))

    def result(self):
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        scores = 1.0 - self.total_mse / total
        scores = ops.where(ops.isinf(scores), 0.0, scores)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(scores)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.sum(total * scores) / ops.sum(total)
        else:
            score = scores
        if not self.num_regressors:
            return score
        n, p = self.num_samples, float(self.num_regressors)
        dof = n - p - 1.0
        adjusted = 1.0 - (1.0 - score) * (n - 1.0) / ops.where(dof > 0, dof, 1.0)
        return ops.where(dof > 0, adjusted, score)

    def get_config(self) -> dict:
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
