"""Keras 2 (tf.keras / tf_keras) configs read as Keras 3 configs: model configs and training configs.

Keras 2 wrote model configs in the legacy form: layer entries ``{"class_name", "config"}`` without a
``module``, nested initializers and regularizers the same way, and arguments Keras 3 dropped. Keras 3's own
legacy HDF5 writer uses that entry form too. ``model_config_from_keras2`` rewrites such a config into the
Keras 3 form that ``keras_names.to_lamina`` and the layer registry read:

- a ``module`` for every entry: ``keras.layers`` for layers, the model modules for ``Sequential`` and
  ``Functional`` (Keras 2's ``Model``), ``keras.initializers``/``regularizers``/``constraints`` for the
  objects under ``*_initializer``/``*_regularizer``/``*_constraint``;
- old class names (``Convolution2D``, ``CuDNNLSTM``, ...) to today's, Keras 2 mixed-precision ``Policy``
  to ``DTypePolicy``, ``VarianceScaling(distribution="normal")`` to ``"truncated_normal"``;
- arguments Keras 3 dropped: ``time_major`` (False only), ``Embedding(input_length)``, the build shapes
  ``MultiHeadAttention`` wrote (``query_shape``/``key_shape``/``value_shape``); one-item ``axis`` lists
  (``BatchNormalization(axis=[3])``) become ints, as Keras 3 reads them;
- a Sequential config written as a bare list of layers (Keras 2.0) gets its ``{"name", "layers"}`` form;
- a functional config's Keras 2 node lists (``[[name, node, tensor, kwargs], ...]``) become Keras 3's
  ``{"args", "kwargs"}`` nodes, tensors passed by keyword included; a one-item list of inputs or
  outputs is one tensor, as Keras 2 read it; references to a nested ``Sequential``
  count its construction as node 0 (it was a functional model in Keras 2): they are shifted by one, as
  lamina counts only a nested ``Functional``'s construction.

``training_config_from_keras2`` turns an HDF5 file's ``training_config`` (Keras 2's or Keras 3's legacy
one) into a Keras 3 ``compile_config``.

This module only rewrites dicts: it sits on the serialization floor and imports no layer.
"""

from __future__ import annotations

_MODEL_MODULES = {"Sequential": "keras", "Functional": "keras.src.models.functional"}
_CLASS_RENAMES = {
    "Model": "Functional",
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
    "Deconvolution2D": "Conv2DTranspose", "Deconvolution3D": "Conv3DTranspose",
    "SeparableConvolution1D": "SeparableConv1D", "SeparableConvolution2D": "SeparableConv2D",
    "CuDNNLSTM": "LSTM", "CuDNNGRU": "GRU",
}
# Keras 2's cuDNN layers computed what these settings compute (GRU with the bias after the reset gate).
_CUDNN_DEFAULTS = {"CuDNNLSTM": {"activation": "tanh", "recurrent_activation": "sigmoid"},
                   "CuDNNGRU": {"activation": "tanh", "recurrent_activation": "sigmoid", "reset_after": True}}
_DROPPED_ARGUMENTS = {"Embedding": ("input_length",),
                      "MultiHeadAttention": ("query_shape", "key_shape", "value_shape")}
_LAYER_KEYS = ("layer", "backward_layer", "cell", "cells", "layers")
_OBJECT_MODULES = (("_initializer", "keras.initializers"), ("_regularizer", "keras.regularizers"),
                   ("_constraint", "keras.constraints"))
_SERIALIZATION_MARKERS = ("__passive_serialization__", "shared_object_id")


def is_legacy_entry(config) -> bool:
    """Whether ``config`` is a model entry in the legacy form (Keras 2, or Keras 3's HDF5 writer): no module."""
    return isinstance(config, dict) and "class_name" in config and "module" not in config


def _clean(entry: dict) -> dict:
    return {key: value for key, value in entry.items() if key not in _SERIALIZATION_MARKERS}


def _object_entry(value, module: str):
    """A nested initializer/regularizer/constraint entry with its Keras 3 module."""
    if not (isinstance(value, dict) and "class_name" in value):
        return value
    entry = _clean(value)
    entry.setdefault("module", module)
    entry.setdefault("registered_name", None)
    config = dict(entry.get("config") or {})
    if entry["class_name"] == "VarianceScaling" and config.get("distribution") == "normal":
        config["distribution"] = "truncated_normal"  # Keras 2's "normal" was the truncated one
    entry["config"] = config
    return entry


