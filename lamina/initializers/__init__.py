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
from lamina.utils.naming import to_snake_case

Identity = IdentityInitializer
Orthogonal = OrthogonalInitializer

_CLASSES = (
    Constant, Zeros, Ones, IdentityInitializer, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
    GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, OrthogonalInitializer,
)
# Names accepted by `get`: class names, their snake_case forms, and Keras' short aliases.
ALL_OBJECTS = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS.update({
    "Identity": IdentityInitializer, "identity": IdentityInitializer,
    "Orthogonal": OrthogonalInitializer, "orthogonal": OrthogonalInitializer,
    "uniform": RandomUniform, "normal": RandomNormal, "one": Ones, "zero": Zeros,
})


def serialize(initializer) -> dict | None:
    """The Keras-format config of ``initializer``."""
    return serialization.serialize(initializer)


def deserialize(config, custom_objects=None) -> Initializer:
    """An initializer from ``serialize``'s output or a name such as ``"he_normal"``."""
    obj = serialization.deserialize(config, custom_objects, module_objects=ALL_OBJECTS, kind="initializer")
    return obj() if isinstance(obj, type) else obj


def get(identifier):
    """Resolve None, a name, a config dict, a class, an instance or a callable to an initializer."""
    return serialization.get(identifier, ALL_OBJECTS, kind="initializer", base_class=Initializer)


__all__ = [
    "Initializer", "RandomInitializer", "Constant", "Zeros", "Ones", "IdentityInitializer", "Identity",
    "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal",
    "HeUniform", "HeNormal", "LecunUniform", "LecunNormal", "OrthogonalInitializer", "Orthogonal",
    "compute_fans", "serialize", "deserialize", "get", "ALL_OBJECTS",
]
