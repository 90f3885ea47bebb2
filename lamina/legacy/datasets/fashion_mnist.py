"""Keras 1/2's ``keras.datasets.fashion_mnist``: lamina's loader."""

from lamina.datasets.fashion_mnist import load_data

__all__ = ["load_data"]
