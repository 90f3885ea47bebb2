"""TextVectorization: raw strings to token indices or token-count vectors, with no TensorFlow.

The text work (standardize, split, n-grams, vocabulary lookup) runs on the host in Python/NumPy; the result
goes to the engine as one tensor. Keras 3's arguments, defaults and config; the vocabulary machinery and its
``.keras`` asset are ``IndexLookup``'s (mask token ``""`` at index 0, OOV ``"[UNK]"`` at index 1).
"""

from __future__ import annotations

import string

import numpy as np

from lamina import serialization
from lamina.layers.preprocessing.host_layer import to_host
from lamina.layers.preprocessing.index_lookup import IndexLookup

STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT = ("whitespace", "character")
# Keras lowers ASCII letters only (``tf.strings.lower``) and strips ASCII punctuation.
_LOWER = {ord(c): ord(c.lower()) for c in string.ascii_uppercase}
_STRIP = dict.fromkeys(map(ord, string.punctuation))
_TABLES = {"lower": _LOWER, "strip_punctuation": _STRIP, "lower_and_strip_punctuation": {**_LOWER, **_STRIP}}


def _check_choice(value, allowed, argument: str, layer: str) -> None:
    if value is None or callable(value) or value in allowed:
        return
    raise ValueError(f"Invalid value for argument `{argument}` of {layer}. Expected one of {list(allowed)}, None "
                     f"or a callable. Received: {argument}={value!r}")


def ngrams_of(tokens: list, widths: tuple) -> list:
    """Every n-gram of ``tokens`` for each width in ``widths``, in that order, joined by a space."""
    out = []
    for width in widths:
        out.extend(tokens if width == 1 else
                   [" ".join(tokens[i:i + width]) for i in range(len(tokens) - width + 1)])
    return out


