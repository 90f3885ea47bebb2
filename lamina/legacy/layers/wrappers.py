"""``keras.layers.wrappers`` of Keras 1/2: ``TimeDistributed`` and ``Bidirectional``."""

from __future__ import annotations

from lamina import layers as _modern
from lamina.legacy.layers.translated import legacy_layer

TimeDistributed = legacy_layer("TimeDistributed", _modern.TimeDistributed, __name__)
Bidirectional = legacy_layer("Bidirectional", _modern.Bidirectional, __name__)

__all__ = ["TimeDistributed", "Bidirectional"]
