"""Keras 1 model configs read as Keras 3 configs: what Keras 1.x's ``to_json``/``to_yaml`` wrote, and the
``model_config`` of its HDF5 files.

Keras 1 differs from Keras 2 in the names inside the entries, not in their frame: a ``Sequential`` config
is the list of its layer entries, a ``Model`` config lists ``{"name", "class_name", "config",
"inbound_nodes"}`` entries whose nodes are ``[[layer, node, tensor], ...]``. So a Keras 1 config is first
brought to the Keras 2 form here, then ``keras2_configs`` takes it to Keras 3:

- each layer's class name and arguments (``Dense(output_dim, init, W_regularizer, ...)``, regularizers
  and constraints written as ``{"name": class, **arguments}``, ``hard_sigmoid`` meaning ``0.2 * x + 0.5``)
  go through the one table of Keras 1/2 spellings, ``keras1_arguments.modern_arguments``; wrapped layers
  (``layer`` of ``TimeDistributed``/``Bidirectional``) and nested models the same way;
- where a Keras 1 layer computed otherwise than Keras 3's default and its config does not say so, the
  table's Keras 1 default is written out (a ``GRU`` without ``reset_after`` applied the reset gate before
  the recurrent matrix, as Keras 2's default did too);
- classes Keras 3 lacks (``Merge``, ``MaxoutDense``, ...; ``keras1_arguments.KERAS1_ONLY``) keep their name:
  ``lamina.legacy`` supplies them when the model is built.

A Keras 2 config passes through unchanged in meaning (its spellings are already modern), so one reader
serves both. The old spellings met are returned, for the caller to warn about. This module only rewrites
dicts: it sits on the serialization floor and imports no layer.
"""

from __future__ import annotations

from lamina.serialization import keras1_arguments, keras2_configs

_MODEL_CLASSES = ("Sequential", "Model", "Functional")
_WRAPPED_LAYER_KEYS = ("layer", "backward_layer")
_OBJECT_SUFFIXES = ("_regularizer", "_constraint")
# Keras 1's Merge.get_config said how it wrote each argument that may be a callable: "raw" (the value
# itself), "function" (a name to look up) or "lambda" (Python bytecode).
_MERGE_STORAGE_KEYS = ("mode_type", "output_shape_type", "output_mask_type")


def _merge_config(config: dict) -> dict:
    """A Keras 1 ``Merge`` config without its storage markers; Python code in it is refused, as in safe mode."""
    code = {key: config[key] for key in _MERGE_STORAGE_KEYS if config.get(key, "raw") != "raw"}
    if code:
        raise ValueError(f"Cannot load Merge layer '{config.get('name')}' of a Keras 1 model config: it holds Python "
                         f"code ({code}), which lamina does not run from a file. Rebuild that layer in code.")
    return {key: value for key, value in config.items() if key not in _MERGE_STORAGE_KEYS}


def _layer(class_name: str, config: dict, renames: list) -> tuple[str, dict]:
    """A Keras 1 layer's class name and config in Keras 3 spelling (see the module docstring)."""
    name = config.get("name")
    if class_name == "Merge":
        config = _merge_config(config)
    try:
        modern_name, arguments, pairs = keras1_arguments.modern_arguments(class_name, dict(config))
    except (TypeError, ValueError) as error:
        raise ValueError(f"Cannot load layer '{name}' ({class_name}) of a Keras 1/2 model config: {error}") from None
    renames.extend(pairs)
    for key, value in arguments.items():
        if key in _WRAPPED_LAYER_KEYS:
            arguments[key] = _layer_entry(value, renames)
        elif key.endswith(_OBJECT_SUFFIXES) and isinstance(value, dict) and "class_name" not in value:
            raise ValueError(f"Cannot load layer '{name}' ({class_name}) of a Keras 1/2 model config: its `{key}` "
                             f"is a Keras 1 object lamina does not know. Received: {value}")
    for key, value in keras1_arguments.DEFAULTS.get(modern_name, {}).items():
        arguments.setdefault(key, value)
    return modern_name, arguments


def _model_config(config, renames: list):
    if isinstance(config, list):  # Keras 1 (and 2.0) wrote a Sequential as the list of its layers
        return [_layer_entry(item, renames) for item in config]
    config = dict(config)
    config["layers"] = [_layer_entry(item, renames) for item in config.get("layers", [])]
    return config


def _layer_entry(entry, renames: list):
    if not (isinstance(entry, dict) and "class_name" in entry):
        return entry
    class_name, config = entry["class_name"], entry.get("config") or {}
    if class_name in _MODEL_CLASSES:
        config = _model_config(config, renames)
    else:
        class_name, config = _layer(class_name, config, renames)
    return dict(entry, class_name=class_name, config=config)


def model_config_from_keras1(config) -> tuple[dict, list[tuple[str, str]]]:
    """``(Keras 3 model entry, [(old spelling, modern spelling), ...])`` for a Keras 1 or Keras 2 model
    config: ``{"class_name", "config"}``, or a ``Sequential``'s bare list of layer entries."""
    if isinstance(config, list):
        config = {"class_name": "Sequential", "config": config}
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("Expected a model config: a dict with 'class_name' and 'config' keys, or a list of "
                         f"layer entries. Received: config={str(config)[:200]}")
    renames: list = []
    entry = _layer_entry(config, renames)
    return keras2_configs.model_config_from_keras2(entry), list(dict.fromkeys(renames))
