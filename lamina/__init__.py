"""lamina: a deep-learning library in the Keras tradition, on PyTorch and JAX."""

from lamina import backend, config, initializers, ops, random, tree, utils

__version__ = "0.1.0"
