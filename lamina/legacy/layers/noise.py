"""``keras.layers.noise`` of Keras 1/2: ``GaussianNoise(sigma)``, ``GaussianDropout(p)``."""

from __future__ import annotations

from lamina import layers as _modern
from lamina.legacy.layers.translated import legacy_layer

GaussianNoise = legacy_layer("GaussianNoise", _modern.GaussianNoise, __name__)
GaussianDropout = legacy_layer("GaussianDropout", _modern.GaussianDropout, __name__)

__all__ = ["GaussianNoise", "GaussianDropout"]
