"""Reuters newswires: 11,228 newswires labelled with one of 46 topics, each a sequence of word indices (by
frequency rank)."""

from __future__ import annotations

import numpy as np

from lamina.datasets._arrays import load_npz
from lamina.datasets._fetch import fetch
from lamina.datasets._sequences import encode, load_word_index

_TOPICS = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee", "sugar",
    "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp",
    "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi", "iron-steel",
    "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog",
    "lead",
)


def load_data(path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0,
              maxlen: int | None = None, test_split: float = 0.2, seed: int = 113, start_char: int | None = 1,
              oov_char: int | None = 2, index_from: int = 3):
    """Load the Reuters newswires (downloaded once into ``LAMINA_HOME/datasets``, or read from
    ``LAMINA_DATASETS``), shuffled with ``seed`` and split into training and test parts.

    Args:
        path: the file's name in the cache.
        num_words: keep the ``num_words`` most frequent words (indices below ``num_words``); others become
            ``oov_char``. None: keep all.
        skip_top: also treat the indices below ``skip_top`` as out of vocabulary.
        maxlen: drop newswires of ``maxlen`` words or more (start mark included).
        test_split: the fraction of the newswires in the test part.
        seed: the shuffle's seed.
        start_char: the index put at the start of every newswire (None: none).
        oov_char: the index of out-of-vocabulary words (None: drop them).
        index_from: the offset added to every word's rank.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints, and int topic labels 0-45
        (names in ``get_label_names()``).
    """
    arrays = load_npz(fetch("reuters.npz", path))
    order = np.arange(len(arrays["x"]))
    np.random.RandomState(seed).shuffle(order)
    xs, labels, _ = encode(list(arrays["x"][order]), arrays["y"][order], num_words, skip_top, maxlen, start_char,
                           oov_char, index_from)
    cut = int(len(xs) * (1 - test_split))
    return (xs[:cut], labels[:cut]), (xs[cut:], labels[cut:])


def get_word_index(path: str = "reuters_word_index.json") -> dict:
    """The ``{word: rank}`` index of the Reuters words (add ``index_from`` to match ``load_data``'s indices)."""
    return load_word_index("reuters_word_index.json", path)


def get_label_names() -> tuple:
    """The 46 topic names, by label."""
    return _TOPICS
