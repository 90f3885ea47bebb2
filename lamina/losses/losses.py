"""The built-in ``Loss`` classes: Keras 3 names, arguments, defaults and configs, each a thin shell over its
loss function (``lamina.losses.mean_squared_error`` and so on).

Every class takes ``reduction`` (default ``"sum_over_batch_size"``), ``name`` (default: the function's name)
and ``dtype`` besides its own arguments, listed in its docstring.
"""

from __future__ import annotations

from collections.abc import Callable

from lamina.losses import metric_learning, probabilistic, regression, segmentation, sequence
from lamina.losses.hinge import categorical_hinge, hinge, squared_hinge
from lamina.losses.loss import Loss
from lamina.losses.wrapper import LossFunctionWrapper, check_axis, check_label_smoothing

_SUM_OVER_BATCH = "sum_over_batch_size"


class _FunctionLoss(LossFunctionWrapper):
    """A built-in loss: its constructor arguments are the function's keyword arguments, kept as attributes
    (``loss.from_logits``) and saved in the config next to ``name`` and ``reduction``."""

    def __init__(self, fn: Callable, reduction, name, dtype, **fn_kwargs):
        super().__init__(fn, reduction=reduction, name=name, dtype=dtype, **fn_kwargs)
        for key, value in fn_kwargs.items():
            setattr(self, key, value)

    def get_config(self) -> dict:
        return {**Loss.get_config(self), **self._fn_kwargs}


def _check_crossentropy(label_smoothing, axis, name: str) -> None:
    check_label_smoothing(label_smoothing, name)
    check_axis(axis, name)


# -- regression -----------------------------------------------------------------------------------
class MeanSquaredError(_FunctionLoss):
    """Mean of squared errors over the last axis: ``mean(square(y_true - y_pred))``."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="mean_squared_error", dtype=None):
        super().__init__(regression.mean_squared_error, reduction, name, dtype)


class MeanAbsoluteError(_FunctionLoss):
    """Mean of absolute errors over the last axis: ``mean(abs(y_true - y_pred))``."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="mean_absolute_error", dtype=None):
        super().__init__(regression.mean_absolute_error, reduction, name, dtype)


class MeanAbsolutePercentageError(_FunctionLoss):
    """``100 * mean(abs((y_true - y_pred) / y_true))`` over the last axis."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(regression.mean_absolute_percentage_error, reduction, name, dtype)


class MeanSquaredLogarithmicError(_FunctionLoss):
    """``mean(square(log(y_true + 1) - log(y_pred + 1)))`` over the last axis."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(regression.mean_squared_logarithmic_error, reduction, name, dtype)


class CosineSimilarity(_FunctionLoss):
    """Negative cosine similarity along ``axis`` (default -1): -1 means the vectors point the same way."""

    def __init__(self, axis=-1, reduction=_SUM_OVER_BATCH, name="cosine_similarity", dtype=None):
        super().__init__(regression.cosine_similarity, reduction, name, dtype, axis=axis)


class Huber(_FunctionLoss):
    """Huber loss: quadratic for errors up to ``delta`` (default 1.0), linear beyond."""

    def __init__(self, delta=1.0, reduction=_SUM_OVER_BATCH, name="huber_loss", dtype=None):
        super().__init__(regression.huber, reduction, name, dtype, delta=delta)


class LogCosh(_FunctionLoss):
    """Mean over the last axis of ``log(cosh(y_pred - y_true))``."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="log_cosh", dtype=None):
        super().__init__(regression.log_cosh, reduction, name, dtype)


# -- hinge ----------------------------------------------------------------------------------------
class Hinge(_FunctionLoss):
    """``mean(maximum(1 - y_true * y_pred, 0))``; labels -1/1 (0/1 labels are converted)."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="hinge", dtype=None):
        super().__init__(hinge, reduction, name, dtype)


class SquaredHinge(_FunctionLoss):
    """``mean(square(maximum(1 - y_true * y_pred, 0)))``; labels -1/1 (0/1 labels are converted)."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction, name, dtype)


class CategoricalHinge(_FunctionLoss):
    """``maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`` for one-hot labels."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction, name, dtype)


# -- probabilistic --------------------------------------------------------------------------------
class KLDivergence(_FunctionLoss):
    """Kullback-Leibler divergence ``sum(y_true * log(y_true / y_pred))`` over the last axis."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="kl_divergence", dtype=None):
        super().__init__(probabilistic.kl_divergence, reduction, name, dtype)


class Poisson(_FunctionLoss):
    """Poisson loss ``mean(y_pred - y_true * log(y_pred))`` over the last axis."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="poisson", dtype=None):
        super().__init__(probabilistic.poisson, reduction, name, dtype)


