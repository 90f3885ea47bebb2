"""Model architecture as JSON text, in Keras 3's format: ``model.to_json()`` / ``model_from_json(text)``."""

from __future__ import annotations

import json

from lamina import serialization
from lamina.models.layer_entries import deserialize_layer
from lamina.serialization import keras_names


def model_to_json(model, **kwargs) -> str:
    """``{"module", "class_name", "config", "registered_name", "build_config"?}`` with Keras 3's names."""
    return json.dumps(keras_names.to_keras(serialization.serialize(model)), **kwargs)


def model_from_json(json_string: str, custom_objects: dict | None = None):
    """A new (untrained) model from ``to_json``'s text, lamina's or Keras 3's."""
    config = json.loads(json_string)
    if isinstance(config, dict) and "module" not in config and config.get("class_name") in ("Model", "Functional"):
        config = dict(config, module="lamina.models")  # Keras 2 JSON names no module
    return deserialize_layer(config, custom_objects)
