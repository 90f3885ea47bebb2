"""Keras 1/2 layer classes as thin subclasses of the modern ones, translating their constructor arguments.

``legacy_layer("Convolution1D", layers.Conv1D)`` is a ``Conv1D`` whose constructor takes Keras 1/2 arguments
(positional ones included), translates them with ``lamina.serialization.keras1_arguments`` (the one table of
old names), warns once per old spelling, and sets ``weights=[...]`` once built.

Saved, such a layer is its modern class: its config is the modern one (``Convolution1D`` saves as ``Conv1D``),
so the file loads anywhere, ``lamina.legacy`` or not. The Keras 1 layers Keras 3 lacks (``Highway``,
``Merge``, ...) are registered as ``lamina.legacy.layers>Name`` (``serializable``): loading a file that names
one imports ``lamina.legacy.layers``, which registers them.
"""

from __future__ import annotations

from lamina.legacy import activations, initializations
from lamina.legacy.deprecation import warn_old_spelling
from lamina.legacy.layers.graph_access import Keras1LayerAPI
from lamina.legacy.layers.initial_weights import InitialWeights
from lamina.serialization import keras1_arguments, register_keras_serializable

PACKAGE = "lamina.legacy.layers"  # the registered package of the Keras 1 layers Keras 3 lacks


def serializable(cls: type) -> type:
    """Register a Keras 1 layer class Keras 3 lacks as ``lamina.legacy.layers>Name`` (see the module docstring)."""
    return register_keras_serializable(package=PACKAGE)(cls)


def translate(keras1_name: str, args: tuple, kwargs: dict) -> dict:
    """The modern kwargs of a Keras 1/2 call of ``keras1_name`` (its Keras 1/2 defaults filled in), warning
    once per old spelling given by keyword (positional values carry no spelling). Positional arguments are
    named by ``keras1_arguments.POSITIONAL``; a class it does not list takes the modern class's (``args``)."""
    given = keras1_arguments.keyword_arguments(keras1_name, args, kwargs)
    modern_name, modern, renames = keras1_arguments.modern_arguments(keras1_name, given)
    if modern_name != keras1_name:
        warn_old_spelling(keras1_name, modern_name, stacklevel=4)
    for old, new in renames:
        if any(part.split("=")[0] in kwargs for part in old.split("/")):
            warn_old_spelling(f"{keras1_name}({old}=...)", f"{modern_name}({new}=...)", stacklevel=4)
    for key, value in keras1_arguments.DEFAULTS.get(keras1_name, {}).items():
        modern.setdefault(key, value)
    for key, value in modern.items():
        if key.endswith("_initializer"):
            modern[key] = initializations.modern_initializer(value)
        elif isinstance(value, str) and value == keras1_arguments.KERAS1_HARD_SIGMOID:  # Keras 1's hard_sigmoid
            modern[key] = activations.hard_sigmoid
    return modern


class LegacyArguments(InitialWeights, Keras1LayerAPI):
    """Mixin for a modern layer class: a constructor taking Keras 1/2 arguments."""

    _keras1_name = ""

    def __init__(self, *args, **kwargs):
        named = self._keras1_name in keras1_arguments.POSITIONAL
        modern = translate(self._keras1_name, args if named else (), kwargs)
        weights = modern.pop("weights", None)
        super().__init__(*(() if named else args), **modern)
        self._keep_initial_weights(weights)


def legacy_layer(keras1_name: str, modern_class: type, module: str) -> type:
    """The Keras 1/2 class ``keras1_name`` over ``modern_class``, defined in ``module``."""
    legacy = type(keras1_name, (LegacyArguments, modern_class),
                  {"_keras1_name": keras1_name, "__module__": module,
                   "__doc__": f"Keras 1/2 ``{keras1_name}``: a ``{modern_class.__name__}`` taking Keras 1/2 "
                              "arguments."})
    if modern_class.__module__.startswith("lamina.legacy."):  # built here (``_Highway``): saved under its own name
        return serializable(legacy)
    legacy._serialized_as = modern_class
    return legacy
