"""Probabilistic loss functions: cross-entropies (plain and focal), KL divergence, Poisson.

Keras 3 names, defaults and math. Probabilities are clipped to ``[epsilon, 1 - epsilon]``; when ``y_pred``
carries the logits of the sigmoid/softmax that produced it, the cross-entropies use them instead (exact).
"""

from __future__ import annotations

import warnings

from lamina import config, ops
from lamina.backend.common.masking import set_mask
from lamina.losses.wrapper import averages, cast_like, check_axis, check_label_smoothing, check_same_shape, logits_of


def _smooth_binary(y_true, label_smoothing):
    """Labels squeezed towards 0.5: ``y * (1 - s) + 0.5 * s``."""
    return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing if label_smoothing else y_true


def _binary_crossentropy_terms(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    check_label_smoothing(label_smoothing, "binary_crossentropy")
    y_true, y_pred = cast_like(y_true, y_pred)
    check_same_shape(y_true, y_pred, "binary_crossentropy")
    output, from_logits = logits_of(y_pred, from_logits, "sigmoid", "binary_crossentropy")
    return ops.binary_crossentropy(_smooth_binary(y_true, label_smoothing), output, from_logits=from_logits)


def _binary_focal_terms(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                        label_smoothing=0.0):
    check_label_smoothing(label_smoothing, "binary_focal_crossentropy")
    y_true, y_pred = cast_like(y_true, y_pred)
    check_same_shape(y_true, y_pred, "binary_focal_crossentropy")
    y_true = _smooth_binary(y_true, label_smoothing)
    output, from_logits = logits_of(y_pred, from_logits, "sigmoid", "binary_focal_crossentropy")
    bce = ops.binary_crossentropy(y_true, output, from_logits=from_logits)
    probability = ops.sigmoid(output) if from_logits else output
    p_t = y_true * probability + (1.0 - y_true) * (1.0 - probability)
    focal = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal
    return focal


@averages(_binary_crossentropy_terms)
def binary_crossentropy(y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1):
    """Binary cross-entropy, averaged over ``axis``.

    ``label_smoothing`` squeezes the labels towards 0.5 (``1 - s/2`` for the target class, ``s/2`` for the other).
    """
    terms = _binary_crossentropy_terms(y_true, y_pred, from_logits=from_logits, label_smoothing=label_smoothing)
    return ops.mean(terms, axis=axis)


@averages(_binary_focal_terms)
def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing: bool = False, alpha: float = 0.25,
                              gamma: float = 2.0, from_logits: bool = False, label_smoothing: float = 0.0,
                              axis: int = -1):
    """Focal binary cross-entropy (Lin et al., 2018), averaged over ``axis``.

    Each term is scaled by ``(1 - p_t) ** gamma`` (``p_t``: the probability given to the true class), and by
    ``alpha`` for class 1 / ``1 - alpha`` for class 0 when ``apply_class_balancing``.
    """
    terms = _binary_focal_terms(y_true, y_pred, apply_class_balancing=apply_class_balancing, alpha=alpha,
                                gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing)
    return ops.mean(terms, axis=axis)


def _categorical_inputs(y_true, y_pred, label_smoothing, axis, loss_name):
    """Checked arguments, ``y_true`` in ``y_pred``'s dtype and smoothed towards ``1 / num_classes``."""
    check_axis(axis, loss_name)
    check_label_smoothing(label_smoothing, loss_name)
    y_true, y_pred = cast_like(y_true, y_pred)
    check_same_shape(y_true, y_pred, loss_name)
    if y_pred.shape and y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {loss_name}, expected y_pred.shape to be (batch_size, num_classes) with num_classes > 1. "
            f"Received: y_pred.shape={tuple(y_pred.shape)}. Consider using 'binary_crossentropy' if you only have "
            "2 classes.",
            SyntaxWarning,
            stacklevel=3,
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[axis]
    return y_true, y_pred


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0,
                             axis: int = -1):
    """Cross-entropy of one-hot (or soft) labels along ``axis``.

    ``label_smoothing`` s gives ``s / num_classes`` to non-target classes and ``1 - s + s / num_classes`` to targets.
    """
    y_true, y_pred = _categorical_inputs(y_true, y_pred, label_smoothing, axis, "categorical_crossentropy")
    output, from_logits = logits_of(y_pred, from_logits, "softmax", "categorical_crossentropy", axis)
    return ops.categorical_crossentropy(y_true, output, from_logits=from_logits, axis=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma: float = 2.0, from_logits: bool = False,
                                   label_smoothing: float = 0.0, axis: int = -1):
    """Focal categorical cross-entropy: ``sum(alpha * (1 - p) ** gamma * -y_true * log(p))`` along ``axis``.

    ``alpha`` is a float or one weight per class; probabilities are normalized along ``axis`` and clipped.
    """
    y_true, y_pred = _categorical_inputs(y_true, y_pred, label_smoothing, axis, "categorical_focal_crossentropy")
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    output = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
    output = ops.clip(output, config.epsilon(), 1.0 - config.epsilon())
    weighting = ops.power(1.0 - output, gamma) * ops.convert_to_tensor(alpha, dtype=ops.dtype(output))
    return ops.sum(weighting * -y_true * ops.log(output), axis=axis)


def _sparse_labels(y_true, y_pred):
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    return y_true


def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False, ignore_class: int | None = None,
                                    axis: int = -1):
    """Cross-entropy of integer labels against probabilities (or logits) along ``axis``.

    Labels equal to ``ignore_class`` get a loss of 0 and are masked out of the reduction (the loss values
    carry the mask, so ``"sum_over_batch_size"`` averages over the other labels only).
    """
    check_axis(axis, "sparse_categorical_crossentropy")
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = _sparse_labels(y_true, y_pred)
    output, from_logits = logits_of(y_pred, from_logits, "softmax", "sparse_categorical_crossentropy", axis)
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(y_true, output, from_logits=from_logits, axis=axis)
    valid = ops.not_equal(y_true, ignore_class)
    labels = ops.where(valid, y_true, ops.zeros_like(y_true))  # any valid class: the result is discarded
    losses = ops.sparse_categorical_crossentropy(labels, output, from_logits=from_logits, axis=axis)
    losses = ops.where(valid, losses, ops.zeros_like(losses))
    set_mask(losses, valid)
    return losses


def categorical_generalized_cross_entropy(y_true, y_pred, q: float):
    """Generalized cross-entropy (Zhang et al., 2018): ``(1 - p ** q) / q``, ``p`` the true class's probability.

    Labels are integer classes; ``q`` near 0 behaves like cross-entropy, near 1 like mean absolute error.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = _sparse_labels(y_true, y_pred)
    one_hot = ops.one_hot(ops.cast(y_true, "int32"), y_pred.shape[-1], dtype=ops.dtype(y_pred))
    probability = ops.sum(y_pred * one_hot, axis=-1)
    return (1.0 - ops.power(probability, q)) / q


def kl_divergence(y_true, y_pred):
    """``sum(y_true * log(y_true / y_pred), axis=-1)``, both clipped to ``[epsilon, 1]``."""
    y_true, y_pred = cast_like(y_true, y_pred)
    y_true = ops.clip(y_true, config.epsilon(), 1.0)
    y_pred = ops.clip(y_pred, config.epsilon(), 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


def _poisson_terms(y_true, y_pred):
    y_true, y_pred = cast_like(y_true, y_pred)
    return y_pred - y_true * ops.log(y_pred + config.epsilon())


@averages(_poisson_terms)
def poisson(y_true, y_pred):
    """``mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)``."""
    return ops.mean(_poisson_terms(y_true, y_pred), axis=-1)
