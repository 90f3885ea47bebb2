"""Keras 1/2's ``keras.preprocessing.sequence``: ``pad_sequences`` is lamina's, with the same signature."""

from lamina.utils import pad_sequences

__all__ = ["pad_sequences"]
