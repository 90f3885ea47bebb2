"""Python operators (``+``, ``@``, ``x[i]``, ...) on symbolic tensors and Variables, routed to lamina.ops."""

from __future__ import annotations

from lamina.backend import Variable
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops import numpy as np_ops


def _binary(op, reflected=False):
    if reflected:
        return lambda self, other: op(other, self)
    return lambda self, other: op(self, other)


def _bind_operators(cls):
    pairs = {
        "add": np_ops.add, "sub": np_ops.subtract, "mul": np_ops.multiply,
        "truediv": np_ops.divide, "matmul": np_ops.matmul,
    }
    for name, fn in pairs.items():
        setattr(cls, f"__{name}__", _binary(fn))
        setattr(cls, f"__r{name}__", _binary(fn, reflected=True))


_bind_operators(SymbolicTensor)
_bind_operators(Variable)
