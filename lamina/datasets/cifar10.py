"""CIFAR-10: 50,000 training and 10,000 test colour images of 32x32 pixels in 10 classes."""

from __future__ import annotations

import os

import numpy as np

from lamina.datasets._cifar import load_batch, to_keras_layout
from lamina.datasets._fetch import fetch_extracted


def load_data():
    """Load CIFAR-10 (downloaded and extracted once into ``LAMINA_HOME/datasets``, or read from
    ``LAMINA_DATASETS``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape ``(50000, 32, 32, 3)`` and
        ``(10000, 32, 32, 3)`` (channels first under ``image_data_format="channels_first"``), uint8 labels
        0-9 (airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck) of shape ``(50000, 1)``
        and ``(10000, 1)``.
    """
    folder = os.path.join(fetch_extracted("cifar-10-python.tar.gz", "cifar-10-batches-py-target"),
                          "cifar-10-batches-py")
    parts = [load_batch(os.path.join(folder, f"data_batch_{i}")) for i in range(1, 6)]
    x_train, y_train = np.concatenate([x for x, _ in parts]), np.concatenate([y for _, y in parts])
    x_test, y_test = load_batch(os.path.join(folder, "test_batch"))
    return to_keras_layout(x_train, y_train.astype("uint8")), to_keras_layout(x_test, y_test.astype("uint8"))
