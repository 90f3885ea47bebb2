"""The PyTorch engine."""

from lamina.backend.torch import core, linalg, math, nn, numpy, random, step
from lamina.backend.torch.layer import TorchLayer as LayerBase
from lamina.backend.torch import optimizer  # multi-tensor update vocabulary (lamina.backend.engine.optimizer)

__all__ = ["core", "linalg", "math", "nn", "numpy", "optimizer", "random", "step", "LayerBase"]
