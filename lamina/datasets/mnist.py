"""MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28 grey pixels, labels 0-9."""

from __future__ import annotations

import numpy as np

from lamina.datasets._fetch import fetch


def load_data(path: str = "mnist.npz"):
    """Load MNIST (downloaded once into ``LAMINA_HOME/datasets``, or read from ``LAMINA_DATASETS``).

    Args:
        path: the file's name in the cache.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape ``(60000, 28, 28)`` and
        ``(10000, 28, 28)`` with values 0-255, and uint8 labels of shape ``(60000,)`` and ``(10000,)``.
    """
    with np.load(fetch("mnist.npz", path), allow_pickle=False) as arrays:
        return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
