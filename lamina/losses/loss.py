"""The ``Loss`` base class and the reduction of per-sample losses to the value a model minimizes.

Keras 3 semantics: ``__call__`` converts both inputs to the loss dtype, asks ``call`` for per-sample losses,
multiplies in sample weights and any mask attached to ``y_pred`` (or to the losses), then reduces:

- ``"sum_over_batch_size"`` / ``"mean"``: sum of weighted losses / number of loss values; masked-out
  entries are left out of the count.
- ``"mean_with_sample_weight"``: sum of weighted losses / sum of the weights.
- ``"sum"``: the sum. ``"none"`` / ``None``: the weighted losses themselves.

lamina adds one rule: a ``sample_weight`` with the full rank of ``y_pred`` is applied elementwise, before the
mean over the last axis, by losses that are such a mean (see ``Loss._elementwise_weighted``).
"""

from __future__ import annotations

import math

from lamina import config, dtype_policies, ops
from lamina.backend.common.masking import get_mask
from lamina.backend.common.naming import to_snake_case, uniquify

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction):
    """``reduction`` checked against the names Keras accepts."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {REDUCTIONS}. Received: reduction={reduction!r}"
        )
    return reduction


class Loss:
    """Base class of losses: subclasses implement ``call(y_true, y_pred)`` returning per-sample losses.

    Args:
        name: the loss name (default: the class name in snake_case, made unique).
        reduction: ``"sum_over_batch_size"`` (default), ``"sum"``, ``"mean"``, ``"mean_with_sample_weight"``,
            ``"none"`` or ``None``.
        dtype: the computation dtype or a ``DTypePolicy`` (its compute dtype is used); default floatx.

    Example:

    ```python
    class MeanFourthPower(lamina.losses.Loss):
        def call(self, y_true, y_pred):
            return lamina.ops.mean((y_pred - y_true) ** 4, axis=-1)
    ```
    """

    def __init__(self, name: str | None = None, reduction: str | None = "sum_over_batch_size", dtype=None):
        self.name = name or uniquify(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype_policy = dtype_policies.get(dtype or config.floatx())
        self._dtype = self._dtype_policy.compute_dtype

    @property
    def dtype(self) -> str:
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        """The reduced loss (a scalar; the weighted per-sample losses for reduction ``"none"``)."""
        in_mask = get_mask(y_pred)
        y_pred = as_dtype(y_pred, self.dtype)
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        weighted = None
        if sample_weight is not None:
            sample_weight = ops.convert_to_tensor(sample_weight, dtype=self.dtype)
            weighted = self._elementwise_weighted(y_true, y_pred, sample_weight)
        if weighted is None:
            losses, applied_weight = self.call(y_true, y_pred), None
        else:  # the weights are inside the losses now
            (losses, applied_weight), sample_weight = weighted, None
        mask = _combine_masks(in_mask, get_mask(losses))
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction, self.dtype, applied_weight)

    def call(self, y_true, y_pred):
        """Per-sample losses of ``y_pred`` against ``y_true``."""
        raise NotImplementedError(f"{type(self).__name__} must implement `call(y_true, y_pred)`.")

    def _elementwise_weighted(self, y_true, y_pred, sample_weight):
        """``(losses, per-sample weight)`` for weights applied elementwise, or None when they are not.

        Losses that average an elementwise term over an axis override this: weights of ``y_pred``'s full
        rank then multiply the term before that mean (right for multi-label class weights).
        """
        return None

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"


def as_dtype(x, dtype: str):
    """``x`` as a tensor of ``dtype``, keeping the logits an activation attached to it (``_keras_logits``)."""
    converted = ops.convert_to_tensor(x, dtype=dtype)
    logits = getattr(x, "_keras_logits", None)
    if logits is not None and converted is not x:
        try:
            converted._keras_logits = ops.convert_to_tensor(logits, dtype=dtype)
            converted._keras_logits_kind = getattr(x, "_keras_logits_kind", None)
        except AttributeError:  # a type without instance attributes
            pass
    return converted


def _combine_masks(first, second):
    if first is None or second is None:
        return first if second is None else second
    return ops.logical_and(ops.cast(first, "bool"), ops.cast(second, "bool"))


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1: bool = True):
    """Make ranks that differ by one equal when the longer one ends in a dimension of 1 (as Keras does).

    The longer one is squeezed, except that a rank-1 shorter one is expanded when ``expand_rank_1``.
    """
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            return x1, ops.expand_dims(x2, -1)
        return ops.squeeze(x1, -1), x2
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            return ops.expand_dims(x1, -1), x2
        return x1, ops.squeeze(x2, -1)
    return x1, x2


def _align_weight(values, weight):
    """``weight`` shaped to multiply ``values``: squeezed/expanded as Keras does, then given trailing axes."""
    values, weight = squeeze_or_expand_to_same_rank(values, weight)
    rank, weight_rank = len(values.shape), len(weight.shape)
    if weight_rank > rank > 0:  # (a scalar loss is scaled by each weight, as in Keras)
        raise ValueError(
            f"`sample_weight` of shape {tuple(weight.shape)} cannot weight losses of shape {tuple(values.shape)}: "
            "it must have at most the losses' rank (per-sample weights), or the full rank of `y_pred` for losses "
            "that average an elementwise term."
        )
    if weight_rank and weight_rank < rank:  # a weight per sample, shared by its timesteps/positions
        weight = ops.reshape(weight, tuple(weight.shape) + (1,) * (rank - weight_rank))
    return values, weight


def _num_elements(x):
    shape = tuple(x.shape)
    if None not in shape:
        return math.prod(shape)
    return ops.cast(ops.size(x), x.dtype)


def _mask_weight(mask, dtype: str, reduction):
    """The mask as weights; for the mean reductions, scaled so the mean runs over the unmasked entries only."""
    mask = ops.cast(mask, dtype)
    if reduction in ("sum_over_batch_size", "mean"):
        mask = mask * ops.divide_no_nan(ops.cast(_num_elements(mask), dtype), ops.sum(mask))
    return mask


def reduce_values(values, weight=None, reduction="sum_over_batch_size"):
    """Reduce already weighted losses; ``weight`` is the divisor's source for ``"mean_with_sample_weight"``."""
    if reduction in (None, "none") or tuple(values.shape) in ((), (0,)):
        return values
    loss = ops.sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and weight is not None:
        return ops.divide_no_nan(loss, ops.cast(ops.sum(weight), loss.dtype))
    count = _num_elements(values)
    if isinstance(count, int):
        return loss / count if count else loss
    return ops.divide_no_nan(loss, count)


def reduce_weighted_values(values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None,
                           applied_weight=None):
    """Weight ``values`` by ``sample_weight`` and ``mask``, then reduce them.

    ``applied_weight``: per-sample weights already multiplied into ``values`` (elementwise weights); they only
    enter the divisor of ``"mean_with_sample_weight"``.
    """
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype=dtype)
    weight = None if sample_weight is None else ops.cast(sample_weight, values.dtype)
    if mask is not None:
        mask = _mask_weight(mask, values.dtype, reduction)
        if weight is not None:
            mask, weight = _align_weight(mask, weight)
        weight = mask if weight is None else weight * mask
    if weight is not None:
        values, weight = _align_weight(values, weight)
        values = values * weight
    if applied_weight is not None:
        weight = applied_weight if weight is None else _align_weight(values, applied_weight)[1] * weight
    return reduce_values(values, weight, reduction)
