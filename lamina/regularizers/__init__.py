"""Weight regularizers with Keras 3 names and defaults, and their lookup by name or config (``get``)."""

from __future__ import annotations

from lamina import serialization
from lamina.regularizers.regularizers import L1, L1L2, L2, OrthogonalRegularizer, Regularizer

# Keras' lower-case spellings of the classes.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_CLASSES = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
ALL_OBJECTS, serialize, deserialize, get = serialization.catalog(
    "regularizer", _CLASSES, Regularizer, aliases={"l1l2": L1L2, "l1_l2": L1L2}
)


__all__ = [
    "Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1", "l2", "l1_l2", "orthogonal_regularizer",
    "serialize", "deserialize", "get", "ALL_OBJECTS",
]
