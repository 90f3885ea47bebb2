"""Masks travel attached to the tensors they describe (``tensor._keras_mask``), as in Keras."""

from __future__ import annotations


def get_mask(x):
    """The mask attached to ``x``, or None."""
    return getattr(x, "_keras_mask", None)


def set_mask(x, mask) -> None:
    """Attach ``mask`` (or None) to ``x``; values that cannot carry attributes are left alone."""
    try:
        x._keras_mask = mask
    except AttributeError:
        pass
