"""Functional model configs in Keras 3's format, and models rebuilt from them.

A config lists every operation of the graph with the calls (``inbound_nodes``) that belong to the model::

    {"name": ..., "trainable": ...,
     "layers": [{"module", "class_name", "config", "registered_name", "build_config"?, "name",
                 "inbound_nodes": [{"args": [...], "kwargs": {...}}, ...]}, ...],
     "input_layers": <structure of [layer_name, node_index, tensor_index]>,
     "output_layers": <same>}

Symbolic tensors inside node arguments are written as ``{"class_name": "__keras_tensor__", "config":
{"shape", "dtype", "keras_history": [layer_name, node_index, tensor_index]}}``. Node indices count only
the calls that belong to this model; a nested functional model counts from 1, because in Keras its own
construction is node 0. Raw ops (``ops.add(a, b)`` between layers) are entries like Keras' op classes
(``{"module": "lamina.ops.numpy", "class_name": "Add", ...}``): arguments passed by keyword that hold no
tensor go into the entry's ``config`` (as Keras' op constructors take them, e.g. ``Concatenate(axis)``),
the rest stays in the node. Rebuilding calls the op's function with both.
"""

from __future__ import annotations

import inspect

import numpy as np

from lamina import serialization, tree
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.models.layer_entries import deserialize_layer
from lamina.ops.operation import FunctionOperation
from lamina.serialization import keras_names

_TENSOR = "__keras_tensor__"


class _NodeNotReady(Exception):
    """A node reads a tensor whose producing call has not been rebuilt yet."""


def _is_functional(operation) -> bool:
    from lamina.models.functional import Functional

    return isinstance(operation, Functional)


def _operations(model) -> list:
    """Every operation of the graph once: the input layers first, then in the order the graph runs them."""
    found = [t._keras_history.operation for t in model.inputs]
    for node in model._nodes:
        if all(node.operation is not known for known in found):
            found.append(node.operation)
    return found


def _node_indices(model, operations) -> dict:
    """(id(operation), original node index) -> the index the config gives that node."""
    own = {id(node) for node in model._nodes}
    indices = {}
    for operation in operations:
        kept = 1 if _is_functional(operation) else 0
        for original, node in enumerate(operation._inbound_nodes):
            if id(node) in own:
                indices[(id(operation), original)] = kept
                kept += 1
    return indices


def _serialize_value(value, indices):
    """A node argument as JSON: symbolic tensors as ``__keras_tensor__`` dicts, Python values as Keras writes them."""
    if isinstance(value, SymbolicTensor):
        operation, node_index, tensor_index = value._keras_history
        return {"class_name": _TENSOR, "config": {
            "shape": list(value.shape), "dtype": value.dtype,
            "keras_history": [operation.name, indices[(id(operation), node_index)], tensor_index]}}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_serialize_value(item, indices) for item in value]
    if isinstance(value, dict):
        return {key: _serialize_value(item, indices) for key, item in value.items()}
    if isinstance(value, slice):
        return {"class_name": "__slice__", "config": {"start": value.start, "stop": value.stop, "step": value.step}}
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(value, np.ndarray):
        return {"class_name": "__numpy__", "config": {"value": value.tolist(), "dtype": str(value.dtype)}}
    if isinstance(value, np.generic):
        return value.item()
    return serialization.serialize(value)


def _has_tensor(value) -> bool:
    return any(isinstance(x, SymbolicTensor) for x in tree.flatten(value))


def _operation_entry(operation, indices) -> tuple[dict, list]:
    """The entry of one operation (without its nodes) and, per node, the keyword arguments it moves to config."""
    if isinstance(operation, FunctionOperation):
        function = operation.function
        class_name = keras_names.op_class_name(function.__name__)
        module = function.__module__
        if module.startswith("lamina.ops.") and module.count(".") > 2:
            module = ".".join(module.split(".")[:3])
        config = {"name": operation.name}
        for node in operation._inbound_nodes:
            config.update({k: v for k, v in node.call_kwargs.items() if not _has_tensor(v)})
        return {"module": module, "class_name": class_name,
                "config": _serialize_value(config, indices), "registered_name": class_name}
    return serialization.serialize(operation)


def _serialize_node(node, indices) -> dict:
    kwargs = node.call_kwargs
    if isinstance(node.operation, FunctionOperation):
        kwargs = {k: v for k, v in kwargs.items() if _has_tensor(v)}
    return {"args": _serialize_value(list(node.call_args), indices), "kwargs": _serialize_value(kwargs, indices)}


def functional_get_config(model) -> dict:
    """``model.get_config()`` for a functional model, in Keras 3's format (see the module docstring)."""
    operations = _operations(model)
    indices = _node_indices(model, operations)
    own = {id(node) for node in model._nodes}
    entries = []
    for operation in operations:
        entry = dict(_operation_entry(operation, indices))
        entry["name"] = operation.name
        entry["inbound_nodes"] = [
            _serialize_node(node, indices) for node in operation._inbound_nodes
            if id(node) in own and not node.is_input
        ]
        entries.append(entry)

    def locate(tensor):
        operation, node_index, tensor_index = tensor._keras_history
        return [operation.name, indices[(id(operation), node_index)], tensor_index]

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": entries,
        "input_layers": tree.map_structure(locate, model._inputs_struct),
        "output_layers": tree.map_structure(locate, model._outputs_struct),
    }


