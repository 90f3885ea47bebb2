"""Model architecture as YAML text, as Keras 2 wrote it (Keras 3 dropped YAML): ``model.to_yaml()`` and
``model_from_yaml(text)``.

The document has the structure of ``to_json``'s: ``{"module", "class_name", "config", ...}``. Keras 2's
YAML (``{"class_name", "config", "keras_version", "backend"}``, legacy layer entries) loads too, through the
same Keras 2 translation as its JSON. Text is written with ``yaml.safe_dump`` and read with a ``SafeLoader``
that also reads the ``!!python/tuple`` tags Keras 2's ``yaml.dump`` wrote for shapes, as plain lists: no
other Python object can be built from the text.
"""

from __future__ import annotations

from lamina import serialization
from lamina.saving.model_json import model_from_config
from lamina.serialization import keras_names


def _loader():
    import yaml

    class Keras2SafeLoader(yaml.SafeLoader):
        """``yaml.SafeLoader`` that reads ``!!python/tuple`` sequences as lists."""

    Keras2SafeLoader.add_constructor("tag:yaml.org,2002:python/tuple",
                                     lambda loader, node: loader.construct_sequence(node, deep=True))
    return Keras2SafeLoader


def model_to_yaml(model, **kwargs) -> str:
    """The model's config as YAML (``kwargs`` go to ``yaml.safe_dump``)."""
    import yaml

    return yaml.safe_dump(keras_names.to_keras(serialization.serialize(model)), **kwargs)


def load_yaml_config(yaml_string: str) -> dict:
    """The model config in YAML text (a mapping), read safely: see the module docstring."""
    import yaml

    config = yaml.load(yaml_string, Loader=_loader())  # a SafeLoader
    if not isinstance(config, dict):
        raise ValueError(f"Expected a YAML mapping holding a model config. Received: {str(config)[:200]}")
    return config


def model_from_yaml(yaml_string: str, custom_objects: dict | None = None):
    """A new (untrained) model from YAML written by ``to_yaml``, lamina's or Keras 2's."""
    return model_from_config(load_yaml_config(yaml_string), custom_objects)
