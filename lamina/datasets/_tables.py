"""The shuffled training/test split of the tabular regression sets (Boston and California housing)."""

from __future__ import annotations

import numpy as np


def check_test_split(test_split: float) -> None:
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be between 0 and 1 (exclusive of 1).")


def shuffled_split(x: np.ndarray, y: np.ndarray, test_split: float, seed: int):
    """``(x_train, y_train), (x_test, y_test)``: the rows shuffled with ``RandomState(seed)``, the last
    ``test_split`` of them for testing."""
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])
