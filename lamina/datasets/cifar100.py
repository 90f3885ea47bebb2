"""CIFAR-100: 50,000 training and 10,000 test colour images of 32x32 pixels in 100 classes (20 superclasses)."""

from __future__ import annotations

import os

from lamina.datasets._cifar import load_batch, to_keras_layout
from lamina.datasets._fetch import fetch_extracted


def load_data(label_mode: str = "fine"):
    """Load CIFAR-100 (downloaded and extracted once into ``LAMINA_HOME/datasets``, or read from
    ``LAMINA_DATASETS``).

    Args:
        label_mode: ``"fine"`` (100 classes) or ``"coarse"`` (20 superclasses).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape ``(50000, 32, 32, 3)`` and
        ``(10000, 32, 32, 3)`` (channels first under ``image_data_format="channels_first"``), int64 labels of
        shape ``(50000, 1)`` and ``(10000, 1)``.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.')
    folder = os.path.join(fetch_extracted("cifar-100-python.tar.gz", "cifar-100-python-target"), "cifar-100-python")
    key = f"{label_mode}_labels"
    return (to_keras_layout(*load_batch(os.path.join(folder, "train"), key)),
            to_keras_layout(*load_batch(os.path.join(folder, "test"), key)))
