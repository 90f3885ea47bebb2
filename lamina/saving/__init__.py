"""File formats in Keras 3's layouts: the ``.keras`` zip, ``.weights.h5``, model JSON.

The object registry and config (de)serialization live one floor down, in ``lamina.serialization``; their
public names are offered here too, where Keras has them (``keras.saving.register_keras_serializable``).
"""

from lamina import models
from lamina.models import file_formats
from lamina.saving.keras_file import load_model, save_model
from lamina.saving.model_json import model_from_json, model_to_json
from lamina.saving.weights_h5 import load_weights, save_weights
from lamina.serialization import (
    CustomObjectScope,
    custom_object_scope,
    deserialize,
    deserialize_keras_object,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    register_lamina_serializable,
    serialize,
    serialize_keras_object,
)

# Model's methods and Keras' ``keras.models`` functions reach the formats through the floor below.
file_formats.register(save_model=save_model, save_weights=save_weights, load_weights=load_weights,
                      model_to_json=model_to_json)
models.load_model = load_model
models.save_model = save_model
models.model_from_json = model_from_json
