"""Weight constraints with Keras 3 names and defaults, and their lookup by name or config (``get``)."""

from __future__ import annotations

from lamina import serialization
from lamina.constraints.constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm

# Keras' lower-case spellings of the classes.
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

_CLASSES = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
ALL_OBJECTS, serialize, deserialize, get = serialization.catalog("constraint", _CLASSES, Constraint)


__all__ = [
    "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "max_norm", "min_max_norm", "non_neg",
    "unit_norm", "serialize", "deserialize", "get", "ALL_OBJECTS",
]
