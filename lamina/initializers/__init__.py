"""Initializers with Keras 3 names and defaults, and their lookup by name or config (``get``)."""

from __future__ import annotations

from lamina import serialization
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
from lamina.initializers.stft import STFT

Identity = IdentityInitializer
Orthogonal = OrthogonalInitializer
STFTInitializer = STFT

_CLASSES = (
    Constant, Zeros, Ones, IdentityInitializer, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
    GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, OrthogonalInitializer, STFT,
)
ALL_OBJECTS, serialize, deserialize, get = serialization.catalog("initializer", _CLASSES, Initializer, aliases={
    "Identity": IdentityInitializer, "identity": IdentityInitializer,
    "Orthogonal": OrthogonalInitializer, "orthogonal": OrthogonalInitializer,
    "STFTInitializer": STFT,
    "uniform": RandomUniform, "normal": RandomNormal, "one": Ones, "zero": Zeros,
})

# Keras also exports each built-in class under its snake_case name (``initializers.glorot_uniform``).
_SNAKE_CASE_NAMES = {
    "constant": Constant, "zeros": Zeros, "ones": Ones, "identity": IdentityInitializer,
    "random_normal": RandomNormal, "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling, "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "he_uniform": HeUniform, "he_normal": HeNormal, "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
    "orthogonal": OrthogonalInitializer, "stft": STFT,
}
globals().update(_SNAKE_CASE_NAMES)

__all__ = [
    "Initializer", "RandomInitializer", "Constant", "Zeros", "Ones", "IdentityInitializer", "Identity",
    "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal",
    "HeUniform", "HeNormal", "LecunUniform", "LecunNormal", "OrthogonalInitializer", "Orthogonal",
    "STFT", "STFTInitializer", "compute_fans", "serialize", "deserialize", "get", "ALL_OBJECTS",
    *_SNAKE_CASE_NAMES,
]