class TextVectorization(IndexLookup):
    """Turn strings into sequences of token indices (``output_mode="int"``) or into one vector per string
    (``multi_hot``, ``count``, ``tf_idf``), as Keras' ``TextVectorization``. ``standardize`` and ``split``
    take Keras' names, None or a callable (given a NumPy array of strings; it returns an array of strings,
    or for ``split`` one list of tokens per string). ``adapt`` learns the vocabulary on the host.

    Example:
        >>> layer = TextVectorization(output_sequence_length=4)
        >>> layer.adapt(["the cat sat", "the dog"])
        >>> layer.get_vocabulary()
        ['', '[UNK]', 'the', 'sat', 'dog', 'cat']
        >>> np.asarray(layer(["The cat, the bird!"])).tolist()
        [[2, 5, 2, 1]]
    """

    # Keras keeps the vocabulary in an inner StringLookup; its files hold the state at that path too.
    _state_copies = ("_lookup_layer",)

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace",
                 ngrams=None, output_mode="int", output_sequence_length=None, pad_to_max_tokens=False,
                 vocabulary=None, idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        layer = type(self).__name__
        _check_choice(standardize, STANDARDIZE, "standardize", layer)
        _check_choice(split, SPLIT, "split", layer)
        if not (ngrams is None or isinstance(ngrams, int)
                or isinstance(ngrams, (tuple, list)) and all(isinstance(n, int) for n in ngrams)):
            raise ValueError(f"`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams={ngrams}")
        mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if mode == "int" and not (output_sequence_length is None or isinstance(output_sequence_length, int)):
            raise ValueError("`output_sequence_length` must be either None or an integer when `output_mode` is "
                             f"'int'. Received: output_sequence_length={output_sequence_length}")
        if mode != "int" and output_sequence_length is not None:
            raise ValueError("`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                             f"Received output_sequence_length={output_sequence_length}.")
        if ragged:
            raise ValueError(f"`ragged=True` is not supported by {layer} in lamina (no ragged tensors on its "
                             "engines). Received: ragged=True")
        for key in ("num_oov_indices", "mask_token", "oov_token", "invert", "vocabulary_dtype"):
            kwargs.pop(key, None)
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = tuple(ngrams) if isinstance(ngrams, list) else ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else self._ngrams_arg
        self._output_sequence_length = output_sequence_length
        self._ragged = ragged
        self._encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=1, mask_token="", oov_token="[UNK]",
                         vocabulary=vocabulary, idf_weights=idf_weights, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, vocabulary_dtype="string", name=name, **kwargs)

    # -- text to tokens ----------------------------------------------------------------------------
    def _strings(self, inputs) -> np.ndarray:
        """The input strings as a 1-D object array (a trailing axis of size 1 is dropped)."""
        array = to_host(inputs)
        if array.ndim > 1:
            if array.shape[-1] != 1 and self._split is not None:
                raise ValueError(f"When using `{type(self).__name__}` to tokenize strings, the input rank must be "
                                 f"1 or the last shape dimension must be 1. Received: inputs.shape={array.shape}")
            array = array.reshape(array.shape[:-1]) if self._split is not None else array
        return array.reshape(-1).astype(object) if self._split is not None else array.astype(object)

    def standardize_texts(self, texts: list) -> list:
        """``texts`` after ``standardize``."""
        standardize = self._standardize
        if standardize is None:
            return texts
        if callable(standardize):
            return [str(t) for t in np.asarray(standardize(np.asarray(texts, dtype=object))).reshape(-1).tolist()]
        table = _TABLES[standardize]
        return [t.translate(table) for t in texts]

    def split_texts(self, texts: list) -> list:
        """One list of tokens per text."""
        split = self._split
        if split == "whitespace":
            rows = [t.split() for t in texts]
        elif split == "character":
            rows = [list(t) for t in texts]
        elif split is None:
            rows = [[t] for t in texts]
        else:
            rows = [[str(token) for token in row] for row in split(np.asarray(texts, dtype=object))]
        if self._ngrams is not None:
            rows = [ngrams_of(row, self._ngrams) for row in rows]
        return rows

    def _token_rows(self, batch) -> list:
        if self._split is None:
            return [[t] for t in self.standardize_texts(to_host(batch).reshape(-1).tolist())]
        return self.split_texts(self.standardize_texts(self._strings(batch).tolist()))

    # -- tokens to numbers -------------------------------------------------------------------------
    def fit_length(self, rows: list, length: int) -> np.ndarray:
        """Rows of indices in a ``(len(rows), length)`` array, cut and padded with 0 after the tokens (Keras)."""
        out = np.zeros((len(rows), length), dtype="int64")
        for i, row in enumerate(rows):
            row = row[:length]
            out[i, :len(row)] = row
        return out

    def host_call(self, array: np.ndarray) -> np.ndarray:
        self._check_vocabulary_known()
        if self._split is None:
            texts = self.standardize_texts(array.reshape(-1).tolist())
            indices = self.lookup_flat(texts).reshape(array.shape)
            return self.encode(indices)
        rows = self._token_rows(array)
        lengths = np.fromiter((len(r) for r in rows), dtype="int64", count=len(rows))
        flat = self.lookup_flat([token for row in rows for token in row])
        pieces = np.split(flat, np.cumsum(lengths)[:-1]) if len(rows) else []
        if self.output_mode == "int":
            length = self._output_sequence_length
            if length is None:
                length = int(lengths.max()) if len(lengths) else 0
            return self.fit_length([p.tolist() for p in pieces], length)
        padded = np.full((len(rows), max(int(lengths.max()) if len(rows) else 0, 1)), -1, dtype="int64")
        for i, piece in enumerate(pieces):
            padded[i, :len(piece)] = piece
        return self.encode(padded)

    def compute_output_shape(self, input_shape):
        batch = tuple(input_shape)[:1] or (None,)
        if self.output_mode == "int":
            if self._split is None:
                return tuple(input_shape)
            return batch + (self._output_sequence_length,)
        return batch + (self._depth() if self._tokens or self.pad_to_max_tokens else None,)

    # -- config ------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        base = super(IndexLookup, self).get_config()
        base.update({
            "max_tokens": self.max_tokens,
            "standardize": serialization.serialize(self._standardize) if callable(self._standardize)
            else self._standardize,
            "split": serialization.serialize(self._split) if callable(self._split) else self._split,
            "ngrams": self._ngrams_arg,
            "output_mode": self.output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "sparse": self.sparse,
            "ragged": self._ragged,
            "vocabulary": self.input_vocabulary,
            "idf_weights": self.input_idf_weights,
            "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size(),
        })
        return base

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                config[key] = serialization.deserialize(config[key], custom_objects=custom_objects)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)
