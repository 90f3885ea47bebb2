"""Keras 0.3/1 graph access on a layer: ``get_output(train)``, ``get_input(train)``, ``previous``, ``set_previous``.

In Keras 0.3 a layer in a ``Sequential`` knew its predecessor and handed out its symbolic output; in lamina that
output is the layer's ``output`` in the functional graph its model built. The ``train`` flag is not baked into
the tensor: ``K.function`` takes it at run time, fed through ``K.learning_phase()``.

lamina's ``Sequential`` calls its layers again each time one is added, so a layer holds several nodes and
lamina's ``layer.output`` (Keras 3's) is that of the first. Keras 1's ``Sequential`` called each layer once: its
``layer.output`` is the one the model's output depends on. ``mark_current_nodes`` records that node on each
layer of a legacy ``Sequential``'s graph, and the functions here (and ``.input``/``.output`` of legacy layers)
read it, so one ``K.function`` over several layers' outputs runs each layer once.

The functions work on any lamina layer (a legacy model can call them on modern layers); ``Keras1LayerAPI``
makes them methods of every ``lamina.legacy`` layer, whose calls run with ``K`` computing at once on Variables
(see ``lamina.legacy.backend.variable_reads``): a layer call runs, it does not build a graph of ``K`` calls.
"""

from __future__ import annotations

from lamina.legacy.backend.variable_reads import running
from lamina.models import Model

_WIRED = "_keras1_wiring"  # (previous layer, input, output) set by ``set_previous``, kept out of tracking
_CURRENT = "_keras1_current_node"  # the layer's node in the graph of the legacy Sequential last built with it


def _wiring(layer):
    return layer.__dict__.get(_WIRED)


class MarksCurrentNodes:
    """Mixed into a Sequential: after each (re)build of its graph, each layer's ``output`` is its node in it."""

    def _build_graph(self, inputs):
        super()._build_graph(inputs)
        mark_current_nodes(self._graph._nodes)


def mark_current_nodes(nodes) -> None:
    """Record on each layer (not nested models, whose ``output`` is their own) its node among ``nodes``."""
    for node in nodes:
        if not node.is_input and not isinstance(node.operation, Model):
            object.__setattr__(node.operation, _CURRENT, node)


def current_node(layer):
    """The layer's node in its legacy Sequential's graph, else None."""
    return layer.__dict__.get(_CURRENT)


def _node_output(node):
    return node.output_structure


def _node_input(node):
    return node.call_args[0] if node.call_args else None


def get_output(layer, train: bool = False):
    """The layer's symbolic output: from ``set_previous``'s wiring, else from the graph it was added to."""
    wiring = _wiring(layer)
    if wiring is not None:
        return wiring[2]
    node = current_node(layer)
    return _node_output(node) if node is not None else layer.output


def get_input(layer, train: bool = False):
    """The layer's symbolic input (see ``get_output``)."""
    wiring = _wiring(layer)
    if wiring is not None:
        return wiring[1]
    node = current_node(layer)
    return _node_input(node) if node is not None else layer.input


def previous(layer):
    """The layer whose output feeds this one: set by ``set_previous``, else read from the graph (None for the
    first layer of a model)."""
    wiring = _wiring(layer)
    if wiring is not None:
        return wiring[0]
    if not layer._inbound_nodes:
        return None
    history = getattr(get_input(layer), "_keras_history", None)
    producer = history.operation if history is not None else None
    return None if producer is None or type(producer).__name__ == "InputLayer" else producer


def set_previous(layer, previous_layer) -> None:
    """Feed ``previous_layer``'s symbolic output into ``layer`` (Keras 0.3's way of chaining layers)."""
    inputs = get_output(previous_layer)
    object.__setattr__(layer, _WIRED, (previous_layer, inputs, layer(inputs)))


class Keras1LayerAPI:
    """Mixin giving a layer the Keras 0.3/1 graph-access methods of this module, Keras 1's ``.input`` and
    ``.output`` (in its legacy Sequential's current graph), and calls that run ``K`` at once on Variables."""

    def __call__(self, *args, **kwargs):
        with running():
            return super().__call__(*args, **kwargs)

    @property
    def input(self):
        node = current_node(self)
        return _node_input(node) if node is not None else super().input

    @property
    def output(self):
        node = current_node(self)
        return _node_output(node) if node is not None else super().output

    def get_output(self, train: bool = False):
        return get_output(self, train)

    def get_input(self, train: bool = False):
        return get_input(self, train)

    @property
    def previous(self):
        return previous(self)

    def set_previous(self, layer) -> None:
        set_previous(self, layer)
