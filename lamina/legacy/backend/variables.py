"""Variables, constants and what Keras 1/2 code asks of a tensor: value, shape, rank, dtype."""

from __future__ import annotations

import numpy as np

from lamina import backend, ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.legacy.backend import graph
from lamina.legacy.backend.variable_reads import over_variables

_OPERATORS = [f"__{prefix}{name}__" for name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul",
                                                   "and", "or", "xor") for prefix in ("", "r")]
_OPERATORS += ["__lt__", "__le__", "__gt__", "__ge__", "__neg__", "__abs__", "__invert__", "__getitem__"]


class Variable(backend.Variable):
    """``K.variable``'s lamina Variable, whose Python operators (``v + 1``, ``v * x``, ``v[0]``) build graph
    nodes reading it while code builds a graph, as Keras 1/2's variables did (``==`` and ``!=`` stay lamina's).
    """


for _name in _OPERATORS:
    setattr(Variable, _name, over_variables(getattr(backend.Variable, _name)))


def variable(value, dtype=None, name=None, constraint=None):
    """A lamina ``Variable`` holding a copy of ``value`` (dtype ``floatx`` unless given)."""
    result = Variable(np.array(backend.convert_to_numpy(value) if backend.is_tensor(value) else value),
                      dtype=dtype or backend.floatx(), name=name)
    result.constraint = constraint
    return result


def constant(value, dtype=None, shape=None, name=None):
    """A tensor holding ``value``, broadcast to ``shape`` when given."""
    value = np.asarray(value, dtype=dtype or backend.floatx())
    return backend.convert_to_tensor(np.broadcast_to(value, shape) if shape is not None else value)


def eval(x) -> np.ndarray:
    """The value of a Variable, a tensor or an expression of Variables (computed now), as a NumPy array."""
    if isinstance(x, SymbolicTensor):
        return graph.function([], [x])([])[0]
    return backend.convert_to_numpy(x)


get_value = eval


def set_value(x, value) -> None:
    """Assign ``value`` (an array) to the Variable ``x``."""
    x.assign(np.asarray(value))


def batch_get_value(xs) -> list:
    return [get_value(x) for x in xs]


def batch_set_value(tuples) -> None:
    """Assign each ``(variable, value)`` pair."""
    for x, value in tuples:
        set_value(x, value)


def count_params(x) -> int:
    return int(np.prod(int_shape(x)))


def int_shape(x) -> tuple:
    """The static shape, ``None`` for unknown dimensions."""
    return tuple(x.shape) if hasattr(x, "shape") else tuple(np.shape(x))


def shape(x):
    """The shape of ``x`` (its dimensions as ints, or ``None`` where a symbolic tensor does not know them)."""
    return ops.shape(x)


def ndim(x) -> int:
    return len(int_shape(x))


def dtype(x) -> str:
    """The dtype name, e.g. ``'float32'``."""
    if isinstance(x, (SymbolicTensor, backend.Variable)):
        return x.dtype
    return backend.standardize_dtype(backend.core.get_dtype(backend.convert_to_tensor(x)))


def is_keras_tensor(x) -> bool:
    """True for the symbolic tensors of a graph being built (``Input``s, layer outputs)."""
    return backend.is_keras_tensor(x)


@over_variables
def cast(x, dtype):
    return ops.cast(x, dtype)


def zeros(shape, dtype=None, name=None):
    """A Variable of zeros (Keras 1/2 return variables here)."""
    return variable(np.zeros(shape), dtype=dtype, name=name)


def ones(shape, dtype=None, name=None):
    """A Variable of ones."""
    return variable(np.ones(shape), dtype=dtype, name=name)


def eye(size, dtype=None, name=None):
    """A Variable holding the ``size`` x ``size`` identity matrix."""
    return variable(np.eye(size), dtype=dtype, name=name)


@over_variables
def zeros_like(x, dtype=None, name=None):
    return ops.zeros_like(x, dtype=dtype)


@over_variables
def ones_like(x, dtype=None, name=None):
    return ops.ones_like(x, dtype=dtype)


__all__ = ["variable", "constant", "eval", "get_value", "set_value", "batch_get_value", "batch_set_value",
           "count_params", "int_shape", "shape", "ndim", "dtype", "is_keras_tensor", "cast", "zeros", "ones",
           "eye", "zeros_like", "ones_like"]
