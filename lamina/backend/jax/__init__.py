"""The JAX engine."""

from lamina.backend.jax import core, linalg, math, nn, numpy, optimizer, random, step
from lamina.backend.jax.layer import JaxLayer as LayerBase

__all__ = ["core", "linalg", "math", "nn", "numpy", "optimizer", "random", "step", "LayerBase"]
