"""Node: one call of an operation on symbolic tensors, the edge list of a functional graph."""

from __future__ import annotations

from lamina import tree
from lamina.backend.common.symbolic import KerasHistory, SymbolicTensor


class Node:
    """Links the symbolic inputs of one call to its outputs, and stamps the outputs' history."""

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=None):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.output_structure = outputs
        self.outputs = tree.flatten(outputs) if outputs is not None else []
        self.input_tensors = [
            x for x in tree.flatten((self.call_args, self.call_kwargs)) if isinstance(x, SymbolicTensor)
        ]
        node_index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is not None:
                history.operation._outbound_nodes.append(self)
        for tensor_index, tensor in enumerate(self.outputs):
            tensor._keras_history = KerasHistory(operation, node_index, tensor_index)

    @property
    def is_input(self) -> bool:
        """True for the node of an ``Input``: it has no inputs of its own."""
        return not self.input_tensors

    @property
    def parent_nodes(self) -> list:
        parents = []
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is not None:
                node = history.operation._inbound_nodes[history.node_index]
                if node not in parents:
                    parents.append(node)
        return parents
