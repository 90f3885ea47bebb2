"""Learning-rate schedules with Keras 3 names, and their (de)serialization."""

from __future__ import annotations

from lamina import serialization
from lamina.optimizers.schedules.learning_rate_schedule import (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
)

_CLASSES = (LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay,
            CosineDecay, CosineDecayRestarts)
ALL_OBJECTS, serialize, deserialize, get = serialization.catalog(
    "learning rate schedule", _CLASSES, LearningRateSchedule
)

__all__ = [
    "LearningRateSchedule", "ExponentialDecay", "PiecewiseConstantDecay", "PolynomialDecay", "InverseTimeDecay",
    "CosineDecay", "CosineDecayRestarts", "serialize", "deserialize", "get", "ALL_OBJECTS",
]
