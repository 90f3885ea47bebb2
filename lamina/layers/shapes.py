"""Structures of shapes: a shape is a tuple of ints and None, and counts as one leaf, not a tuple to walk."""

from __future__ import annotations

from lamina import tree


def is_shape(value) -> bool:
    """True for one shape (a tuple/list of ints and None), False for a structure of shapes."""
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int) for d in value)


def map_shapes(fn, structure):
    """Apply ``fn`` to each shape in a structure of shapes (a shape is a leaf, not a tuple to walk)."""
    if is_shape(structure):
        return fn(tuple(structure))
    if isinstance(structure, dict):
        return {key: map_shapes(fn, value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_shapes(fn, value) for value in structure)
    return structure


def shapes_of(structure):
    """The shape of each tensor in a structure of tensors."""
    return tree.map_structure(lambda x: tuple(x.shape) if hasattr(x, "shape") else x, structure)


def as_shape_structure(shape):
    """Shapes read from configs come back as lists; turn each shape into a tuple."""
    if is_shape(shape):
        return tuple(shape)
    if isinstance(shape, dict):
        return {k: as_shape_structure(v) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)):
        return [as_shape_structure(s) for s in shape]
    return shape
