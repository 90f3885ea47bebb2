"""Keras 1/2's ``keras.datasets.cifar10``: lamina's loader."""

from lamina.datasets.cifar10 import load_data

__all__ = ["load_data"]
