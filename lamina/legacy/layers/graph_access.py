"""Keras 0.3/1 graph access on a layer: ``get_output(train)``, ``get_input(train)``, ``previous``, ``set_previous``.

In Keras 0.3 a layer in a ``Sequential`` knew its predecessor and handed out its symbolic output; in lamina that
output is the layer's ``output`` in the functional graph its model built. The ``train`` flag is not baked into
the tensor: ``K.function`` takes it at run time, fed through ``K.learning_phase()``.

The functions work on any lamina layer (a legacy model can call them on modern layers); ``Keras1LayerAPI``
makes them methods of every ``lamina.legacy`` layer.
"""

from __future__ import annotations

_WIRED = "_keras1_wiring"  # (previous layer, input, output) set by ``set_previous``, kept out of tracking


def _wiring(layer):
    return layer.__dict__.get(_WIRED)


def get_output(layer, train: bool = False):
    """The layer's symbolic output: from ``set_previous``'s wiring, else from the graph it was added to."""
    wiring = _wiring(layer)
    return wiring[2] if wiring is not None else layer.output


def get_input(layer, train: bool = False):
    """The layer's symbolic input (see ``get_output``)."""
    wiring = _wiring(layer)
    return wiring[1] if wiring is not None else layer.input


def previous(layer):
    """The layer whose output feeds this one: set by ``set_previous``, else read from the graph (None for the
    first layer of a model)."""
    wiring = _wiring(layer)
    if wiring is not None:
        return wiring[0]
    if not layer._inbound_nodes:
        return None
    history = getattr(layer.input, "_keras_history", None)
    producer = history.operation if history is not None else None
    return None if producer is None or type(producer).__name__ == "InputLayer" else producer


def set_previous(layer, previous_layer) -> None:
    """Feed ``previous_layer``'s symbolic output into ``layer`` (Keras 0.3's way of chaining layers)."""
    inputs = get_output(previous_layer)
    object.__setattr__(layer, _WIRED, (previous_layer, inputs, layer(inputs)))


class Keras1LayerAPI:
    """Mixin giving a layer the Keras 0.3/1 graph-access methods of this module."""

    def get_output(self, train: bool = False):
        return get_output(self, train)

    def get_input(self, train: bool = False):
        return get_input(self, train)

    @property
    def previous(self):
        return previous(self)

    def set_previous(self, layer) -> None:
        set_previous(self, layer)
