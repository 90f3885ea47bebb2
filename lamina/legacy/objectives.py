"""Keras 1's ``keras.objectives``: the loss functions by their Keras 1 names.

Most are lamina's own functions under their old names. Three are Keras 1's definitions, which differ from
Keras 3's: ``hinge`` and ``squared_hinge`` use the labels as given (Keras 3 turns 0/1 labels into -1/1), and
``cosine_proximity`` is minus the *mean* of the products of the l2-normalized vectors over the last axis
(Keras 3's ``cosine_similarity``, like Keras 2.1+, takes their sum).
"""

from __future__ import annotations

from lamina import losses, ops
from lamina.losses import (
    binary_crossentropy,
    categorical_crossentropy,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
)
from lamina.losses import kl_divergence as kullback_leibler_divergence


def _margins(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    return ops.maximum(1.0 - y_true * y_pred, 0.0)


def hinge(y_true, y_pred):
    """``mean(max(1 - y_true * y_pred, 0))`` over the last axis; labels are expected in {-1, 1}."""
    return ops.mean(_margins(y_true, y_pred), axis=-1)


def squared_hinge(y_true, y_pred):
    """``mean(max(1 - y_true * y_pred, 0) ** 2)`` over the last axis; labels are expected in {-1, 1}."""
    return ops.mean(ops.square(_margins(y_true, y_pred)), axis=-1)


def cosine_proximity(y_true, y_pred):
    """``-mean(l2_normalize(y_true) * l2_normalize(y_pred))`` over the last axis: Keras 3's
    ``cosine_similarity`` divided by the size of that axis."""
    y_pred = ops.convert_to_tensor(y_pred)
    return losses.cosine_similarity(y_true, y_pred, axis=-1) / y_pred.shape[-1]


# Keras 1's short names.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence
cosine = cosine_proximity

# Names whose Keras 1 meaning Keras 3 does not give under that name.
_KERAS1_ONLY = {"hinge": hinge, "squared_hinge": squared_hinge, "cosine_proximity": cosine_proximity,
                "cosine": cosine_proximity, "kullback_leibler_divergence": kullback_leibler_divergence}


def get(identifier):
    """A loss from a Keras 1 objective name (``"mse"``, ``"cosine_proximity"``, ...), a function or a Loss."""
    if isinstance(identifier, str) and identifier in _KERAS1_ONLY:
        return _KERAS1_ONLY[identifier]
    return losses.get(identifier)


def modern(identifier):
    """What to give Keras 3's ``compile(loss=...)`` for a Keras 1 loss (or a dict/list of them): the Keras 1
    function where Keras 3 reads the name differently, otherwise the identifier unchanged."""
    if isinstance(identifier, dict):
        return {key: modern(value) for key, value in identifier.items()}
    if isinstance(identifier, (list, tuple)):
        return [modern(value) for value in identifier]
    return _KERAS1_ONLY.get(identifier, identifier) if isinstance(identifier, str) else identifier


__all__ = [
    "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
    "squared_hinge", "hinge", "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
    "kullback_leibler_divergence", "poisson", "cosine_proximity", "mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle",
    "MSLE", "kld", "KLD", "cosine", "get", "modern",
]
