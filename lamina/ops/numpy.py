"""NumPy-style ops with Keras 3 names and semantics (``lamina.ops.matmul``, ``lamina.ops.sum``, ...).

Each op pairs an eager body (a call into the engine) with a shape rule used on symbolic tensors.
"""

from __future__ import annotations

import builtins
import math as _math

from lamina import backend
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops.op import op
from lamina.ops.spec import (
    broadcast_shapes,
    canonical_axis,
    dtype_of,
    elementwise_rule,
    promoted_dtype,
    reduce_shape,
    shape_of,
)

_np = backend.numpy


# -- elementwise arithmetic -----------------------------------------------------------------------
@op(elementwise_rule)
def add(x1, x2):
    """Elementwise ``x1 + x2`` with broadcasting."""
    return _np.add(x1, x2)


@op(elementwise_rule)
def subtract(x1, x2):
    """Elementwise ``x1 - x2`` with broadcasting."""
    return _np.subtract(x1, x2)


@op(elementwise_rule)
def multiply(x1, x2):
    """Elementwise ``x1 * x2`` with broadcasting."""
    return _np.multiply(x1, x2)


def _divide_rule(x1, x2):
    dtype = promoted_dtype(x1, x2, float)
    return SymbolicTensor(broadcast_shapes(shape_of(x1), shape_of(x2), op_name="divide"), dtype)


@op(_divide_rule)
def divide(x1, x2):
    """Elementwise true division; integer inputs give a float result."""
    return _np.divide(x1, x2)


true_divide = divide


# -- linear algebra -------------------------------------------------------------------------------
def _matmul_rule(x1, x2):
    s1, s2 = shape_of(x1), shape_of(x2)
    if not s1 or not s2:
        raise ValueError(f"`matmul` needs tensors of rank >= 1. Received shapes {s1} and {s2}.")
    a = s1 if len(s1) > 1 else (1,) + s1
    b = s2 if len(s2) > 1 else s2 + (1,)
    if a[-1] is not None and b[-2] is not None and a[-1] != b[-2]:
        raise ValueError(
            f"`matmul`: the last dimension of the first operand ({a[-1]}) must match the "
            f"second-to-last dimension of the second ({b[-2]}). Received shapes {s1} and {s2}."
        )
    batch = broadcast_shapes(a[:-2], b[:-2], op_name="matmul")
    shape = batch + ((a[-2],) if len(s1) > 1 else ()) + ((b[-1],) if len(s2) > 1 else ())
    return SymbolicTensor(shape, promoted_dtype(x1, x2))


@op(_matmul_rule)
def matmul(x1, x2):
    """Matrix product with NumPy's batching and broadcasting rules."""
    return _np.matmul(x1, x2)


# -- shape manipulation ---------------------------------------------------------------------------
def _reshape_rule(x, newshape):
    shape = shape_of(x)
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    newshape = tuple(-1 if d is None else d for d in newshape)
    if newshape.count(-1) > 1:
        if shape and shape[0] is None and newshape[0] == -1:
            return SymbolicTensor((None,) + tuple(None if d == -1 else d for d in newshape[1:]), dtype_of(x))
        raise ValueError(f"`reshape`: at most one dimension may be -1. Received newshape={newshape}")
    if -1 in newshape:
        known = _math.prod(d for d in newshape if d != -1)
        if None in shape:
            return SymbolicTensor(tuple(None if d == -1 else d for d in newshape), dtype_of(x))
        total = _math.prod(shape)
        if known == 0 or total % known:
            raise ValueError(f"`reshape`: cannot reshape a tensor of shape {shape} into {newshape}.")
        newshape = tuple(total // known if d == -1 else d for d in newshape)
    elif None not in shape and _math.prod(shape) != _math.prod(newshape):
        raise ValueError(f"`reshape`: cannot reshape a tensor of shape {shape} into {newshape}.")
    return SymbolicTensor(newshape, dtype_of(x))


@op(_reshape_rule)
def reshape(x, newshape):
    """Give ``x`` a new shape with the same number of elements; one dimension may be -1."""
    return _np.reshape(x, newshape)


def _transpose_rule(x, axes=None):
    shape = shape_of(x)
    axes = tuple(reversed(range(len(shape)))) if axes is None else tuple(axes)
    if sorted(canonical_axis(a, len(shape), "transpose") for a in axes) != list(range(len(shape))):
        raise ValueError(f"`transpose`: axes {axes} are not a permutation of a rank-{len(shape)} tensor's axes.")
    return SymbolicTensor(tuple(shape[a] for a in axes), dtype_of(x))


@op(_transpose_rule)
def transpose(x, axes=None):
    """Permute the axes of ``x`` (reverse them when ``axes`` is None)."""
    return _np.transpose(x, axes)


def _concatenate_rule(xs, axis=0):
    shapes = [shape_of(x) for x in xs]
    rank = len(shapes[0])
    if any(len(s) != rank for s in shapes):
        raise ValueError(f"`concatenate`: all inputs must have the same rank. Received shapes {shapes}.")
    axis = canonical_axis(axis, rank, "concatenate")
    out = []
    for i in range(rank):
        dims = [s[i] for s in shapes]
        if i == axis:
            out.append(None if None in dims else builtins.sum(dims))
        else:
            known = {d for d in dims if d is not None}
            if len(known) > 1:
                raise ValueError(
                    f"`concatenate`: all dimensions except axis {axis} must match. Received shapes {shapes}."
                )
            out.append(known.pop() if known else None)
    return SymbolicTensor(tuple(out), promoted_dtype(*xs))


@op(_concatenate_rule)
def concatenate(xs, axis=0):
    """Join a sequence of tensors along an existing axis."""
    return _np.concatenate(xs, axis=axis)


# -- reductions -----------------------------------------------------------------------------------
def _sum_rule(x, axis=None, keepdims=False):
    dtype = dtype_of(x)
    if dtype in ("bool", "int8", "int16", "uint8"):
        dtype = "int32"
    return SymbolicTensor(reduce_shape(shape_of(x), axis, keepdims, "sum"), dtype)


@op(_sum_rule)
def sum(x, axis=None, keepdims=False):
    """Sum over ``axis`` (all axes when None)."""
    return _np.sum(x, axis=axis, keepdims=keepdims)


def _mean_rule(x, axis=None, keepdims=False):
    return SymbolicTensor(reduce_shape(shape_of(x), axis, keepdims, "mean"), promoted_dtype(x, float))


@op(_mean_rule)
def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over ``axis``; integer inputs give a float result."""
    return _np.mean(x, axis=axis, keepdims=keepdims)
