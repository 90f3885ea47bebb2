"""Initializers with Keras 3 names and defaults, and their lookup by name or config (``get``)."""

from __future__ import annotations

from lamina.initializers.constant_initializers import Constant, IdentityInitializer, Ones, Zeros
from lamina.initializers.initializer import Initializer
from lamina.initializers.random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    OrthogonalInitializer,
    RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    compute_fans,
)
from lamina.saving import serialization

Identity = IdentityInitializer
Orthogonal = OrthogonalInitializer

_CLASSES = (
    Constant, Zeros, Ones, IdentityInitializer, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
    GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, OrthogonalInitializer,
)
ALL_OBJECTS, serialize, deserialize, get = serialization.catalog("initializer", _CLASSES, Initializer, aliases={
    "Identity": IdentityInitializer, "identity": IdentityInitializer,
    "Orthogonal": OrthogonalInitializer, "orthogonal": OrthogonalInitializer,
    "uniform": RandomUniform, "normal": RandomNormal, "one": Ones, "zero": Zeros,
})


__all__ = [
    "Initializer", "RandomInitializer", "Constant", "Zeros", "Ones", "IdentityInitializer", "Identity",
    "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal",
    "HeUniform", "HeNormal", "LecunUniform", "LecunNormal", "OrthogonalInitializer", "Orthogonal",
    "compute_fans", "serialize", "deserialize", "get", "ALL_OBJECTS",
]
