"""Model architecture as JSON text, in Keras 3's format: ``model.to_json()`` / ``model_from_json(text)``.

Keras 2's JSON (tf.keras, tf_keras: legacy layer entries without modules) loads too, translated by
``serialization.keras2_configs``.
"""

from __future__ import annotations

import json

from lamina import serialization
from lamina.models.layer_entries import deserialize_layer
from lamina.saving import json_reading
from lamina.serialization import keras2_configs, keras_names


def model_to_json(model, **kwargs) -> str:
    """``{"module", "class_name", "config", "registered_name", "build_config"?}`` with Keras 3's names."""
    return json.dumps(keras_names.to_keras(serialization.serialize(model)), **kwargs)


def model_from_config(config: dict, custom_objects: dict | None = None):
    """A new (untrained) model from a parsed model document: Keras 3's entry, or Keras 2's legacy one."""
    if keras2_configs.is_legacy_entry(config):
        config = keras2_configs.model_config_from_keras2(config)
    return deserialize_layer(config, custom_objects)


def model_from_json(json_string: str, custom_objects: dict | None = None):
    """A new (untrained) model from ``to_json``'s text: lamina's, Keras 3's or Keras 2's."""
    return model_from_config(json_reading.loads(json_string, "the model JSON"), custom_objects)