class BinaryCrossentropy(_FunctionLoss):
    """Binary cross-entropy for 0/1 labels, averaged over ``axis``.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; squeezes the labels towards 0.5.
        axis: the axis averaged over (default -1).
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction=_SUM_OVER_BATCH,
                 name="binary_crossentropy", dtype=None):
        _check_crossentropy(label_smoothing, axis, type(self).__name__)
        super().__init__(probabilistic.binary_crossentropy, reduction, name, dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class BinaryFocalCrossentropy(_FunctionLoss):
    """Focal binary cross-entropy: terms scaled by ``(1 - p_t) ** gamma`` to focus on hard examples.

    Args:
        apply_class_balancing: also weight class 1 by ``alpha`` and class 0 by ``1 - alpha``.
        alpha: the class-1 weight (default 0.25). gamma: the focusing exponent (default 2.0).
        from_logits, label_smoothing, axis: as for ``BinaryCrossentropy``.
    """

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 axis=-1, reduction=_SUM_OVER_BATCH, name="binary_focal_crossentropy", dtype=None):
        _check_crossentropy(label_smoothing, axis, type(self).__name__)
        super().__init__(probabilistic.binary_focal_crossentropy, reduction, name, dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(_FunctionLoss):
    """Cross-entropy of one-hot (or soft) labels along ``axis``.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; moves ``label_smoothing / num_classes`` of mass onto every class.
        axis: the class axis (default -1).
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction=_SUM_OVER_BATCH,
                 name="categorical_crossentropy", dtype=None):
        _check_crossentropy(label_smoothing, axis, type(self).__name__)
        super().__init__(probabilistic.categorical_crossentropy, reduction, name, dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class CategoricalFocalCrossentropy(_FunctionLoss):
    """Alpha-balanced focal cross-entropy for one-hot labels.

    Args:
        alpha: a weight for all classes (default 0.25) or a list with one per class.
        gamma: the focusing exponent (default 2.0).
        from_logits, label_smoothing, axis: as for ``CategoricalCrossentropy``.
    """

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction=_SUM_OVER_BATCH, name="categorical_focal_crossentropy", dtype=None):
        _check_crossentropy(label_smoothing, axis, type(self).__name__)
        super().__init__(probabilistic.categorical_focal_crossentropy, reduction, name, dtype, alpha=alpha,
                         gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(_FunctionLoss):
    """Cross-entropy of integer class labels.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        ignore_class: a label to leave out of the loss (e.g. a "void" class such as -1 or 255), or None.
        axis: the class axis of ``y_pred`` (default -1).
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction=_SUM_OVER_BATCH, axis=-1,
                 name="sparse_categorical_crossentropy", dtype=None):
        check_axis(axis, type(self).__name__)
        if ignore_class is not None and (isinstance(ignore_class, bool) or not isinstance(ignore_class, int)):
            raise ValueError(f"`{type(self).__name__}`: `ignore_class` must be an integer or None. "
                             f"Received: ignore_class={ignore_class!r}")
        super().__init__(probabilistic.sparse_categorical_crossentropy, reduction, name, dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)


class CategoricalGeneralizedCrossEntropy(_FunctionLoss):
    """Generalized cross-entropy ``(1 - p ** q) / q`` of integer labels: robust to noisy labels.

    Args:
        q: in (0, 1) (default 0.5); near 0 it behaves like cross-entropy, near 1 like mean absolute error.
    """

    def __init__(self, q=0.5, reduction=_SUM_OVER_BATCH, name="categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError(f"`{type(self).__name__}`: invalid value for argument `q`. Expected a float in the "
                             f"interval (0, 1). Received: q={q}")
        super().__init__(probabilistic.categorical_generalized_cross_entropy, reduction, name, dtype, q=q)


# -- segmentation, metric learning, sequences -----------------------------------------------------
class Dice(_FunctionLoss):
    """Dice loss ``1 - 2 |y_true * y_pred| / (|y_true| + |y_pred|)``, summed over ``axis`` (None: everything)."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="dice", axis=None, dtype=None):
        super().__init__(segmentation.dice, reduction, name, dtype, axis=axis)


class Tversky(_FunctionLoss):
    """Tversky loss: Dice with false positives weighted by ``alpha`` and false negatives by ``beta`` (0.5 each)."""

    def __init__(self, alpha=0.5, beta=0.5, reduction=_SUM_OVER_BATCH, name="tversky", axis=None, dtype=None):
        super().__init__(segmentation.tversky, reduction, name, dtype, alpha=alpha, beta=beta, axis=axis)


class Circle(_FunctionLoss):
    """Circle loss between integer labels and L2-normalized embeddings (metric learning).

    Args:
        gamma: the scale of the similarity scores (default 80.0).
        margin: the relaxation margin (default 0.4).
        remove_diagonal: leave each sample's similarity to itself out of the positive pairs (default True).
    """

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True, reduction=_SUM_OVER_BATCH, name="circle",
                 dtype=None):
        super().__init__(metric_learning.circle, reduction, name, dtype, gamma=gamma, margin=margin,
                         remove_diagonal=remove_diagonal)


class CTC(_FunctionLoss):
    """Connectionist temporal classification loss of logits (batch, time, classes) and padded labels (0 = blank)."""

    def __init__(self, reduction=_SUM_OVER_BATCH, name="ctc", dtype=None):
        super().__init__(sequence.ctc, reduction, name, dtype)
