"""Boston housing prices: 506 Boston suburbs of the 1970s, 13 features each, the median home value (k$).

The data set carries an ethical problem: one of its features encodes the share of Black residents. Keras
keeps it for compatibility; prefer ``california_housing`` for new work.
"""

from __future__ import annotations

import numpy as np

from lamina.datasets._fetch import fetch
from lamina.datasets._tables import check_test_split, shuffled_split


def load_data(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113):
    """Load Boston housing (downloaded once into ``LAMINA_HOME/datasets``, or read from ``LAMINA_DATASETS``).

    Args:
        path: the file's name in the cache.
        test_split: the fraction of the rows in the test part.
        seed: the seed of the shuffle before the split.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float64 features ``(n, 13)`` and targets ``(n,)``; 404 training
        and 102 test rows with the defaults.
    """
    check_test_split(test_split)
    with np.load(fetch("boston_housing.npz", path), allow_pickle=False) as arrays:
        x, y = arrays["x"], arrays["y"]
    return shuffled_split(x, y, test_split, seed)
