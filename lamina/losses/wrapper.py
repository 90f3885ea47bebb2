"""``LossFunctionWrapper``: a ``Loss`` around a plain loss function, and the helpers loss functions share."""

from __future__ import annotations

import warnings
from collections.abc import Callable

from lamina import ops, serialization
from lamina.losses.loss import Loss, squeeze_or_expand_to_same_rank


def averages(term: Callable):
    """Mark a loss function as the mean over ``axis`` (default -1) of the elementwise ``term``.

    ``term`` takes the function's arguments except ``axis``. A ``LossFunctionWrapper`` around a marked
    function applies sample weights of ``y_pred``'s full rank to ``term`` before that mean.
    """

    def mark(fn):
        fn.elementwise_term = term
        return fn

    return mark


def pair(y_true, y_pred) -> tuple:
    """``(y_true, y_pred)`` as tensors, ``y_true`` in ``y_pred``'s dtype, ranks aligned as Keras does."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def cast_like(y_true, y_pred) -> tuple:
    """``(y_true, y_pred)`` as tensors, ``y_true`` in ``y_pred``'s dtype (shapes untouched)."""
    y_pred = ops.convert_to_tensor(y_pred)
    return ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred)), y_pred


def logits_of(y_pred, from_logits: bool, activation: str, loss_name: str, axis: int = -1) -> tuple:
    """``(output, from_logits)``: the logits behind ``y_pred`` when ``activation`` produced it, else ``y_pred``.

    An activation leaves ``_keras_logits`` (its input) and ``_keras_logits_kind`` (``"sigmoid"``, or
    ``"softmax"`` over the last axis) on its output. Cross-entropy from those logits is exact where
    probabilities near 0 or 1 would be clipped. Logits of another activation (a softmax output fed to a
    binary cross-entropy) are not used: they would change the loss, not just its precision.
    """
    logits = getattr(y_pred, "_keras_logits", None)
    if logits is None or getattr(y_pred, "_keras_logits_kind", None) != activation:
        return y_pred, from_logits
    if activation == "softmax" and axis not in (-1, len(y_pred.shape) - 1):
        return y_pred, from_logits
    if from_logits:
        warnings.warn(
            f"`{loss_name}` received `from_logits=True`, but `y_pred` was produced by a {activation} activation "
            "and thus does not hold logits; the logits behind that activation are used.",
            stacklevel=3,
        )
    return ops.convert_to_tensor(logits, dtype=ops.dtype(y_pred)), True


def check_same_shape(y_true, y_pred, loss_name: str) -> None:
    """Raise unless the known dimensions of ``y_true`` and ``y_pred`` agree (broadcasting would be silent)."""
    t, p = tuple(y_true.shape), tuple(y_pred.shape)
    if len(t) != len(p) or any(a is not None and b is not None and a != b for a, b in zip(t, p)):
        raise ValueError(
            f"`{loss_name}`: `y_true` and `y_pred` must have the same shape. "
            f"Received: y_true.shape={t}, y_pred.shape={p}"
        )


def check_label_smoothing(label_smoothing, loss_name: str) -> None:
    if not 0.0 <= float(label_smoothing) <= 1.0:
        raise ValueError(
            f"`{loss_name}`: invalid value for argument `label_smoothing`. Expected a float between 0 and 1. "
            f"Received: label_smoothing={label_smoothing}"
        )


def check_axis(axis, loss_name: str) -> None:
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"`{loss_name}`: `axis` must be of type `int`. Received: axis={axis!r} of type {type(axis)}")


class LossFunctionWrapper(Loss):
    """A ``Loss`` computing ``fn(y_true, y_pred, **kwargs)``: how plain loss functions join compile/fit.

    Args:
        fn: the loss function, returning per-sample losses.
        reduction, name, dtype: as for ``Loss``.
        **kwargs: keyword arguments passed to ``fn`` on every call.
    """

    def __init__(self, fn: Callable, reduction: str | None = "sum_over_batch_size", name: str | None = None,
                 dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def _elementwise_weighted(self, y_true, y_pred, sample_weight):
        term = getattr(self.fn, "elementwise_term", None)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if term is None or not y_pred.shape or len(sample_weight.shape) != len(y_pred.shape):
            return None
        kwargs = dict(self._fn_kwargs)
        axis = kwargs.pop("axis", -1)
        terms = term(y_true, y_pred, **kwargs)
        weights = sample_weight * ops.ones_like(terms)
        return ops.mean(terms * weights, axis=axis), ops.mean(weights, axis=axis)

    def get_config(self) -> dict:
        config = super().get_config()
        config["fn"] = serialization.serialize(self.fn)
        config.update(serialization.serialize(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config: dict):
        from lamina.losses import deserialize  # the package's name table (it imports this module)

        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__}({getattr(self.fn, '__name__', self.fn)}, kwargs={self._fn_kwargs})>"
