"""Torch implementations of ``lamina.ops.nn``: activations, convolution, pooling, losses' primitives."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina.backend.torch.numpy import _tensor


def relu(x):
    return torch.relu(_tensor(x))


def softmax(x, axis=-1):
    return torch.softmax(_tensor(x), dim=axis)
