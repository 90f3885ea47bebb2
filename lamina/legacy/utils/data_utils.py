"""Keras 1/2's ``keras.utils.data_utils``: ``get_file``, lamina's own."""

from lamina.utils import get_file

__all__ = ["get_file"]
