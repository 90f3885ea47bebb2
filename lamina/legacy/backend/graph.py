"""Running part of a lamina graph on arrays: Keras 1/2's ``K.placeholder`` and ``K.function``.

A ``K.function(inputs, outputs)`` walks back from ``outputs`` along the nodes lamina records on symbolic
tensors (``Input``s, ``layer.output``, raw op results) and stops at the tensors it is fed, so an
intermediate ``layer.input`` may be fed as well as a model's ``Input``. Each node then runs as in a
functional model (``lamina.models.functional``'s own step). The learning phase fed among the inputs is the
``training`` flag of the run. Nodes with no inputs other than ``Input``s (Variable reads, see
``variable_reads``) need no feed: they run each time.
"""

from __future__ import annotations

import contextlib
from collections import namedtuple

from lamina import backend, tree
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers import Input, call_context
from lamina.layers.core.input_layer import InputLayer
from lamina.legacy.backend.learning_phase import LEARNING_PHASE, current_phase
from lamina.legacy.backend.variable_reads import running
from lamina.models.functional import _Step, _topological_nodes

Update = namedtuple("Update", ["variable", "value", "mode"])


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None):
    """A symbolic input of ``shape`` (batch dimension included; None for unknown), or of rank ``ndim``."""
    if shape is None:
        if ndim is None:
            raise ValueError("`placeholder` needs a `shape` or an `ndim`. Received: shape=None, ndim=None")
        shape = (None,) * ndim
    return Input(batch_shape=tuple(shape), dtype=dtype or backend.floatx(), sparse=sparse or None, name=name)


def needs_feed(node) -> bool:
    """True for the node of an ``Input``: its value must be fed (a Variable read has no inputs, yet runs)."""
    return node.is_input and isinstance(node.operation, InputLayer)


def plan(outputs, fed) -> list:
    """The steps computing ``outputs`` from the tensors whose ids are in ``fed``, in running order."""
    symbolic = [t for t in outputs if isinstance(t, SymbolicTensor) and t._keras_history is not None]
    needed = {id(t) for t in symbolic}
    nodes = []
    for node in reversed(_topological_nodes(symbolic)):
        if not any(id(t) in needed and id(t) not in fed for t in node.outputs):
            continue
        if needs_feed(node):
            raise ValueError(f"You must feed a value for the input '{node.operation.name}' (shape "
                             f"{node.outputs[0].shape}): it is needed to compute the requested outputs.")
        nodes.append(node)
        needed.update(id(t) for t in node.input_tensors)
    return [_Step(node) for node in reversed(nodes)]


def run(steps, values: dict) -> dict:
    """Run ``steps`` on the table ``{id(tensor): value}``; the learning phase defaults to the current one."""
    values.setdefault(id(LEARNING_PHASE), int(current_phase()))
    for step in steps:
        step.run(values)
    return values


def read(values: dict, tensor):
    """The value of ``tensor`` in a run: looked up when symbolic, else the tensor or Variable itself."""
    return values[id(tensor)] if isinstance(tensor, SymbolicTensor) else backend.convert_to_tensor(tensor)


@contextlib.contextmanager
def training_flag(training: bool):
    """The ``training`` flag layers read while a ``K.function`` runs (the call depth is left alone, so each
    layer call still starts afresh, e.g. clearing its activity-regularization losses)."""
    saved = call_context.state.training
    call_context.state.training = training
    try:
        yield
    finally:
        call_context.state.training = saved


def _as_update(update) -> Update:
    if isinstance(update, Update):
        return update
    variable, value = update
    return Update(variable, value, "assign")


class Function:
    """Computes ``outputs`` (and applies ``updates``) from arrays fed for ``inputs``; returns NumPy arrays."""

    def __init__(self, inputs, outputs, updates=None, name=None):
        self.inputs = tree.flatten(inputs)
        self.outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        self.updates = [_as_update(u) for u in updates or []]
        self.name = name
        fed = {id(t) for t in self.inputs}
        self._steps = plan(self.outputs + [u.value for u in self.updates], fed)

    def __call__(self, inputs):
        inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(inputs) != len(self.inputs):
            raise ValueError(f"This function takes {len(self.inputs)} input(s); it received {len(inputs)}.")
        values = {}
        for tensor, value in zip(self.inputs, inputs):
            values[id(tensor)] = backend.convert_to_tensor(value, dtype=getattr(tensor, "dtype", None))
        training = current_phase() if id(LEARNING_PHASE) not in values else bool(
            backend.convert_to_numpy(values[id(LEARNING_PHASE)]))
        with training_flag(training), running(), backend.engine.step.no_grad():
            run(self._steps, values)
            results = [backend.convert_to_numpy(read(values, t)) for t in self.outputs]
            for update in self.updates:
                getattr(update.variable, update.mode)(read(values, update.value))
        return results


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """Keras 1/2's ``K.function``: a callable taking a list of arrays, one per input, and returning the list of
    ``outputs`` as NumPy arrays. ``updates`` are ``(variable, new_value)`` pairs (or ``K.update*`` results)
    applied after each call."""
    if kwargs:
        raise TypeError(f"Invalid keyword argument(s) for `function`: {sorted(kwargs)}")
    return Function(inputs, outputs, updates=updates, name=name)


def update(x, new_x) -> Update:
    """Set ``x`` to ``new_x`` when the ``K.function`` given this update runs."""
    return Update(x, new_x, "assign")


def update_add(x, increment) -> Update:
    return Update(x, increment, "assign_add")


def update_sub(x, decrement) -> Update:
    return Update(x, decrement, "assign_sub")


__all__ = ["placeholder", "function", "Function", "update", "update_add", "update_sub"]
