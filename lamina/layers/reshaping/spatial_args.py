"""Argument forms shared by the spatial reshaping layers (cropping, padding, up-sampling): an int, a tuple
of one int per spatial axis, or a tuple of (before, after) pairs, checked with errors naming the layer."""

from __future__ import annotations

from lamina.utils.argument_validation import standardize_tuple


def _is_int(value, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def edge_pairs(value, rank: int, name: str, layer: str) -> tuple:
    """``value`` as one (before, after) pair of non-negative ints per spatial axis.

    An int applies to both edges of every axis. For 1D data a pair is (before, after); for 2D/3D data a
    tuple of ``rank`` ints gives each axis a symmetric amount, and a tuple of ``rank`` pairs sets each edge.
    """
    if rank == 1 and isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_int(v, 0) for v in value):
        return (tuple(value),)
    if isinstance(value, (tuple, list)) and len(value) == rank and all(isinstance(v, (tuple, list)) for v in value):
        if all(len(pair) == 2 and all(_is_int(v, 0) for v in pair) for pair in value):
            return tuple(tuple(pair) for pair in value)
    else:
        try:
            return tuple((v, v) for v in standardize_tuple(value, rank, name, layer, allow_zero=True))
        except ValueError:
            pass
    forms = "an int or a pair (before, after)" if rank == 1 else (
        f"an int, a tuple of {rank} ints, or a tuple of {rank} (before, after) pairs"
    )
    raise ValueError(
        f"Invalid value for argument `{name}` of {layer}. Expected {forms} of non-negative ints. "
        f"Received: {name}={value!r}"
    )


def spatial_axes(rank: int, data_format: str) -> tuple:
    """The spatial axes of a ``rank``-D batch in ``data_format``."""
    first = 1 if data_format == "channels_last" else 2
    return tuple(range(first, first + rank))
