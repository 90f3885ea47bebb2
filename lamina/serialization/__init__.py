"""Object (de)serialization in Keras 3's config format: the registry of serializable objects,
``serialize``/``deserialize``/``get``, custom-object scopes, and the name table between Keras' module
names and lamina's (``keras_names``).

This floor knows only ``lamina.backend.common`` (and ``lamina.ops`` for the op name table): every floor
above it registers and resolves its objects here. File formats live in ``lamina.saving``.
"""

from lamina.serialization import keras_names
from lamina.serialization.registry import (
    CustomObjectScope,
    catalog,
    custom_object_scope,
    deserialize,
    deserialize_keras_object,
    get,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    register_lamina_serializable,
    serialize,
    serialize_keras_object,
)
from lamina.serialization.safe_mode import in_safe_mode, safe_mode_scope

__all__ = [
    "CustomObjectScope",
    "catalog",
    "custom_object_scope",
    "deserialize",
    "deserialize_keras_object",
    "get",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "in_safe_mode",
    "keras_names",
    "register_keras_serializable",
    "register_lamina_serializable",
    "safe_mode_scope",
    "serialize",
    "serialize_keras_object",
]
