"""Shared assertion: an op's real result has the shape and dtype its symbolic shape rule predicts."""

from lamina.backend import convert_to_numpy


def check_spec(real, symbolic):
    """Compare a real result with the symbolic one (tuples of results compared item by item)."""
    if isinstance(symbolic, tuple):
        assert len(real) == len(symbolic)
        for r, s in zip(real, symbolic):
            check_spec(r, s)
        return
    assert tuple(real.shape) == symbolic.shape
    assert str(convert_to_numpy(real).dtype) == symbolic.dtype
