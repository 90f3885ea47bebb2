"""The word-index encoding shared by IMDB and Reuters, as Keras applies it to the stored sequences.

Each stored word is a frequency rank (1 = most frequent). Loading shifts every rank by ``index_from``, puts
``start_char`` in front, drops sequences of ``maxlen`` or more words, and replaces ranks outside
``[skip_top, num_words)`` by ``oov_char`` (or drops them when ``oov_char`` is None). Without ``num_words`` the
bound is the largest index present, which (as in Keras) itself falls outside the range. Done on flat arrays.
"""

from __future__ import annotations

import json

import numpy as np

from lamina.datasets._fetch import fetch


def _object_array(parts: list) -> np.ndarray:
    result = np.empty(len(parts), dtype=object)
    result[:] = [part.tolist() for part in parts]
    return result


def encode(sequences, labels: np.ndarray, num_words, skip_top, maxlen, start_char, oov_char, index_from):
    """``(sequences, labels, kept)``: the sequences kept, encoded as described above (an object array of lists
    of ints), their labels, and a boolean mask of the input sequences kept."""
    lengths = np.fromiter((len(s) for s in sequences), dtype="int64", count=len(sequences))
    flat = np.concatenate([np.asarray(s, dtype="int64") for s in sequences] + [np.zeros(0, "int64")])
    if start_char is not None or index_from:
        flat = flat + index_from
    if start_char is not None:
        flat = np.insert(flat, np.cumsum(lengths) - lengths, start_char)
        lengths = lengths + 1
    kept = lengths < maxlen if maxlen else np.ones(len(lengths), dtype=bool)
    if maxlen:
        flat, lengths, labels = flat[np.repeat(kept, lengths)], lengths[kept], labels[kept]
    if not num_words:
        num_words = int(flat.max()) if flat.size else 0
    inside = (flat >= skip_top) & (flat < num_words)
    if oov_char is not None:
        flat = np.where(inside, flat, oov_char)
    else:
        lengths = np.bincount(np.repeat(np.arange(len(lengths)), lengths), weights=inside,
                              minlength=len(lengths)).astype("int64")
        flat = flat[inside]
    return _object_array(np.split(flat, np.cumsum(lengths)[:-1])), labels, kept


def load_word_index(remote_name: str, path: str) -> dict:
    """The ``{word: rank}`` dictionary of a word-index JSON file."""
    with open(fetch(remote_name, path), encoding="utf-8") as handle:
        return json.load(handle)
