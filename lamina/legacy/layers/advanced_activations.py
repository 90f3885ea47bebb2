"""``keras.layers.advanced_activations`` of Keras 1/2: ``LeakyReLU(alpha)``, ``PReLU(init)``, ``ELU``,
``ThresholdedReLU``, and Keras 1's ``SReLU`` (Keras 3 has none)."""

from __future__ import annotations

from lamina import layers as _modern
from lamina.legacy.layers.srelu import SReLU
from lamina.legacy.layers.translated import legacy_layer

LeakyReLU = legacy_layer("LeakyReLU", _modern.LeakyReLU, __name__)
PReLU = legacy_layer("PReLU", _modern.PReLU, __name__)
ELU = legacy_layer("ELU", _modern.ELU, __name__)
ThresholdedReLU = legacy_layer("ThresholdedReLU", _modern.ThresholdedReLU, __name__)

__all__ = ["SReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU"]
