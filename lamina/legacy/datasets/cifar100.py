"""Keras 1/2's ``keras.datasets.cifar100``: lamina's loader."""

from lamina.datasets.cifar100 import load_data

__all__ = ["load_data"]
