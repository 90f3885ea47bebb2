"""Keras 1/2's ``keras.utils.np_utils``: ``to_categorical`` (Keras 1's ``nb_classes``), ``normalize`` and
Keras 1's class-from-probability helpers."""

from __future__ import annotations

import numpy as np

from lamina import utils
from lamina.legacy.deprecation import warn_old_spelling

normalize = utils.normalize


def to_categorical(y, num_classes=None, nb_classes=None):
    """One-hot rows for integer labels ``y`` (lamina's ``to_categorical``; Keras 1 named ``num_classes``
    ``nb_classes``)."""
    if nb_classes is not None:
        warn_old_spelling("to_categorical(y, nb_classes=...)", "to_categorical(y, num_classes=...)")
        num_classes = nb_classes
    return utils.to_categorical(y, num_classes)


def categorical_probas_to_classes(p) -> np.ndarray:
    """The most probable class of each row."""
    return np.argmax(p, axis=1)


def probas_to_classes(y_pred) -> np.ndarray:
    """Classes from predictions: the arg-max of each row, or ``p > 0.5`` for one probability per sample."""
    y_pred = np.asarray(y_pred)
    if y_pred.ndim > 1 and y_pred.shape[1] > 1:
        return categorical_probas_to_classes(y_pred)
    return (y_pred.reshape(len(y_pred), -1)[:, 0] > 0.5).astype("int64")


__all__ = ["to_categorical", "normalize", "probas_to_classes", "categorical_probas_to_classes"]
