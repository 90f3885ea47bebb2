"""CIFAR's "python version" batches: pickled dicts of a ``data`` uint8 array ``(n, 3072)`` and label lists."""

from __future__ import annotations

import numpy as np

from lamina import config
from lamina.datasets._arrays import load_pickle


def load_batch(path: str, label_key: str = "labels") -> tuple[np.ndarray, np.ndarray]:
    """``(images, labels)`` of one batch file: uint8 images ``(n, 3, 32, 32)`` and int64 labels ``(n,)``."""
    with open(path, "rb") as handle:
        batch = load_pickle(handle)
    batch = {key.decode("utf8") if isinstance(key, bytes) else key: value for key, value in batch.items()}
    data = np.asarray(batch["data"], dtype="uint8")
    return data.reshape(len(data), 3, 32, 32), np.asarray(batch[label_key], dtype="int64")


def to_keras_layout(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Images in ``config.image_data_format()``'s layout and labels as a column ``(n, 1)``, as Keras returns them."""
    if config.image_data_format() == "channels_last":
        images = images.transpose(0, 2, 3, 1)
    return images, labels.reshape(-1, 1)
