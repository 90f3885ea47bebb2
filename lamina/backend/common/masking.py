"""Masks travel attached to the tensors they describe (``tensor._keras_mask``), as in Keras.

Some values cannot carry attributes — JAX's tracers, the values a compiled step computes with — so their
masks go to a side table keyed by identity, each entry living exactly as long as its tensor (a weak
reference removes it). Without it every jitted ``predict``/``evaluate``/``fit`` would silently drop masks.
"""

from __future__ import annotations

import weakref

_side_table: dict[int, tuple[weakref.ref, object]] = {}


def get_mask(x):
    """The mask attached to ``x``, or None."""
    mask = getattr(x, "_keras_mask", None)
    if mask is None and _side_table:
        entry = _side_table.get(id(x))
        if entry is not None and entry[0]() is x:
            return entry[1]
    return mask


def set_mask(x, mask) -> None:
    """Attach ``mask`` (or None) to ``x``; values that refuse attributes keep it in the side table."""
    try:
        x._keras_mask = mask
        return
    except AttributeError:
        pass
    key = id(x)
    if mask is None:
        _side_table.pop(key, None)
        return
    try:
        reference = weakref.ref(x, lambda _, key=key: _side_table.pop(key, None))
    except TypeError:  # neither attributes nor weak references (a Python scalar): nothing can carry it
        return
    _side_table[key] = (reference, mask)
