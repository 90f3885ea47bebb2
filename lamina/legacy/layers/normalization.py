"""``keras.layers.normalization`` of Keras 1/2: ``BatchNormalization`` taking ``beta_init``/``gamma_init`` and
``mode=0`` (Keras 1's other modes have no Keras 3 counterpart)."""

from __future__ import annotations

from lamina import layers as _modern
from lamina.legacy.layers.translated import legacy_layer

BatchNormalization = legacy_layer("BatchNormalization", _modern.BatchNormalization, __name__)

__all__ = ["BatchNormalization"]