def _dtype(value):
    """Keras 2's ``{"class_name": "Policy", ...}`` (mixed precision) as Keras 3's ``DTypePolicy``."""
    if isinstance(value, dict) and value.get("class_name") == "Policy":
        return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": value["config"]["name"]},
                "registered_name": None}
    return value


def _layer_config(class_name: str, config: dict) -> dict:
    config = dict(config)
    if config.get("time_major") is False:
        config.pop("time_major")
    elif config.get("time_major"):
        raise ValueError(f"Cannot load layer '{config.get('name')}' ({class_name}): it was saved with "
                         "`time_major=True`, which Keras 3 layers do not take. Expected time_major=False.")
    for key in _DROPPED_ARGUMENTS.get(class_name, ()):
        config.pop(key, None)
    axis = config.get("axis")
    if isinstance(axis, list) and len(axis) == 1 and isinstance(axis[0], int):
        config["axis"] = axis[0]
    if "dtype" in config:
        config["dtype"] = _dtype(config["dtype"])
    for key, value in config.items():
        module = next((module for suffix, module in _OBJECT_MODULES if key.endswith(suffix)), None)
        if module is not None:
            config[key] = _object_entry(value, module)
        elif key in _LAYER_KEYS and key != "layers":
            config[key] = _layer_entries(value)
    return config


def _layer_entries(value):
    if isinstance(value, list):
        return [_layer_entry(item) for item in value]
    return _layer_entry(value)


def _layer_entry(entry):
    if not (isinstance(entry, dict) and "class_name" in entry):
        return entry
    entry = _clean(entry)
    old_name = entry["class_name"]
    class_name = _CLASS_RENAMES.get(old_name, old_name)
    config = entry.get("config") or {}
    if class_name == "Sequential":
        config = _sequential_config(config)
    elif class_name == "Functional":
        config = _functional_config(config)
    else:
        config = dict(_CUDNN_DEFAULTS.get(old_name, {}), **_layer_config(class_name, config))
    entry.update(class_name=class_name, config=config)
    if "module" not in entry:
        entry["module"] = _MODEL_MODULES.get(class_name, "keras.layers")
        entry.setdefault("registered_name", None)
    return entry


def _sequential_config(config) -> dict:
    if isinstance(config, list):  # Keras 2.0 wrote the layer list alone
        config = {"layers": config}
    config = dict(config)
    config["layers"] = [_layer_entry(item) for item in config.get("layers", [])]
    return config


def _shift(location, nested_sequentials: set):
    name, node_index, tensor_index, *rest = location
    if name in nested_sequentials:
        node_index -= 1
    return [name, node_index, tensor_index, *rest]


def _locations(structure, nested_sequentials: set):
    if isinstance(structure, list) and len(structure) == 3 and isinstance(structure[0], str):
        return _shift(structure, nested_sequentials)
    if isinstance(structure, dict):
        return {key: _locations(value, nested_sequentials) for key, value in structure.items()}
    if isinstance(structure, list):
        return [_locations(item, nested_sequentials) for item in structure]
    return structure


def _tensor(location, nested_sequentials: set) -> dict:
    return {"class_name": "__keras_tensor__",
            "config": {"shape": None, "dtype": None, "keras_history": _shift(location, nested_sequentials)[:3]}}


def _node(node: list, names: set, nested_sequentials: set) -> dict:
    """A Keras 2 node ``[[layer, node, tensor, kwargs], ...]`` as Keras 3's ``{"args", "kwargs"}``: the
    inputs (one tensor, or a list), and keyword arguments whose ``[layer, node, tensor]`` lists are tensors
    (``MultiHeadAttention``'s ``value=``)."""
    tensors = [_tensor(location, nested_sequentials) for location in node]
    kwargs = node[0][3] if node and len(node[0]) > 3 else {}

    def tensor_arguments(value):
        if isinstance(value, list) and len(value) == 3 and value[0] in names and isinstance(value[1], int):
            return _tensor(value, nested_sequentials)
        if isinstance(value, list):
            return [tensor_arguments(item) for item in value]
        if isinstance(value, dict):
            return {key: tensor_arguments(item) for key, item in value.items()}
        return value

    return {"args": [tensors[0] if len(tensors) == 1 else tensors], "kwargs": tensor_arguments(dict(kwargs))}


