"""Keras 1's ``keras.activations``: the modern functions, except ``hard_sigmoid``, which Keras 1/2 defined as
``clip(0.2 * x + 0.5, 0, 1)`` (Keras 3's is ``relu6(x + 3) / 6``). The tutorials of that era print 0.6, 0.7,
0.9, 1.0 for 0.5, 1, 2, 3.
"""

from __future__ import annotations

from lamina import activations as _modern
from lamina import ops
from lamina.activations import elu, linear, relu, sigmoid, softmax, softplus, softsign, tanh
from lamina.serialization import register_lamina_serializable
from lamina.serialization.keras1_arguments import KERAS1_HARD_SIGMOID

_PACKAGE, _NAME = KERAS1_HARD_SIGMOID.split(">")


@register_lamina_serializable(package=_PACKAGE, name=_NAME)
def hard_sigmoid(x):
    """Keras 1/2's piecewise-linear sigmoid: ``0`` below -2.5, ``1`` above 2.5, ``0.2 * x + 0.5`` between."""
    return ops.clip(ops.add(ops.multiply(x, 0.2), 0.5), 0.0, 1.0)


def get(identifier):
    """The activation named ``identifier`` as Keras 1 meant it (a callable is returned as it is)."""
    if identifier == "hard_sigmoid":
        return hard_sigmoid
    return _modern.get(identifier)


__all__ = ["elu", "get", "hard_sigmoid", "linear", "relu", "sigmoid", "softmax", "softplus", "softsign", "tanh"]
