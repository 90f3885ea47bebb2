"""Keras 1/2's ``keras.datasets.boston_housing``: lamina's loader."""

from lamina.datasets.boston_housing import load_data

__all__ = ["load_data"]
