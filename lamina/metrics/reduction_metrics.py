"""Reduction metrics: the running (weighted) Mean and Sum of values, and Mean over a per-sample function."""

from __future__ import annotations

from collections.abc import Callable

from lamina import ops, serialization
from lamina.metrics.metric import Metric
from lamina.metrics.metrics_utils import masked_sample_weight, squeeze_or_expand_to_same_rank


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Per-sample values (reduced over every axis after the first) multiplied by their weights.

    Weights of lower rank than the values first reduce the values down to the weights' rank, so that
    per-timestep weights weigh per-timestep values. Returns ``(values, per_sample_weight)``.
    """
    values = ops.cast(values, dtype)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_rank = sample_weight.ndim
        if values.ndim > weight_rank:
            values = reduce_fn(values, axis=tuple(range(weight_rank, values.ndim)))
        sample_weight = ops.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_rank > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_rank)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The running (weighted) sum of the values seen.

    Example:
        >>> m = Sum()
        >>> m.update_state([1.0, 3.0, 5.0, 7.0])
        >>> float(m.result())
        16.0
    """

    def __init__(self, name: str = "sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", name="total")

    def update_state(self, values, sample_weight=None) -> None:
        sample_weight = masked_sample_weight(values, sample_weight, self.dtype)
        values, _ = reduce_to_samplewise_values(values, sample_weight, ops.sum, self.dtype)
        self.total.assign_add(ops.sum(values))

    def result(self):
        return ops.convert_to_tensor(self.total)


class Mean(Metric):
    """The running (weighted) mean of the values seen: sum of weighted values / sum of weights.

    Example:
        >>> m = Mean()
        >>> m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    def __init__(self, name: str = "mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", name="total")
        self.count = self.add_variable((), "zeros", name="count")

    def update_state(self, values, sample_weight=None) -> None:
        self._accumulate(values, masked_sample_weight(values, sample_weight, self.dtype))

    def _accumulate(self, values, sample_weight) -> None:
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, ops.mean, self.dtype)
        self.total.assign_add(ops.sum(values))
        if sample_weight is not None:
            count = ops.sum(sample_weight)
        else:
            count = values.shape[0] if values.ndim else 1
        self.count.assign_add(count)

    def result(self):
        return ops.divide_no_nan(self.total, self.count)


class MeanMetricWrapper(Mean):
    """The running mean of ``fn(y_true, y_pred, **kwargs)``, a function returning per-sample values.

    A mask attached to ``y_pred``, or to the values ``fn`` returns, multiplies into the sample weights.

    Args:
        fn: a metric function ``fn(y_true, y_pred, **kwargs)``.
        name: the metric's name.
        dtype: the dtype of the state and result.
        **kwargs: keyword arguments passed to ``fn``.

    Example:
        >>> m = MeanMetricWrapper(lambda t, p: ops.abs(t - p), name="mae")
    """

    def __init__(self, fn: Callable, name: str | None = None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None) or "mean_metric_wrapper", dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def __getattr__(self, name: str):
        """``fn``'s keyword arguments read as attributes, as Keras exposes them (``TopKCategoricalAccuracy(3).k``,
        ``BinaryAccuracy().threshold``, ``SparseCategoricalCrossentropy().ignore_class``)."""
        kwargs = self.__dict__.get("_fn_kwargs", {})
        if name in kwargs:
            return kwargs[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        sample_weight = masked_sample_weight(y_pred, sample_weight, self.dtype)
        values = self._fn(*self._prepare(y_true, y_pred), **self._fn_kwargs)
        # ``fn`` may mask its own values (a loss's ``ignore_class``): those count with weight 0.
        self._accumulate(values, masked_sample_weight(values, sample_weight, self.dtype))

    @staticmethod
    def _prepare(y_true, y_pred) -> tuple:
        """The inputs as ``fn`` receives them: unchanged here; subclasses may cast or align them."""
        return y_true, y_pred

    def get_config(self) -> dict:
        config = {**super().get_config(), **self._fn_kwargs}
        if type(self) is MeanMetricWrapper:
            config["fn"] = serialization.serialize(self._fn)
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if "fn" in config:
            from lamina.metrics import FUNCTIONS  # the package's name table (it imports this module)

            config["fn"] = serialization.deserialize(config["fn"], module_objects=FUNCTIONS, kind="metric function")
        return cls(**config)
