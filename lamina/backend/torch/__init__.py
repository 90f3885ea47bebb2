"""The PyTorch engine."""

from lamina.backend.torch import core, linalg, math, nn, numpy, optimizer, random, step
from lamina.backend.torch.layer import TorchLayer as LayerBase

__all__ = ["core", "linalg", "math", "nn", "numpy", "optimizer", "random", "step", "LayerBase"]
