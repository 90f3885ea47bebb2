"""Saving and loading: object configs, model JSON, ``.weights.h5`` files and ``.keras`` models, in Keras 3's formats."""

from lamina.saving.keras_file import load_model, save_model  # noqa: F401
from lamina.saving.model_json import model_from_json  # noqa: F401
from lamina.saving.serialization import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    deserialize,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    register_lamina_serializable,
    serialize,
)
from lamina.saving.weights_h5 import load_weights, save_weights  # noqa: F401
