"""Keras 1/2's ``keras.datasets.imdb``: lamina's loader, also taking Keras 1's ``nb_words``."""

from lamina.datasets import imdb as _modern
from lamina.datasets.imdb import get_word_index
from lamina.legacy.datasets.word_limit import load_with_word_limit


def load_data(*args, **kwargs):
    """lamina's ``imdb.load_data`` (same arguments); Keras 1's ``nb_words`` is ``num_words``."""
    return load_with_word_limit(_modern, *args, **kwargs)


__all__ = ["load_data", "get_word_index"]
