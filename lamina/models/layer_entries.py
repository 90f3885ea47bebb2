"""Layers and models from their serialized entries, as lamina or Keras 3 write them (configs, files).

It sits with the models because an entry may name a model class (a nested ``Sequential`` or
``Functional``); the name table it reads, Keras module names to lamina's, is ``serialization.keras_names``.
"""

from __future__ import annotations

from lamina import layers, serialization
from lamina.serialization import keras_names


def layer_objects() -> dict:
    """Names that layer entries may use: every lamina layer, and the model classes."""
    from lamina import models  # this module is part of lamina.models, imported while it loads

    objects = {name: value for name, value in vars(layers).items() if isinstance(value, type)}
    objects.update(Functional=models.Functional, Sequential=models.Sequential, Model=models.Functional)
    return objects


def deserialize_layer(entry: dict, custom_objects=None):
    """A layer (or model) from its serialized entry, written by lamina or by Keras 3."""
    return serialization.deserialize(keras_names.to_lamina(entry), custom_objects=custom_objects,
                                     module_objects=layer_objects(), kind="layer")
