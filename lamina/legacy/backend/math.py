"""Keras 1/2's arithmetic in ``K``: reductions with ``axis``/``keepdims``, elementwise math, comparisons,
``dot``/``batch_dot`` and ``switch``, each a thin mapping onto ``lamina.ops``."""

from __future__ import annotations

from lamina import ops
from lamina.legacy.backend.variable_reads import over_variables
from lamina.legacy.backend.variables import ndim


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _reduction(name: str, op, as_dtype=None):
    """A Keras reduction ``name(x, axis=None, keepdims=False)`` over ``op`` (``x`` cast to ``as_dtype`` first)."""

    @over_variables
    def reduce(x, axis=None, keepdims=False):
        return op(ops.cast(x, as_dtype) if as_dtype else x, axis=_axis(axis), keepdims=keepdims)

    reduce.__name__ = reduce.__qualname__ = name
    reduce.__doc__ = f"``{name}`` of ``x`` over ``axis`` (all axes when None); ``keepdims`` keeps them as size 1."
    return reduce


sum = _reduction("sum", ops.sum)
prod = _reduction("prod", ops.prod)
mean = _reduction("mean", ops.mean)
std = _reduction("std", ops.std)
var = _reduction("var", ops.var)
max = _reduction("max", ops.max)
min = _reduction("min", ops.min)
any = _reduction("any", ops.any, "bool")
all = _reduction("all", ops.all, "bool")


@over_variables
def logsumexp(x, axis=None, keepdims=False):
    return ops.logsumexp(x, axis=_axis(axis), keepdims=keepdims)


@over_variables
def argmax(x, axis=-1):
    return ops.argmax(x, axis=axis)


@over_variables
def argmin(x, axis=-1):
    return ops.argmin(x, axis=axis)


square = over_variables(ops.square)
abs = over_variables(ops.abs)
exp = over_variables(ops.exp)
log = over_variables(ops.log)
round = over_variables(ops.round)
sign = over_variables(ops.sign)
sin = over_variables(ops.sin)
cos = over_variables(ops.cos)
equal = over_variables(ops.equal)
not_equal = over_variables(ops.not_equal)
greater = over_variables(ops.greater)
greater_equal = over_variables(ops.greater_equal)
less = over_variables(ops.less)
less_equal = over_variables(ops.less_equal)
maximum = over_variables(ops.maximum)
minimum = over_variables(ops.minimum)


@over_variables
def sqrt(x):
    """Square root, negative entries read as 0 (as Keras 1/2 clip them)."""
    return ops.sqrt(ops.maximum(x, 0.0))


@over_variables
def pow(x, a):
    """``x ** a`` elementwise."""
    return ops.power(x, a)


@over_variables
def clip(x, min_value, max_value):
    """``x`` clipped to ``[min_value, max_value]`` (a ``max_value`` below ``min_value`` reads as ``min_value``)."""
    if max_value is not None and min_value is not None and max_value < min_value:
        max_value = min_value
    return ops.clip(x, min_value, max_value)


@over_variables
def dot(x, y):
    """NumPy's ``dot``: the last axis of ``x`` against the second-to-last of ``y``."""
    return ops.dot(x, y)


@over_variables
def batch_dot(x, y, axes=None):
    """Per-sample dot product of ``x`` and ``y`` over ``axes`` (``(axis_of_x, axis_of_y)`` or one int), as in
    Keras 2: the result has ``x``'s axes less the summed one, then ``y``'s less the batch and summed ones;
    a result of rank 1 gains a trailing axis. Default axes: the last of ``x`` and the second-to-last of
    ``y`` (its last when ``y`` is 2D)."""
    x_ndim, y_ndim = ndim(x), ndim(y)
    if axes is None:
        axes = (x_ndim - 1, y_ndim - 2 if y_ndim > 2 else 1)
    elif isinstance(axes, int):
        axes = (axes, axes)
    x_axis, y_axis = axes[0] % x_ndim, axes[1] % y_ndim
    if 0 in (x_axis, y_axis):
        raise ValueError(f"`batch_dot` cannot sum over the batch axis. Received: axes={axes}")
    letters = iter("bcdefghijklmnopqrstuvwxy")
    x_subscripts = ["a"] + [("z" if i == x_axis else next(letters)) for i in range(1, x_ndim)]
    y_subscripts = ["a"] + [("z" if i == y_axis else next(letters)) for i in range(1, y_ndim)]
    kept = [s for s in x_subscripts + y_subscripts[1:] if s != "z"]
    out = ops.einsum(f"{''.join(x_subscripts)},{''.join(y_subscripts)}->{''.join(kept)}", x, y)
    return ops.expand_dims(out, 1) if len(kept) == 1 else out


@over_variables
def switch(condition, then_expression, else_expression):
    """``then_expression`` where ``condition`` holds, else ``else_expression`` (either may be a callable)."""
    then_expression = then_expression() if callable(then_expression) else then_expression
    else_expression = else_expression() if callable(else_expression) else else_expression
    return ops.where(ops.cast(condition, "bool"), then_expression, else_expression)


__all__ = ["sum", "prod", "mean", "std", "var", "max", "min", "any", "all", "logsumexp", "argmax", "argmin",
           "square", "abs", "exp", "log", "round", "sign", "sin", "cos", "equal", "not_equal", "greater",
           "greater_equal", "less", "less_equal", "maximum", "minimum", "sqrt", "pow", "clip", "dot", "batch_dot",
           "switch"]
