"""Core ops with Keras 3 names: conversion, casting, control flow, slicing and scattering.

Control-flow ops (``cond``, ``scan``, ``while_loop``, ...) take Python callables and run eagerly; the engine
decides how (plain Python on torch, so autograd sees the iterations that ran). Casting, slicing,
scattering, ``stop_gradient`` and ``unstack`` also work on symbolic tensors inside functional models.
"""

from __future__ import annotations

from lamina import backend
from lamina.backend.common import dtypes
from lamina.backend.common.symbolic import SymbolicTensor, any_symbolic
from lamina.ops.op import op
from lamina.ops.spec import canonical_axis, dtype_of, same_rule, shape_of

_core = backend.core


# -- conversion and inspection --------------------------------------------------------------------
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """``x`` (array, list, scalar, Variable) as an engine tensor; a symbolic tensor is returned as is."""
    if isinstance(x, SymbolicTensor):
        return x if dtype is None or dtypes.standardize_dtype(dtype) == x.dtype else cast(x, dtype)
    return _core.convert_to_tensor(x, dtype=dtype, sparse=sparse)


def convert_to_numpy(x):
    """A NumPy array holding the value of ``x``."""
    return _core.convert_to_numpy(x)


def is_tensor(x) -> bool:
    """True for a tensor of the running engine."""
    return _core.is_tensor(x)


def shape(x) -> tuple:
    """The shape of ``x`` as a tuple; unknown dimensions of a symbolic tensor are None."""
    return shape_of(x)


def dtype(x) -> str:
    """The lamina dtype name of ``x`` (``"float32"``, ``"int32"``, ...)."""
    return dtypes.standardize_dtype(dtype_of(x))


def _cast_rule(x, dtype):
    return SymbolicTensor(shape_of(x), dtype)


@op(_cast_rule)
def cast(x, dtype):
    """``x`` converted to ``dtype``."""
    return _core.cast(x, dtypes.standardize_dtype(dtype))


@op(_cast_rule)
def saturate_cast(x, dtype):
    """``x`` converted to ``dtype``, with values outside the dtype's range clipped to it first."""
    return _core.saturate_cast(x, dtypes.standardize_dtype(dtype))


@op(same_rule)
def stop_gradient(variable):
    """The value of ``variable``, with no gradient flowing back through it."""
    return _core.stop_gradient(variable)


def custom_gradient(f):
    """Decorate ``f`` (returning ``(output, grad_fn)``) so that ``grad_fn(upstream)`` gives its gradients."""
    return _core.custom_gradient(f)


# -- control flow ---------------------------------------------------------------------------------
def cond(pred, true_fn, false_fn):
    """``true_fn()`` if ``pred`` else ``false_fn()``."""
    return _core.cond(pred, true_fn, false_fn)


