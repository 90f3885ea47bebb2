"""Engine-neutral checks shared by the loop ops (scan, map) of every engine."""

from __future__ import annotations


def leading_length(flat, op_name: str) -> int:
    """The common leading dimension of ``flat`` arrays; a ValueError naming the op when they differ."""
    lengths = {int(x.shape[0]) for x in flat}
    if len(lengths) != 1:
        raise ValueError(f"`{op_name}`: all inputs must have the same leading dimension. Received: {sorted(lengths)}")
    return lengths.pop()
