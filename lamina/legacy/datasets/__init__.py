"""Keras 1/2's ``keras.datasets``: lamina's loaders; ``imdb``/``reuters`` also take Keras 1's ``nb_words``."""

from lamina.legacy.datasets import boston_housing, cifar10, cifar100, fashion_mnist, imdb, mnist, reuters

__all__ = ["boston_housing", "cifar10", "cifar100", "fashion_mnist", "imdb", "mnist", "reuters"]