def switch(index, branches, *operands):
    """``branches[index](*operands)``; ``index`` is clamped into range, as in Keras."""
    if not branches:
        raise ValueError("`switch` needs at least one branch. Received: branches=[]")
    return _core.switch(index, branches, *operands)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loop ``carry, y = f(carry, x)`` over the leading axis of ``xs``; return ``(carry, stacked ys)``.

    ``xs`` may be a nested structure (or None with ``length`` iterations); ``reverse`` walks it backwards
    (the stacked ``ys`` keep ``xs``'s order). ``unroll`` is a compilation hint engines may ignore.
    """
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`scan`: `unroll` must be a positive int or a bool. Received: unroll={unroll}")
    return _core.scan(f, init, xs=xs, length=length, reverse=reverse, unroll=unroll)


def associative_scan(f, elems, reverse=False, axis=0):
    """All prefix combinations ``f(... f(f(e0, e1), e2) ...)`` of an associative ``f`` along ``axis``."""
    return _core.associative_scan(f, elems, reverse=reverse, axis=axis)


def fori_loop(lower, upper, body_fun, init_val):
    """``val = body_fun(i, val)`` for ``i`` in ``range(lower, upper)``; return the final ``val``."""
    return _core.fori_loop(lower, upper, body_fun, init_val)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``, at most ``maximum_iterations`` times.

    A tuple or list of ``loop_vars`` is unpacked into ``cond`` and ``body``; a single value is passed as is.
    """
    return _core.while_loop(cond, body, loop_vars, maximum_iterations=maximum_iterations)


def map(f, xs):
    """``f`` applied to each slice of ``xs`` along its leading axis, results stacked."""
    return _core.map(f, xs)


def vectorized_map(function, elements):
    """Like ``map``, but the engine may batch the calls into one vectorised computation."""
    return _core.vectorized_map(function, elements)


# -- slicing and scattering -----------------------------------------------------------------------
def _check_window(op_name, input_shape, start_indices, sizes):
    if len(start_indices) != len(input_shape) or len(sizes) != len(input_shape):
        raise ValueError(
            f"`{op_name}`: `start_indices` and the slice shape need one entry per input dimension "
            f"({len(input_shape)}). Received: start_indices={tuple(start_indices)}, shape={tuple(sizes)}"
        )


def _slice_rule(inputs, start_indices, shape):
    _check_window("slice", shape_of(inputs), start_indices, shape)
    return SymbolicTensor(tuple(shape), dtype_of(inputs))


@op(_slice_rule)
def slice(inputs, start_indices, shape):
    """The block of ``inputs`` of size ``shape`` starting at ``start_indices``."""
    _check_window("slice", shape_of(inputs), start_indices, shape)
    return _core.slice(inputs, start_indices, shape)


def _slice_update_rule(inputs, start_indices, updates):
    _check_window("slice_update", shape_of(inputs), start_indices, shape_of(updates))
    return SymbolicTensor(shape_of(inputs), dtype_of(inputs))


@op(_slice_update_rule)
def slice_update(inputs, start_indices, updates):
    """A copy of ``inputs`` with the block at ``start_indices`` replaced by ``updates``."""
    _check_window("slice_update", shape_of(inputs), start_indices, shape_of(updates))
    return _core.slice_update(inputs, start_indices, updates)


def _scatter_rule(indices, values, shape):
    return SymbolicTensor(tuple(shape), dtype_of(values) if not isinstance(values, (int, float, bool))
                          else dtypes.result_type(type(values)))


@op(_scatter_rule)
def scatter(indices, values, shape):
    """A zero tensor of ``shape`` with ``values`` added at ``indices`` (shape ``(N, k)``); repeats add up."""
    return _core.scatter(indices, values, shape)


@op(same_rule)
def scatter_update(inputs, indices, updates):
    """A copy of ``inputs`` with the entries (or slices) at ``indices`` (shape ``(N, k)``) set to ``updates``."""
    return _core.scatter_update(inputs, indices, updates)


def _unstack_rule(x, num=None, axis=0):
    input_shape = shape_of(x)
    axis = canonical_axis(axis, len(input_shape), "unstack")
    count = input_shape[axis] if num is None else num
    if count is None:
        raise ValueError("`unstack`: cannot unstack an unknown dimension without `num`. "
                         f"Received: shape={input_shape}, axis={axis}")
    rest = input_shape[:axis] + input_shape[axis + 1:]
    return [SymbolicTensor(rest, dtype_of(x)) for _ in range(count)]


@op(_unstack_rule)
def unstack(x, num=None, axis=0):
    """The list of slices of ``x`` along ``axis``."""
    size = shape_of(x)[canonical_axis(axis, len(shape_of(x)), "unstack")]
    if num is not None and num != size:
        raise ValueError(f"`unstack`: `num` must equal the size of axis {axis} ({size}). Received: num={num}")
    return _core.unstack(x, num=num, axis=axis)


__all__ = [
    "convert_to_tensor", "convert_to_numpy", "is_tensor", "shape", "dtype", "cast", "saturate_cast",
    "stop_gradient", "custom_gradient", "cond", "switch", "scan", "associative_scan", "fori_loop",
    "while_loop", "map", "vectorized_map", "slice", "slice_update", "scatter", "scatter_update", "unstack",
]


# -- runtime checks -------------------------------------------------------------------------------
def assert_all(condition, message: str, *values) -> None:
    """Raise ``ValueError(message.format(*values))`` unless every element of ``condition`` holds.

    Works in eager calls and inside the engines' compiled steps (there the failure is raised when the
    step returns); on symbolic tensors it does nothing. ``values`` are scalars shown in the message.
    """
    if any_symbolic((condition,) + values):
        return
    _core.assert_all(condition, message, *values)