def model_get_config(model) -> dict:
    """``get_config()`` of a subclassed Model: its constructor arguments when they were all JSON values.

    As in Keras, a subclass whose constructor takes other arguments must write its own ``get_config``.
    """
    from lamina.layers.layer import Layer

    parameters = [p for name, p in inspect.signature(type(model).__init__).parameters.items()
                  if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if parameters and model._auto_config is None:
        raise NotImplementedError(
            f"Model {type(model).__name__} has constructor arguments "
            f"{[p.name for p in parameters]} that are not plain JSON values, so its config cannot be written "
            "automatically. Override `get_config()` (returning the constructor arguments) and, if needed, "
            "`from_config()`."
        )
    config = Layer.get_config(model)
    config.update({k: v for k, v in (model._auto_config or {}).items() if k not in config and k != "kwargs"})
    return config


# -- rebuilding ---------------------------------------------------------------------------------------------
def _is_location(value) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], int) and isinstance(value[2], int))


def _output_tensor(created, name, node_index, tensor_index):
    if name not in created:
        raise ValueError(f"Functional config refers to layer '{name}', which is not among its `layers`.")
    operation = created[name]
    if _is_functional(operation):
        node_index -= 1  # a nested functional model's calls start at index 1 in the config
    if node_index >= len(operation._inbound_nodes):
        raise _NodeNotReady(name)
    return operation._inbound_nodes[node_index].outputs[tensor_index]


def _deserialize_value(value, created):
    if isinstance(value, list):
        return [_deserialize_value(item, created) for item in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("class_name")
    if kind == _TENSOR:
        return _output_tensor(created, *value["config"]["keras_history"])
    if kind == "__slice__":
        config = value["config"]
        return slice(config["start"], config["stop"], config["step"])
    if kind == "__ellipsis__":
        return Ellipsis
    if kind == "__numpy__":
        return np.array(value["config"]["value"], dtype=value["config"]["dtype"])
    if kind is not None and "config" in value:
        return serialization.deserialize(keras_names.to_lamina(value))
    return {key: _deserialize_value(item, created) for key, item in value.items()}


def _node_call(node_data, created):
    """``(args, kwargs)`` of one node, in the current (Keras 3) or the legacy (Keras 2) form."""
    if isinstance(node_data, dict):
        return _deserialize_value(node_data.get("args", []), created), \
            _deserialize_value(node_data.get("kwargs", {}), created)
    tensors = [_output_tensor(created, *item[:3]) for item in node_data]  # legacy: [[name, node, tensor, kw]]
    kwargs = node_data[0][3] if node_data and len(node_data[0]) > 3 else {}
    return [tensors[0] if len(tensors) == 1 else tensors], dict(kwargs)


class _OpEntry:
    """A raw op read from a config: calling it on symbolic tensors records a node of a named operation."""

    def __init__(self, entry):
        self.function = keras_names.find_op(entry.get("module", "lamina.ops"), entry["class_name"])
        config = dict(entry.get("config") or {})
        self.name = config.pop("name", entry["name"])
        self.extra = config
        self.operation = None

    @property
    def _inbound_nodes(self):
        return self.operation._inbound_nodes if self.operation is not None else []

    def __call__(self, *args, **kwargs):
        if self.operation is None:
            self.operation = FunctionOperation(self.function, self.function.shape_rule)
            self.operation.name = self.name
        return self.operation.symbolic_call(*args, **kwargs, **self.extra)


def functional_from_config(cls, config: dict, custom_objects=None):
    """Rebuild a functional model (of class ``cls``) from ``functional_get_config``'s or Keras 3's config."""
    config = dict(config)
    entries = config.pop("layers")
    inputs_config, outputs_config = config.pop("input_layers"), config.pop("output_layers")
    name, trainable = config.pop("name", None), config.pop("trainable", True)
    created, pending = {}, {}
    for entry in entries:
        if keras_names.is_op_module(entry.get("module")):
            operation = _OpEntry(entry)
        else:
            operation = deserialize_layer(entry, custom_objects)
        created[entry["name"]] = operation
        pending[entry["name"]] = list(entry.get("inbound_nodes") or [])
    while any(pending.values()):
        progressed = False
        for entry in entries:
            queue = pending[entry["name"]]
            while queue:
                try:
                    args, kwargs = _node_call(queue[0], created)
                except _NodeNotReady:
                    break
                created[entry["name"]](*args, **kwargs)
                queue.pop(0)
                progressed = True
        if not progressed:
            stuck = sorted(name for name, queue in pending.items() if queue)
            raise ValueError(f"Functional config cannot be rebuilt: the calls of layers {stuck} read tensors "
                             "that no layer of the config produces.")

    def tensors(structure):
        if _is_location(structure):
            return _output_tensor(created, *structure)
        if isinstance(structure, dict):
            return {key: tensors(value) for key, value in structure.items()}
        return [tensors(item) for item in structure]

    return cls(inputs=tensors(inputs_config), outputs=tensors(outputs_config), name=name,
               trainable=True if trainable is None else trainable, **config)
