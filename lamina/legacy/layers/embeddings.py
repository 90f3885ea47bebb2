"""``keras.layers.embeddings`` of Keras 1/2: ``Embedding`` taking ``init``, ``W_regularizer``, ``input_length``."""

from __future__ import annotations

from lamina import layers as _modern
from lamina.legacy.layers.translated import legacy_layer

Embedding = legacy_layer("Embedding", _modern.Embedding, __name__)

__all__ = ["Embedding"]
