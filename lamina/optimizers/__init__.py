"""Optimizers with Keras 3 names and defaults, their lookup by name or config, and learning-rate schedules."""

from __future__ import annotations

from lamina import serialization
from lamina.optimizers import schedules
from lamina.optimizers.adadelta import Adadelta
from lamina.optimizers.adafactor import Adafactor
from lamina.optimizers.adagrad import Adagrad
from lamina.optimizers.adam import Adam
from lamina.optimizers.adamax import Adamax
from lamina.optimizers.adamw import AdamW
from lamina.optimizers.ftrl import Ftrl
from lamina.optimizers.lamb import Lamb
from lamina.optimizers.lion import Lion
from lamina.optimizers.nadam import Nadam
from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.rmsprop import RMSprop
from lamina.optimizers.sgd import SGD

_CLASSES = (Optimizer, SGD, RMSprop, Adam, AdamW, Adamax, Nadam, Adagrad, Adadelta, Ftrl, Lion, Adafactor,
            Lamb)
# Keras looks built-in optimizers up case-insensitively ("adam", "RMSprop", "sgd").
ALL_OBJECTS, serialize, _deserialize, _get = serialization.catalog(
    "optimizer", _CLASSES, Optimizer, aliases={cls.__name__.lower(): cls for cls in _CLASSES}
)


def _lower_builtin(identifier):
    if isinstance(identifier, str) and identifier.lower() in ALL_OBJECTS:
        return identifier.lower()
    if isinstance(identifier, dict) and str(identifier.get("class_name", "")).lower() in ALL_OBJECTS:
        return {**identifier, "class_name": identifier["class_name"].lower()}
    return identifier


def deserialize(config, custom_objects=None) -> Optimizer:
    """An optimizer from ``serialize``'s output or a name (built-in names in any case)."""
    return _deserialize(_lower_builtin(config), custom_objects)


def get(identifier) -> Optimizer | None:
    """Resolve None, an Optimizer, a name (``"adam"``) or a config dict into an optimizer instance."""
    optimizer = _get(_lower_builtin(identifier))
    if optimizer is not None and not isinstance(optimizer, Optimizer):
        raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")
    return optimizer


__all__ = [
    "Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "Adamax", "Nadam", "Adagrad", "Adadelta", "Ftrl", "Lion",
    "Adafactor", "Lamb", "schedules", "serialize", "deserialize", "get", "ALL_OBJECTS",
]
