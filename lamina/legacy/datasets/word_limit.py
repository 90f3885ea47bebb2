"""Keras 1's ``nb_words`` argument of the word-sequence datasets, read as ``num_words``."""

from __future__ import annotations

from lamina.legacy.deprecation import warn_old_spelling


def load_with_word_limit(module, *args, **kwargs):
    """``module.load_data(*args, **kwargs)`` with ``nb_words=`` passed as ``num_words=`` (warning once)."""
    if "nb_words" in kwargs:
        warn_old_spelling("load_data(nb_words=...)", "load_data(num_words=...)", stacklevel=4)
        kwargs["num_words"] = kwargs.pop("nb_words")
    return module.load_data(*args, **kwargs)
