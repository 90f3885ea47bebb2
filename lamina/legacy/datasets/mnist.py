"""Keras 1/2's ``keras.datasets.mnist``: lamina's loader."""

from lamina.datasets.mnist import load_data

__all__ = ["load_data"]
