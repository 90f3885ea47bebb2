"""Keras 1/2's ``keras.preprocessing``: ``sequence`` (``pad_sequences``) and ``text`` (``Tokenizer``)."""

from lamina.legacy.preprocessing import sequence, text

__all__ = ["sequence", "text"]
