"""Packing and unpacking ``(x, y, sample_weight)`` batches, as custom ``train_step`` code does in Keras."""

from __future__ import annotations


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The batch structure of ``x``, ``y`` and ``sample_weight``: ``x`` alone (``(x,)`` when ``x`` is itself
    a list or tuple, so it is not read as ``(x, y)``), ``(x, y)`` or ``(x, y, sample_weight)``."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data) -> tuple:
    """``(x, y, sample_weight)`` from a batch: ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)`` (lists too)."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if 1 <= len(data) <= 3:
        return tuple(data) + (None,) * (3 - len(data))
    raise ValueError(
        "A batch must be `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`. "
        f"Received a tuple of {len(data)} elements: {tuple(type(item).__name__ for item in data)}"
    )