def _functional_config(config: dict) -> dict:
    config = dict(config)
    entries = config.get("layers", [])
    legacy_nodes = any(isinstance(node, list) for entry in entries for node in entry.get("inbound_nodes") or [])
    nested = {entry.get("name") for entry in entries if entry.get("class_name") == "Sequential"} \
        if legacy_nodes else set()
    names = {entry.get("name") for entry in entries}
    translated = []
    for entry in entries:
        new = _layer_entry(entry)
        if legacy_nodes:
            new["inbound_nodes"] = [_node(node, names, nested) for node in entry.get("inbound_nodes") or []]
        translated.append(new)
    config["layers"] = translated
    for key in ("input_layers", "output_layers"):
        locations = config.get(key)
        if legacy_nodes and isinstance(locations, list) and len(locations) == 1 and isinstance(locations[0], list):
            locations = locations[0]  # Keras 2 listed a single input/output: the model takes/returns one tensor
        if locations is not None:
            config[key] = _locations(locations, nested)
    return config


def model_config_from_keras2(config: dict) -> dict:
    """A Keras 3 model entry from a legacy one (Keras 2 JSON/YAML/HDF5, Keras 3's HDF5); see the module doc."""
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError("Expected a model config: a dict with 'class_name' and 'config' keys. "
                         f"Received: config={str(config)[:200]}")
    config = {key: value for key, value in config.items() if key not in ("keras_version", "backend")}
    return _layer_entry(config)


# -- training configs ----------------------------------------------------------------------------------
_OPTIMIZER_DROPPED = ("is_legacy_optimizer", "jit_compile")
_OPTIMIZER_RENAMES = {"lr": "learning_rate"}
_ACCURACY_NAMES = ("accuracy", "acc")


def _optimizer_entry(config: dict) -> dict:
    class_name = config["class_name"].split(">")[-1]  # tf_keras registers its optimizers as "Custom>Adam"
    arguments = {_OPTIMIZER_RENAMES.get(key, key): value for key, value in (config.get("config") or {}).items()
                 if key not in _OPTIMIZER_DROPPED}
    if not arguments.get("decay"):
        arguments.pop("decay", None)  # Keras 2.0-2.10 optimizers; a non-zero decay is left for the error
    schedule = arguments.get("learning_rate")
    if isinstance(schedule, dict):
        arguments["learning_rate"] = _object_entry(schedule, "keras.optimizers.schedules")
    return {"module": "keras.optimizers", "class_name": class_name, "config": arguments, "registered_name": None}


def _loss_entry(value):
    if isinstance(value, dict) and "class_name" in value:
        entry = _object_entry(value, "keras.losses")
        if entry["config"].get("reduction") == "auto":  # Keras 2's default reduction
            entry["config"]["reduction"] = "sum_over_batch_size"
        return entry
    if isinstance(value, dict):
        return {key: _loss_entry(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_loss_entry(item) for item in value]
    return value


def _metric_entry(value):
    if isinstance(value, list):
        return [_metric_entry(item) for item in value]
    if isinstance(value, dict) and value.get("class_name") == "MeanMetricWrapper":
        config = value.get("config") or {}
        return "accuracy" if config.get("name") in _ACCURACY_NAMES else config.get("fn", config.get("name"))
    if isinstance(value, dict) and "class_name" in value:
        return _object_entry(value, "keras.metrics")
    if isinstance(value, dict):
        return {key: _metric_entry(item) for key, item in value.items()}
    return value


def _metrics(value):
    value = _metric_entry(value)
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        return value[0]  # Keras 2 nested the metrics of a single-output model one level down
    return value


def training_config_from_keras2(training_config: dict) -> dict:
    """A Keras 3 ``compile_config`` from an HDF5 file's ``training_config`` (Keras 2's or Keras 3's)."""
    compile_config = {key: value for key, value in training_config.items() if key != "optimizer_config"}
    compile_config["optimizer"] = _optimizer_entry(training_config["optimizer_config"])
    compile_config["loss"] = _loss_entry(training_config.get("loss"))
    for key in ("metrics", "weighted_metrics"):
        if training_config.get(key) is not None:
            compile_config[key] = _metrics(training_config[key])
    return compile_config
