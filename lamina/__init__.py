"""lamina: a deep-learning library in the Keras tradition, on PyTorch and JAX."""

from lamina import backend, config, ops, tree

__version__ = "0.1.0"
