"""Helpers for shape rules: read the static shape and dtype of any op argument, broadcast shapes."""

from __future__ import annotations

from lamina.backend import core
from lamina.backend.common.dtypes import result_type
from lamina.backend.common.symbolic import SymbolicTensor


def shape_of(x) -> tuple:
    """Static shape of a symbolic tensor, Variable, engine tensor, array or Python scalar."""
    shape = getattr(x, "shape", None)
    if shape is not None:
        return tuple(shape)
    if isinstance(x, (bool, int, float)):
        return ()
    return tuple(core.shape(core.convert_to_tensor(x)))


def dtype_of(x):
    """Dtype of an argument; Python scalars give their *type*, the marker of a weak dtype."""
    if isinstance(x, (bool, int, float)):
        return type(x)
    if isinstance(x, SymbolicTensor):
        return x.dtype
    return core.get_dtype(x)


def promoted_dtype(*args) -> str:
    return result_type(*(dtype_of(x) for x in args))


def broadcast_shapes(*shapes, op_name="broadcast") -> tuple:
    """NumPy broadcasting with ``None`` standing for an unknown dimension."""
    ndim = max(len(s) for s in shapes)
    padded = [(1,) * (ndim - len(s)) + tuple(s) for s in shapes]
    result = []
    for dims in zip(*padded):
        known = {d for d in dims if d is not None and d != 1}
        if len(known) > 1:
            raise ValueError(
                f"`{op_name}`: shapes {[tuple(s) for s in shapes]} cannot be broadcast together "
                f"(dimensions {sorted(known)} disagree)."
            )
        if known:
            result.append(known.pop())
        elif any(d is None for d in dims):
            result.append(None)
        else:
            result.append(1)
    return tuple(result)


def canonical_axis(axis: int, ndim: int, op_name="op") -> int:
    if not -ndim <= axis < max(ndim, 1):
        raise ValueError(f"`{op_name}`: axis {axis} is out of range for a tensor of rank {ndim}.")
    return axis % ndim if ndim else 0


def reduce_shape(shape, axis=None, keepdims=False, op_name="reduce") -> tuple:
    """Shape after reducing ``axis`` (None: all axes)."""
    ndim = len(shape)
    if axis is None:
        return (1,) * ndim if keepdims else ()
    axes = {canonical_axis(a, ndim, op_name) for a in (axis if isinstance(axis, (list, tuple)) else [axis])}
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def elementwise_rule(*args, **kwargs) -> SymbolicTensor:
    """Shape rule of a broadcasting elementwise op whose result takes the promoted dtype."""
    return SymbolicTensor(broadcast_shapes(*(shape_of(a) for a in args)), promoted_dtype(*args))


def same_rule(x, *args, **kwargs) -> SymbolicTensor:
    """Shape rule of an op whose output has its first input's shape and dtype."""
    return SymbolicTensor(shape_of(x), dtype_of(x) if not isinstance(x, (bool, int, float)) else promoted_dtype(x))


def float_rule(*args, **kwargs) -> SymbolicTensor:
    """Shape rule of a broadcasting elementwise op computed in floating point (int and bool give floatx)."""
    dtype = result_type(promoted_dtype(*args), float)
    return SymbolicTensor(broadcast_shapes(*(shape_of(a) for a in args)), dtype)


def bool_rule(*args, **kwargs) -> SymbolicTensor:
    """Shape rule of a broadcasting elementwise op with a bool result (comparisons, logic, isnan, ...)."""
    return SymbolicTensor(broadcast_shapes(*(shape_of(a) for a in args)), "bool")


def float_dtype(*args) -> str:
    """The promoted dtype of ``args`` made floating: what ops computed in floating point return."""
    return result_type(promoted_dtype(*args), float)


def matrix_shape(x, op_name: str, square: bool = False) -> tuple:
    """The static shape of ``x``, checked to be a (batch of) matrices, square ones when asked."""
    shape = shape_of(x)
    if len(shape) < 2:
        raise ValueError(f"`{op_name}` expects a tensor of rank >= 2 (..., M, N). Received shape {shape}.")
    m, n = shape[-2:]
    if square and m is not None and n is not None and m != n:
        raise ValueError(f"`{op_name}` expects square matrices (..., M, M). Received shape {shape}.")
    return shape
