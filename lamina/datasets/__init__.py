"""Keras' datasets (``keras.datasets``): ``<name>.load_data()`` returns NumPy arrays, from files downloaded once
into ``LAMINA_HOME/datasets`` (checked against their published sha256) or read from the folder named by
``LAMINA_DATASETS`` (laid out like the cache, for offline machines)."""

from lamina.datasets import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)

__all__ = [
    "boston_housing", "california_housing", "cifar10", "cifar100", "fashion_mnist", "imdb", "mnist", "reuters",
]
