"""Activation layers: Activation, ..."""

from lamina.layers.activations.activation import Activation

__all__ = [
    "Activation",
]
