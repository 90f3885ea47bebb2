"""Nested structures (lists, tuples, dicts, None leaves kept) flattened, mapped and rebuilt.

Dicts are walked in sorted-key order, as Keras does, so a structure flattens the same way every time.
"""

from __future__ import annotations


def is_nested(structure) -> bool:
    return isinstance(structure, (list, tuple, dict))


def _children(structure):
    if isinstance(structure, dict):
        return [structure[key] for key in sorted(structure)]
    return list(structure)


def flatten(structure) -> list:
    """All leaves of ``structure``, depth first."""
    if not is_nested(structure):
        return [structure]
    leaves = []
    for child in _children(structure):
        leaves.extend(flatten(child))
    return leaves


def _rebuild(structure, children):
    if isinstance(structure, dict):
        return type(structure)((key, child) for key, child in zip(sorted(structure), children))
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*children)
    return type(structure)(children)


def pack_sequence_as(structure, flat_sequence):
    """Rebuild ``structure`` with its leaves replaced, in order, by ``flat_sequence``."""
    flat_sequence = list(flat_sequence)
    position = 0

    def pack(node):
        nonlocal position
        if not is_nested(node):
            position += 1
            return flat_sequence[position - 1]
        return _rebuild(node, [pack(child) for child in _children(node)])

    packed = pack(structure)
    if position != len(flat_sequence):
        raise ValueError(
            f"The structure has {position} leaves but {len(flat_sequence)} values were given."
        )
    return packed


def map_structure(func, *structures):
    """Apply ``func`` leaf-wise across structures of the same shape."""
    first = structures[0]
    if not is_nested(first):
        return func(*structures)
    for other in structures[1:]:
        assert_same_structure(first, other)
    children = [_children(s) for s in structures]
    return _rebuild(first, [map_structure(func, *group) for group in zip(*children)])


def assert_same_structure(a, b) -> None:
    if is_nested(a) != is_nested(b):
        raise ValueError(f"The two structures don't have the same nested structure: {a!r} and {b!r}")
    if not is_nested(a):
        return
    if isinstance(a, dict) != isinstance(b, dict) or len(a) != len(b):
        raise ValueError(f"The two structures don't have the same nested structure: {a!r} and {b!r}")
    if isinstance(a, dict) and sorted(a) != sorted(b):
        raise ValueError(f"The two dicts don't have the same keys: {sorted(a)} and {sorted(b)}")
    for x, y in zip(_children(a), _children(b)):
        assert_same_structure(x, y)
