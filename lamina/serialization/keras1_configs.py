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
- a ``Sequential`` whose first layer is a ``Merge`` of branch models (Keras 1's two-branch model: the
  ``Merge`` entry lists the branches' configs under ``layers``) becomes the functional ``Model`` it stood for:
  one input per branch, each branch's layers in turn, the merge of their outputs, then the other layers. Its
  layers holding weights come in the order of Keras 1's ``flattened_layers`` (the branches' layers, then
  the rest), which is the order Keras 1 saved their weights in.

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


def _starts_with_branches(config) -> bool:
    entries = config if isinstance(config, list) else config.get("layers", [])
    return bool(entries) and entries[0].get("class_name") == "Merge" and bool(entries[0]["config"].get("layers"))


def _branch_entries(branch) -> list:
    """The layer entries of a ``Merge`` branch: a ``Sequential``'s layers, or the branch layer itself."""
    if branch.get("class_name") == "Sequential":
        config = branch["config"]
        return config if isinstance(config, list) else config.get("layers", [])
    if branch.get("class_name") in _MODEL_CLASSES:
        raise ValueError("Cannot load a Keras 1 Merge whose branch is a functional Model; only Sequential models "
                         f"and layers are supported as branches. Received: {str(branch)[:200]}")
    return [branch]


def _input_entry(entry: dict, layers: list, inputs: list) -> list:
    """An ``InputLayer`` for the first layer of a branch, from its ``batch_input_shape``; its node."""
    config = entry["config"]
    if config.get("batch_input_shape") is None:
        raise ValueError(f"Cannot load layer '{config.get('name')}' of a Keras 1 model config: it starts a Merge "
                         "branch but its config has no `batch_input_shape`.")
    name = f"{config['name']}_input"
    layers.append({"name": name, "class_name": "InputLayer", "inbound_nodes": [], "config": {
        "name": name, "batch_input_shape": config["batch_input_shape"],
        "input_dtype": config.get("input_dtype", "float32")}})
    inputs.append([name, 0, 0])
    return [name, 0, 0]


def _chain(entries: list, inbound, layers: list, inputs: list) -> list:
    """Append ``entries`` to ``layers`` as functional entries, each fed by the one before (the first by
    ``inbound``, else by a new input); a ``Merge`` with branches is fed by its branches' chains. Returns the
    last output's ``[layer, node, tensor]``."""
    for entry in entries:
        config = dict(entry["config"])
        if entry.get("class_name") == "Merge" and config.get("layers"):
            nodes = [_chain(_branch_entries(branch), None, layers, inputs) for branch in config.pop("layers")]
        else:
            nodes = [inbound if inbound is not None else _input_entry(entry, layers, inputs)]
        layers.append({"name": config["name"], "class_name": entry["class_name"], "config": config,
                       "inbound_nodes": [nodes]})
        inbound = [config["name"], 0, 0]
    return inbound


def _sequential_with_branches(config) -> dict:
    """Keras 1's ``Sequential`` starting with a ``Merge`` of branches, as the config of its functional ``Model``."""
    entries = config if isinstance(config, list) else config.get("layers", [])
    name = "sequential" if isinstance(config, list) else config.get("name", "sequential")
    layers, inputs = [], []
    output = _chain(entries, None, layers, inputs)
    return {"name": name, "layers": layers, "input_layers": inputs, "output_layers": [output]}


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
    if class_name == "Sequential" and _starts_with_branches(config):
        class_name, config = "Model", _sequential_with_branches(config)
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
