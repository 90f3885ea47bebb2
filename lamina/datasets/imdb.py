"""IMDB movie reviews: 25,000 training and 25,000 test reviews labelled positive (1) or negative (0), each a
sequence of word indices (by frequency rank)."""

from __future__ import annotations

import numpy as np

from lamina.datasets._arrays import load_npz
from lamina.datasets._fetch import fetch
from lamina.datasets._sequences import encode, load_word_index


def load_data(path: str = "imdb.npz", num_words: int | None = None, skip_top: int = 0, maxlen: int | None = None,
              seed: int = 113, start_char: int | None = 1, oov_char: int | None = 2, index_from: int = 3,
              **kwargs):
    """Load the IMDB reviews (downloaded once into ``LAMINA_HOME/datasets``, or read from ``LAMINA_DATASETS``).

    Args:
        path: the file's name in the cache.
        num_words: keep the ``num_words`` most frequent words (indices below ``num_words``); others become
            ``oov_char``. None: keep all.
        skip_top: also treat the indices below ``skip_top`` as out of vocabulary.
        maxlen: drop reviews of ``maxlen`` words or more (start mark included).
        seed: the seed of the shuffle of each split.
        start_char: the index put at the start of every review (None: none).
        oov_char: the index of out-of-vocabulary words (None: drop them).
        index_from: the offset added to every word's rank (ranks start at 1, so 3 keeps 0-3 free).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints, and int labels (0 or 1).
    """
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
    arrays = load_npz(fetch("imdb.npz", path))
    rng = np.random.RandomState(seed)
    splits = []
    for x_key, y_key in (("x_train", "y_train"), ("x_test", "y_test")):
        order = np.arange(len(arrays[x_key]))
        rng.shuffle(order)
        splits.append((arrays[x_key][order], arrays[y_key][order]))
    xs, labels, kept = encode(list(splits[0][0]) + list(splits[1][0]), np.concatenate([y for _, y in splits]),
                              num_words, skip_top, maxlen, start_char, oov_char, index_from)
    num_train = int(kept[:len(splits[0][0])].sum())
    if maxlen and (num_train == 0 or num_train == len(xs)):
        raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. "
                         "Increase maxlen.")
    return (xs[:num_train], labels[:num_train]), (xs[num_train:], labels[num_train:])


def get_word_index(path: str = "imdb_word_index.json") -> dict:
    """The ``{word: rank}`` index of the IMDB words (rank 1 is the most frequent; add ``index_from`` to match
    ``load_data``'s indices)."""
    return load_word_index("imdb_word_index.json", path)
