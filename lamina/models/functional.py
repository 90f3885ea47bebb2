"""The functional graph: a model defined by the symbolic tensors flowing from ``Input``s to outputs.

Construction walks the nodes recorded on the output tensors back to the inputs, orders them, and
compiles a plan: for each node, the operation to call and where its arguments come from. Running the
model replays the plan on real (or new symbolic) tensors.
"""

from __future__ import annotations

import warnings

from lamina import tree
from lamina.backend.common.masking import set_mask
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.core.input_layer import InputLayer, as_input_dtype
from lamina.layers.layer import Layer
from lamina.models import functional_config
from lamina.models.model import Model


def _producer(tensor):
    history = tensor._keras_history
    if history is None:
        raise ValueError(
            f"Output tensors of a functional Model must be the outputs of lamina layers or ops. Received: {tensor}"
        )
    return history.operation._inbound_nodes[history.node_index]


def _topological_nodes(output_tensors) -> list:
    """All nodes the outputs depend on, each after the nodes it reads from."""
    ordered, state = [], {}
    for tensor in output_tensors:
        stack = [(_producer(tensor), False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                state[id(node)] = "done"
                ordered.append(node)
                continue
            if state.get(id(node)):
                continue
            state[id(node)] = "open"
            stack.append((node, True))
            for parent in reversed(node.parent_nodes):
                if not state.get(id(parent)):
                    stack.append((parent, False))
    return ordered


class _Step:
    """One node of the plan: call ``operation`` on arguments filled from the value table."""

    __slots__ = ("operation", "single_input", "args", "kwargs", "output_ids", "slots")

    def __init__(self, node):
        self.operation = node.operation
        self.output_ids = [id(t) for t in node.outputs]
        args, kwargs = node.call_args, node.call_kwargs
        if len(args) == 1 and isinstance(args[0], SymbolicTensor) and not kwargs:
            self.single_input = id(args[0])
        else:
            self.single_input = None
            self.args, self.kwargs = args, kwargs

    def run(self, values):
        if self.single_input is not None:
            outputs = self.operation(values[self.single_input])
        else:
            fill = lambda a: values[id(a)] if isinstance(a, SymbolicTensor) else a  # noqa: E731
            args = tree.map_structure(fill, list(self.args))
            kwargs = tree.map_structure(fill, dict(self.kwargs))
            outputs = self.operation(*args, **kwargs)
        if len(self.output_ids) == 1:
            values[self.output_ids[0]] = outputs if not isinstance(outputs, (list, tuple)) else outputs[0]
        else:
            for key, value in zip(self.output_ids, tree.flatten(outputs)):
                values[key] = value


class Functional(Model):
    """A model built by calling layers on ``Input`` tensors: ``Model(inputs, outputs)``."""

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        if isinstance(inputs, dict):
            for key, tensor in inputs.items():
                if isinstance(tensor, SymbolicTensor) and tensor.name != key:
                    tensor.name = key
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = tree.flatten(inputs)
        self.outputs = tree.flatten(outputs)
        for tensor in self.inputs:
            if not isinstance(tensor, SymbolicTensor) or not isinstance(
                getattr(tensor._keras_history, "operation", None), InputLayer
            ):
                raise ValueError(
                    "All `inputs` of a functional Model must come from `lamina.Input()` (or `keras.Input`). "
                    f"Received: {tensor}"
                )
        for tensor in self.outputs:
            if not isinstance(tensor, SymbolicTensor):
                raise ValueError(f"All `outputs` of a functional Model must be symbolic tensors. Received: {tensor}")
        nodes = _topological_nodes(self.outputs)
        self._check_connected(nodes)
        self._nodes = nodes
        self._plan = [_Step(node) for node in nodes if not node.is_input]
        layers = []
        for node in nodes:
            operation = node.operation
            if isinstance(operation, Layer) and all(operation is not known for known in layers):
                layers.append(operation)
        input_layers = [t._keras_history.operation for t in self.inputs]
        layers = input_layers + [layer for layer in layers if all(layer is not i for i in input_layers)]
        names = [layer.name for layer in layers]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(
                f"All layer names should be unique. Layer names {duplicates} are used more than once in model "
                f"'{self.name}'."
            )
        for layer in layers:
            self._track_layer(layer, key=layer.name)
        self.built = True
        self._update_fast_call()

    def _check_connected(self, nodes):
        known = {id(t) for t in self.inputs}
        for node in nodes:
            if node.is_input:
                if not any(id(t) in known for t in node.outputs):
                    layer = node.operation
                    raise ValueError(
                        f"Graph disconnected: cannot obtain the value of tensor {node.outputs[0]} at layer "
                        f'"{layer.name}". It is the output of an Input that was not passed in `inputs`.'
                    )
                continue
            known.update(id(t) for t in node.outputs)

    @property
    def layers(self) -> list:
        return list(self._layers)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_names(self) -> list:
        return [t._keras_history.operation.name for t in self.inputs]

    @property
    def output_names(self) -> list:
        return [t._keras_history.operation.name for t in self.outputs]

    @property
    def input_shape(self):
        return tree.map_structure(lambda t: t.shape, self._inputs_struct)

    @property
    def output_shape(self):
        return tree.map_structure(lambda t: t.shape, self._outputs_struct)

    def _flatten_call_inputs(self, inputs) -> list:
        """Match user inputs to the model's Input tensors: by name for dicts, by position otherwise."""
        struct = self._inputs_struct
        if isinstance(inputs, dict) and not (isinstance(struct, dict) and any(map(tree.is_nested, struct.values()))):
            return self._inputs_by_name(inputs)
        flat = tree.flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(
                f"Model '{self.name}' expects {len(self.inputs)} input(s), but it received {len(flat)} input "
                f"tensors. Expected input shapes: {[t.shape for t in self.inputs]}"
            )
        return flat

    def _inputs_by_name(self, inputs: dict) -> list:
        """A dict of inputs in the order of the model's inputs: by key for a dict of ``Input``s, else by the
        ``Input`` names. A missing key is an error; extra keys are ignored, with a warning for dict models
        (Keras warns that the structures differ)."""
        struct = self._inputs_struct
        names = sorted(struct) if isinstance(struct, dict) else self.input_names
        missing = [name for name in names if name not in inputs]
        if missing:
            raise ValueError(f"Model '{self.name}' is missing input(s) {missing}: it expects inputs named {names}. "
                             f"Received: inputs with keys {sorted(inputs, key=str)}")
        extra = sorted(set(inputs) - set(names), key=str)
        if extra and isinstance(struct, dict):
            warnings.warn(f"Model '{self.name}' ignores the input key(s) {extra}: it expects inputs named {names}.",
                          stacklevel=4)
        return [inputs[name] for name in names]

    def call(self, inputs, training=None, mask=None):
        flat = self._flatten_call_inputs(inputs)
        values = {}
        masks = tree.flatten(mask) if mask is not None else [None] * len(flat)
        for tensor, value, value_mask in zip(self.inputs, flat, masks):
            value = as_input_dtype(value, tensor.dtype)
            if value_mask is not None:
                set_mask(value, value_mask)
            values[id(tensor)] = value
        for step in self._plan:
            step.run(values)
        return tree.pack_sequence_as(self._outputs_struct, [values[id(t)] for t in self.outputs])

    def _convert_inputs(self, inputs):
        if isinstance(inputs, dict) and not isinstance(self._inputs_struct, dict):
            return {k: super(Functional, self)._convert_inputs(v) for k, v in inputs.items()}
        return super()._convert_inputs(inputs)

    def _maybe_build(self, args, kwargs):
        return None

    def compute_output_spec(self, inputs, training=None, mask=None):
        return self.call(inputs, training=training, mask=mask)

    def get_config(self) -> dict:
        """The graph in Keras 3's functional config format (see ``lamina.models.functional_config``)."""
        return functional_config.functional_get_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        return functional_config.functional_from_config(cls, config, custom_objects)
