"""Saving and loading: object configs, model JSON, ``.weights.h5`` files and ``.keras`` models, in Keras 3's formats."""

from lamina.saving.keras_file import _safe_mode_scope, load_model, save_model  # noqa: F401
from lamina.saving.model_json import model_from_json  # noqa: F401
from lamina.saving.serialization import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    deserialize,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    register_lamina_serializable,
    serialize,
)
from lamina.saving.weights_h5 import load_weights, save_weights  # noqa: F401

serialize_keras_object = serialize


def deserialize_keras_object(config, custom_objects: dict | None = None, safe_mode: bool = True, **kwargs):
    """Keras' name and signature for ``deserialize``: rebuild an object from its config. With
    ``safe_mode=False`` (or after ``config.enable_unsafe_deserialization()``) ``Lambda`` layers in it may load
    Python lambdas from bytecode. ``module_objects`` may be passed as in Keras."""
    with _safe_mode_scope(safe_mode):
        return deserialize(config, custom_objects, module_objects=kwargs.get("module_objects"))
