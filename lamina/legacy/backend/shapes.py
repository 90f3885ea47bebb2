"""Keras 1/2's reshaping in ``K``: concatenate, reshape, permute, repeat, tile, flatten, gather, ..."""

from __future__ import annotations

from lamina import ops
from lamina.legacy.backend.variable_reads import over_variables
from lamina.legacy.deprecation import warn_old_spelling


@over_variables
def concatenate(tensors, axis=-1):
    return ops.concatenate(list(tensors), axis=axis)


@over_variables
def stack(x, axis=0):
    return ops.stack(list(x), axis=axis)


@over_variables
def reshape(x, shape):
    return ops.reshape(x, tuple(shape))


@over_variables
def permute_dimensions(x, pattern):
    """``x`` with its axes in the order ``pattern``."""
    return ops.transpose(x, tuple(pattern))


@over_variables
def transpose(x):
    """``x`` with its axes reversed."""
    return ops.transpose(x)


@over_variables
def repeat(x, n):
    """A 2D ``(samples, dim)`` tensor repeated into ``(samples, n, dim)``."""
    return ops.repeat(ops.expand_dims(x, 1), n, axis=1)


@over_variables
def repeat_elements(x, rep, axis):
    """Each slice of ``x`` along ``axis`` repeated ``rep`` times, as ``np.repeat``."""
    return ops.repeat(x, rep, axis=axis)


@over_variables
def tile(x, n):
    return ops.tile(x, n)


@over_variables
def flatten(x):
    """``x`` as one axis."""
    return ops.reshape(x, (-1,))


@over_variables
def batch_flatten(x):
    """``x`` as ``(samples, everything else)``."""
    return ops.reshape(x, (-1, _product(x.shape[1:])))


def _product(dims) -> int:
    result = 1
    for dim in dims:
        result *= dim
    return result


@over_variables
def expand_dims(x, axis=-1, dim=None):
    """``x`` with a new axis of size 1 at ``axis`` (Keras 1 called it ``dim``)."""
    if dim is not None:
        warn_old_spelling("expand_dims(x, dim=...)", "expand_dims(x, axis=...)")
        axis = dim
    return ops.expand_dims(x, axis)


@over_variables
def squeeze(x, axis):
    return ops.squeeze(x, axis=axis)


@over_variables
def gather(reference, indices):
    """The slices of ``reference`` along its first axis at ``indices``."""
    return ops.take(reference, ops.cast(indices, "int32"), axis=0)


__all__ = ["concatenate", "stack", "reshape", "permute_dimensions", "transpose", "repeat", "repeat_elements",
           "tile", "flatten", "batch_flatten", "expand_dims", "squeeze", "gather"]
