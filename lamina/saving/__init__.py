"""File formats: Keras 3's ``.keras`` zip and ``.weights.h5``, legacy HDF5 (Keras 2 / tf.keras ``.h5``),
model JSON and YAML. ``saving_api`` picks the format from the file.

The object registry and config (de)serialization live one floor down, in ``lamina.serialization``; their
public names are offered here too, where Keras has them (``keras.saving.register_keras_serializable``).
"""

from lamina import models
from lamina.models import file_formats
from lamina.saving.model_json import model_from_json, model_to_json
from lamina.saving.model_yaml import model_from_yaml, model_to_yaml
from lamina.saving.saving_api import load_model, load_weights, save_model, save_weights
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
                      model_to_json=model_to_json, model_to_yaml=model_to_yaml)
models.load_model = load_model
models.save_model = save_model
models.model_from_json = model_from_json
models.model_from_yaml = model_from_yaml
