"""California housing prices: 20,640 census block groups of the 1990 census, 8 features each, the median
house value (dollars)."""

from __future__ import annotations

import numpy as np

from lamina.datasets._fetch import fetch
from lamina.datasets._tables import check_test_split, shuffled_split


def load_data(version: str = "large", path: str = "california_housing.npz", test_split: float = 0.2,
              seed: int = 113):
    """Load California housing (downloaded once into ``LAMINA_HOME/datasets``, or read from
    ``LAMINA_DATASETS``).

    Args:
        version: ``"large"`` (all 20,640 rows) or ``"small"`` (the first 600).
        path: the file's name in the cache.
        test_split: the fraction of the rows in the test part.
        seed: the seed of the shuffle before the split.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float features ``(n, 8)`` and targets ``(n,)`` (house
        values in dollars, about 25,000 to 500,000).
    """
    check_test_split(test_split)
    if version not in ("large", "small"):
        raise ValueError(f"Argument `version` must be one of 'small', 'large'. Received: version={version}")
    with np.load(fetch("california_housing.npz", path), allow_pickle=False) as arrays:
        x, y = arrays["x"], arrays["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return shuffled_split(x, y, test_split, seed)
