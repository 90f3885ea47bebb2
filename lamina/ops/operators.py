"""Python operators (``+``, ``@``, ``<``, ``x[i]``, ...) on symbolic tensors and Variables, routed to lamina.ops
(and ``SymbolicTensor.reshape``): the backend floor defines the classes, the ops floor gives them operators.

Both classes keep identity hashing, so they still work as dict keys although ``==`` builds a tensor.
"""

from __future__ import annotations

from lamina.backend import Variable
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops import numpy as np_ops

_BINARY = {
    "add": np_ops.add, "sub": np_ops.subtract, "mul": np_ops.multiply, "truediv": np_ops.divide,
    "floordiv": np_ops.floor_divide, "mod": np_ops.mod, "pow": np_ops.power, "matmul": np_ops.matmul,
    "and": np_ops.logical_and, "or": np_ops.logical_or, "xor": np_ops.logical_xor,
}
_COMPARISONS = {
    "lt": np_ops.less, "le": np_ops.less_equal, "gt": np_ops.greater, "ge": np_ops.greater_equal,
    "eq": np_ops.equal, "ne": np_ops.not_equal,
}
_UNARY = {"neg": np_ops.negative, "abs": np_ops.absolute, "invert": np_ops.logical_not}


def _forward(op):
    return lambda self, other: op(self, other)


def _reflected(op):
    return lambda self, other: op(other, self)


def _unary(op):
    return lambda self: op(self)


def _bind_operators(cls):
    for name, op in _BINARY.items():
        setattr(cls, f"__{name}__", _forward(op))
        setattr(cls, f"__r{name}__", _reflected(op))
    for name, op in _COMPARISONS.items():
        setattr(cls, f"__{name}__", _forward(op))
    for name, op in _UNARY.items():
        setattr(cls, f"__{name}__", _unary(op))
    cls.__pos__ = lambda self: self
    cls.__getitem__ = lambda self, key: np_ops.get_item(self, key)
    cls.__hash__ = lambda self: id(self)


_bind_operators(SymbolicTensor)
_bind_operators(Variable)
SymbolicTensor.reshape = lambda self, newshape: np_ops.reshape(self, newshape)
