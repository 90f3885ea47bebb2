"""Neural-network ops (``lamina.ops.nn``): activations, softmax, convolution, pooling, one-hot, ..."""

from __future__ import annotations

from lamina import backend
from lamina.ops.op import op
from lamina.ops.spec import same_rule

_nn = backend.nn


@op(same_rule)
def relu(x):
    """Rectified linear unit: ``max(x, 0)``."""
    return _nn.relu(x)


@op(same_rule)
def softmax(x, axis=-1):
    """Softmax along ``axis``: exponentials normalised to sum to one."""
    return _nn.softmax(x, axis=axis)
