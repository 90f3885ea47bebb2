"""``K.gradients``: symbolic gradients of a graph's loss, computed by the engine when a ``K.function`` runs.

``gradients(loss, variables)`` returns one symbolic tensor per variable (a lamina ``Variable`` such as a
layer weight, or a symbolic tensor such as ``model.input`` or a hidden layer's output). They come from one
graph operation whose inputs are the graph inputs the loss depends on; running it recomputes the loss from
them and differentiates its sum (as ``tf.gradients`` does) through the engine's autograd. A tensor target
gets a zero added to its value: the gradient with respect to that zero is the gradient with respect to the
tensor, while the Variables' gradients still flow through it.
"""

from __future__ import annotations

import importlib

from lamina import backend, ops
from lamina.backend.common import naming
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.legacy.backend import graph
from lamina.legacy.backend.variable_reads import over_variables
from lamina.models.functional import _topological_nodes
from lamina.ops.operation import Operation

_engine_gradients = importlib.import_module(f"{backend.engine.__name__}.gradients")


def _graph_inputs(tensor) -> list:
    """The inputs (``Input``s and the learning phase) that ``tensor`` is computed from; Variable reads are not
    among them: the gradient's run reads them anew, so the engine differentiates through them."""
    leaves = []
    for node in _topological_nodes([tensor]):
        fed = graph.needs_feed(node)
        for candidate in node.outputs if fed else node.input_tensors:
            if (fed or candidate._keras_history is None) and all(candidate is not t for t in leaves):
                leaves.append(candidate)
    return leaves


class Gradients(Operation):
    """The graph operation behind ``K.gradients``: from the loss's graph inputs to one gradient per target."""

    def __init__(self, loss, targets):
        self._init_operation(naming.uniquify("gradients"))
        self.loss = loss
        self.targets = targets
        self.leaves = _graph_inputs(loss)
        self.tensor_targets = [t for t in targets if isinstance(t, SymbolicTensor)]
        self.variables = [t for t in targets if not isinstance(t, SymbolicTensor)]
        known = {id(t) for t in self.leaves}
        self._target_steps = graph.plan(self.tensor_targets, known)
        known |= {id(t) for t in self.tensor_targets} | {i for step in self._target_steps for i in step.output_ids}
        self._loss_steps = graph.plan([loss], known)

    def compute_output_spec(self, leaves):
        return [SymbolicTensor(t.shape, t.dtype) for t in self.targets]

    def __call__(self, leaf_values):
        feeds = {id(t): v for t, v in zip(self.leaves, leaf_values)}

        def loss_of(*zeros):
            values = graph.run(self._target_steps, dict(feeds))
            values.update((id(t), ops.add(graph.read(values, t), zero)) for t, zero in zip(self.tensor_targets, zeros))
            return graph.read(graph.run(self._loss_steps, values), self.loss)

        first_pass = graph.run(self._target_steps, dict(feeds))  # the targets' run-time shapes
        zeros = [ops.zeros_like(graph.read(first_pass, t)) for t in self.tensor_targets]
        _, variable_grads, tensor_grads = _engine_gradients.value_and_gradients(loss_of, self.variables, zeros)
        by_target = {id(t): g for t, g in zip(self.variables + self.tensor_targets, variable_grads + tensor_grads)}
        return [by_target[id(t)] for t in self.targets]


def gradients(loss, variables):
    """Symbolic gradients of ``loss`` (summed if not a scalar) with respect to each of ``variables``."""
    targets = list(variables) if isinstance(variables, (list, tuple)) else [variables]
    if not isinstance(loss, SymbolicTensor):
        raise ValueError("`gradients` needs a symbolic `loss` (computed from model or placeholder tensors), as "
                         f"in Keras 1/2. Received: {type(loss).__name__}")
    operation = Gradients(loss, targets)
    return operation.symbolic_call(operation.leaves)


@over_variables
def stop_gradient(variables):
    """``variables`` (a tensor or a list) with no gradient flowing back through them."""
    if isinstance(variables, (list, tuple)):
        return [ops.stop_gradient(v) for v in variables]
    return ops.stop_gradient(variables)


__all__ = ["gradients", "stop_gradient"]
