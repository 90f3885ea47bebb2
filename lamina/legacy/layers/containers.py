"""Keras 0.3's ``keras.layers.containers``: ``Sequential``, a stack of layers used as one layer (an
``AutoEncoder``'s encoder, a ``Merge`` branch)."""

from __future__ import annotations

from lamina import models
from lamina.legacy.deprecation import warn_old_spelling
from lamina.legacy.layers.graph_access import Keras1LayerAPI, MarksCurrentNodes


class Sequential(MarksCurrentNodes, Keras1LayerAPI, models.Sequential):
    """A modern ``Sequential`` (usable as a layer), with the Keras 0.3 graph-access methods; each layer's
    ``output`` is its node in the container's current graph."""

    def __init__(self, layers=None, name=None, **kwargs):
        warn_old_spelling("containers.Sequential", "Sequential")
        super().__init__(layers=layers, name=name, **kwargs)


__all__ = ["Sequential"]
