"""The PyTorch engine."""

from lamina.backend.torch import core, image, linalg, math, nn, numpy, optimizer, random, rnn, step
from lamina.backend.torch.layer import TorchLayer as LayerBase

__all__ = ["core", "image", "linalg", "math", "nn", "numpy", "optimizer", "random", "rnn", "step", "LayerBase"]
