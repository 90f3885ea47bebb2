"""Fashion-MNIST: 60,000 training and 10,000 test images of clothing, 28x28 grey pixels, 10 classes."""

from __future__ import annotations

import gzip

import numpy as np

from lamina.datasets._fetch import fetch


def read_idx(path: str) -> np.ndarray:
    """The uint8 array of a gzipped IDX file (LeCun's format: a magic number, the dimensions, the bytes)."""
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    if len(data) < 4 or data[:2] != b"\x00\x00" or data[2] != 0x08:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes.")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load_data():
    """Load Fashion-MNIST (downloaded once into ``LAMINA_HOME/datasets/fashion-mnist``, or read from
    ``LAMINA_DATASETS/fashion-mnist``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape ``(60000, 28, 28)`` and
        ``(10000, 28, 28)``, uint8 labels 0-9 (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt,
        Sneaker, Bag, Ankle boot) of shape ``(60000,)`` and ``(10000,)``.
    """
    def part(name):
        return read_idx(fetch(name, subdir="fashion-mnist"))

    return ((part("train-images-idx3-ubyte.gz"), part("train-labels-idx1-ubyte.gz")),
            (part("t10k-images-idx3-ubyte.gz"), part("t10k-labels-idx1-ubyte.gz")))
