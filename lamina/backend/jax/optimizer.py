"""Multi-tensor arithmetic for optimizer updates, the vocabulary of lamina/backend/torch/optimizer.py on JAX.

JAX arrays are immutable, so the in-place ops (names ending in ``_``) compute each Variable's new value and
``assign`` it (inside a ``StatelessScope``, the jitted step, the assignment is recorded). Under ``jax.jit``
the per-variable expressions fuse into one program, so a Python loop over the variables costs nothing at
run time.

- Out-of-place ops take lists of Variables or arrays and return a new list of arrays, each in the dtype of
  the corresponding first operand (as torch's ``_foreach_*`` kernels keep it).
- A *scalar* is a Python number, a 0-d array or a 0-d Variable.
- ``other`` arguments may be a list (elementwise, matched by position; 0-d arrays broadcast) or a scalar.

There is no autograd tape to suspend: ``no_grad`` is a null context.
"""

from __future__ import annotations

import contextlib

import jax.numpy as jnp

from lamina.backend.jax.core import Variable

no_grad = contextlib.nullcontext


def _value(item):
    return item.value if isinstance(item, Variable) else item


def _values(items) -> list:
    """The arrays behind a list of Variables and/or arrays."""
    return [_value(item) for item in items]


def _others(other, count: int) -> list:
    """``other`` as one operand per tensor: a list matched by position, or a scalar repeated."""
    return _values(other) if isinstance(other, (list, tuple)) else [_value(other)] * count


def _each(fn, tensors, *others) -> list:
    """``fn(tensor, *other_operands)`` for each tensor, cast back to the tensor's dtype."""
    tensors = _values(tensors)
    columns = [_others(other, len(tensors)) for other in others]
    results = []
    for tensor, *operands in zip(tensors, *columns):
        result = fn(tensor, *operands)
        results.append(result if result.dtype == tensor.dtype else result.astype(tensor.dtype))
    return results


def _update(variables, fn, *others) -> None:
    """``variable = fn(variable, *other_operands)`` for each Variable."""
    for variable, value in zip(variables, _each(fn, variables, *others)):
        variable.assign(value)


# -- in place, on Variables -----------------------------------------------------------------------
def assign_(variables, tensors) -> None:
    """``variable = tensor`` for each pair."""
    for variable, tensor in zip(variables, _values(tensors)):
        variable.assign(tensor)


def zero_(variables) -> None:
    """``variable = 0``."""
    _update(variables, jnp.zeros_like)


def mul_(variables, scalar) -> None:
    """``variable *= scalar``."""
    _update(variables, jnp.multiply, scalar)


def add_(variables, other, alpha=1.0) -> None:
    """``variable += alpha * other`` (``other``: tensors or a scalar)."""
    _update(variables, lambda v, o, a: v + a * o, other, alpha)


def addcmul_(variables, tensors1, tensors2, value=1.0) -> None:
    """``variable += value * tensor1 * tensor2``."""
    _update(variables, lambda v, t1, t2, c: v + c * (t1 * t2), tensors1, tensors2, value)


def addcdiv_(variables, tensors1, tensors2, value=1.0) -> None:
    """``variable += value * tensor1 / tensor2``."""
    _update(variables, lambda v, t1, t2, c: v + c * (t1 / t2), tensors1, tensors2, value)


def _lerp(start, end, weight):
    return start + weight * (end - start)


def lerp_(variables, tensors, weight) -> None:
    """``variable += weight * (tensor - variable)``."""
    _update(variables, _lerp, tensors, weight)


def maximum_(variables, other) -> None:
    """``variable = maximum(variable, other)``."""
    _update(variables, jnp.maximum, other)


# -- out of place ---------------------------------------------------------------------------------
def add(tensors, other, alpha=1.0) -> list:
    """``tensor + alpha * other`` (``other``: tensors or a scalar)."""
    return _each(lambda t, o, a: t + a * o, tensors, other, alpha)


def mul(tensors, other) -> list:
    """``tensor * other`` (``other``: tensors or a scalar)."""
    return _each(jnp.multiply, tensors, other)


def div(tensors, other) -> list:
    """``tensor / other`` (``other``: tensors or a scalar)."""
    return _each(jnp.divide, tensors, other)


def lerp(tensors, others, weight) -> list:
    """``tensor + weight * (other - tensor)``."""
    return _each(_lerp, tensors, others, weight)


def maximum(tensors, other) -> list:
    """Elementwise maximum with tensors or a scalar."""
    return _each(jnp.maximum, tensors, other)


def clip(tensors, low, high) -> list:
    """Each tensor clipped into ``[low, high]`` (scalars)."""
    return _each(jnp.clip, tensors, low, high)


def pow(tensors, exponent) -> list:  # noqa: A001 - the vocabulary's name for the op
    """``tensor ** exponent`` (a scalar)."""
    return _each(jnp.power, tensors, exponent)


def sqrt(tensors) -> list:
    return _each(jnp.sqrt, tensors)


def abs(tensors) -> list:  # noqa: A001
    return _each(jnp.abs, tensors)


def sign(tensors) -> list:
    return _each(jnp.sign, tensors)


def norms(tensors) -> list:
    """The L2 norm of each tensor, as a list of 0-d arrays."""
    return _each(lambda t: jnp.sqrt(jnp.sum(jnp.square(t))), tensors)
