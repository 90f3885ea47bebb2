"""Metric-learning losses on embeddings: Circle loss (Sun et al., 2020), as ``keras.losses.circle``."""

from __future__ import annotations

from lamina import ops
from lamina.backend.common.masking import set_mask


def _pair_masks(labels, ref_labels, remove_diagonal: bool):
    """Boolean (n, m) masks of same-label (positive) and different-label (negative) pairs."""
    positive = ops.equal(ops.reshape(labels, (-1, 1)), ops.reshape(ref_labels, (1, -1)))
    negative = ops.logical_not(positive)
    if remove_diagonal:
        positive = ops.logical_and(positive, ops.logical_not(ops.eye(positive.shape[0], positive.shape[1],
                                                                     dtype="bool")))
    return positive, negative


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal: bool = True,
           gamma: float = 80.0, margin: float = 0.4):
    """Circle loss of integer labels ``y_true`` (n,) and L2-normalized embeddings ``y_pred`` (n, d).

    Pairs are scored by cosine distance to the reference set (default: the batch itself); positive pairs
    closer than ``margin`` and negative pairs farther than ``1 - margin`` contribute little. Losses of 0 are
    masked out of the reduction.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, "int32")
    ref_embeddings = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else ops.cast(ref_labels, "int32")
    distances = ops.maximum(1.0 - ops.matmul(y_pred, ops.transpose(ref_embeddings)), 0.0)
    positive, negative = _pair_masks(y_true, ref_labels, remove_diagonal)
    dtype = ops.dtype(distances)
    positive_weights = ops.maximum((margin + distances) * ops.cast(positive, dtype), 0.0)
    negative_weights = ops.maximum((1.0 + margin - distances) * ops.cast(negative, dtype), 0.0)
    positive_logits = -gamma * positive_weights * (margin - distances)
    negative_logits = gamma * negative_weights * (1.0 - margin - distances)
    minus_inf = float("-inf")
    positive_term = ops.logsumexp(ops.where(positive, positive_logits, minus_inf), axis=1)
    negative_term = ops.logsumexp(ops.where(negative, negative_logits, minus_inf), axis=1)
    losses = ops.softplus(positive_term + negative_term)
    set_mask(losses, losses > 0)
    return losses
