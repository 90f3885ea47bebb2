"""The JAX engine."""

from lamina.backend.jax import core, image, linalg, math, nn, numpy, optimizer, random, rnn, step
from lamina.backend.jax.layer import JaxLayer as LayerBase

__all__ = ["core", "image", "linalg", "math", "nn", "numpy", "optimizer", "random", "rnn", "step", "LayerBase"]
