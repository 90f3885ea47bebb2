"""einops-style ``rearrange`` (Keras 3's ``keras.ops.rearrange``), built from ``reshape`` and ``transpose``.

A pattern such as ``"b (h p1) (w p2) c -> b h w (p1 p2 c)"`` names every axis; a parenthesised group on the
left splits one input dimension, on the right merges several into one. The op runs as at most three
engine-neutral steps: reshape to the split axes, transpose them into output order, reshape to the merged
groups. Like Keras, the ellipsis (``...``) and anonymous axes (``1``, ``()``) are not supported.
"""

from __future__ import annotations

import functools
import math
import re

from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops.core import convert_to_tensor
from lamina.ops.numpy import reshape, transpose
from lamina.ops.op import op
from lamina.ops.spec import dtype_of, shape_of

__all__ = ["rearrange"]

_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def _bad(pattern: str, why: str) -> ValueError:
    return ValueError(f"`rearrange`: invalid pattern '{pattern}': {why}.")


def _parse_side(side: str, pattern: str) -> list:
    """One side of a pattern as a list of groups (lists of axis names); a bare name is a group of one."""
    groups, open_group = [], None
    for token in _TOKEN.findall(side):
        if token == "(":
            if open_group is not None:
                raise _bad(pattern, "parentheses cannot be nested")
            open_group = []
        elif token == ")":
            if open_group is None:
                raise _bad(pattern, "')' has no matching '('")
            if not open_group:
                raise _bad(pattern, "empty groups '()' are not supported")
            groups.append(open_group)
            open_group = None
        elif not token.isidentifier():
            raise _bad(pattern, f"'{token}' is not an axis name (ellipsis and anonymous axes are not supported)")
        elif open_group is not None:
            open_group.append(token)
        else:
            groups.append([token])
    if open_group is not None:
        raise _bad(pattern, "'(' is never closed")
    names = [name for group in groups for name in group]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise _bad(pattern, f"axes {repeated} appear more than once on one side")
    return groups


@functools.lru_cache(maxsize=256)
def _parse(pattern: str) -> tuple:
    """``(input_groups, output_groups)`` of a pattern, checked to name the same axes on both sides."""
    if not isinstance(pattern, str) or pattern.count("->") != 1:
        raise _bad(pattern, "expected exactly one '->' between the input and output axes")
    left, right = pattern.split("->")
    inputs, outputs = _parse_side(left, pattern), _parse_side(right, pattern)
    only_in = sorted({n for g in inputs for n in g} - {n for g in outputs for n in g})
    only_out = sorted({n for g in outputs for n in g} - {n for g in inputs for n in g})
    if only_in or only_out:
        raise _bad(pattern, f"both sides must name the same axes (only on the left: {only_in}, "
                            f"only on the right: {only_out})")
    return inputs, outputs


def _axis_sizes(shape: tuple, groups: list, pattern: str, axes_lengths: dict) -> dict:
    """Size of every input axis (None where unknown), from ``shape`` and the given ``axes_lengths``."""
    names = {n for g in groups for n in g}
    unused = sorted(set(axes_lengths) - names)
    if unused:
        raise ValueError(f"`rearrange`: axes_lengths {unused} are not axes of the pattern '{pattern}'.")
    if len(groups) != len(shape):
        raise ValueError(f"`rearrange`: the pattern '{pattern}' describes {len(groups)} input axes, but the tensor "
                         f"has rank {len(shape)} (shape {shape}).")
    sizes = {}
    for group, dim in zip(groups, shape):
        unknown = [n for n in group if n not in axes_lengths]
        if len(group) == 1 and not unknown and dim is not None and axes_lengths[group[0]] != dim:
            raise ValueError(f"`rearrange`: axis '{group[0]}' of '{pattern}' has length {dim}, but "
                             f"axes_lengths says {axes_lengths[group[0]]}.")
        if len(unknown) > 1:
            raise ValueError(f"`rearrange`: cannot split a dimension into ({' '.join(group)}) of '{pattern}' "
                             f"with {unknown} all unknown; give all but one of them in axes_lengths.")
        known = math.prod(axes_lengths[n] for n in group if n in axes_lengths)
        if dim is not None and (dim % known if unknown else dim != known):
            raise ValueError(f"`rearrange`: a dimension of length {dim} cannot be split into "
                             f"({' '.join(group)}) of '{pattern}' with axes_lengths {axes_lengths}.")
        for name in group:
            if name in axes_lengths:
                sizes[name] = axes_lengths[name]
            else:
                sizes[name] = None if dim is None else dim // known
    return sizes


def _group_size(group: list, sizes: dict):
    dims = [sizes[n] for n in group]
    return None if None in dims else math.prod(dims)


def _plan(shape: tuple, pattern: str, axes_lengths: dict) -> tuple:
    """``(split_shape, permutation, output_shape)``: the reshape, transpose and reshape that do the job."""
    inputs, outputs = _parse(pattern)
    sizes = _axis_sizes(tuple(shape), inputs, pattern, axes_lengths)
    split_axes = [n for g in inputs for n in g]
    permutation = [split_axes.index(n) for g in outputs for n in g]
    return tuple(sizes[n] for n in split_axes), permutation, tuple(_group_size(g, sizes) for g in outputs)


def _rearrange_rule(tensor, pattern: str, **axes_lengths) -> SymbolicTensor:
    return SymbolicTensor(_plan(shape_of(tensor), pattern, axes_lengths)[2], dtype_of(tensor))


@op(_rearrange_rule)
def rearrange(tensor, pattern: str, **axes_lengths: int):
    """Rearrange the axes of ``tensor`` as an einops ``pattern`` says: permute, split and merge them.

    Args:
        tensor: Input tensor.
        pattern: Input and output axis names separated by ``->``; a parenthesised group splits an input
            dimension (left side) or merges axes into one (right side).
        **axes_lengths: Lengths of split axes that cannot be inferred (all but one per group).

    Returns:
        The rearranged tensor, with the input's dtype.

    Example:

    >>> images = np.zeros((2, 4, 6, 3))
    >>> tuple(rearrange(images, "b h w c -> b c h w").shape)
    (2, 3, 4, 6)
    >>> tuple(rearrange(images, "b (h p1) (w p2) c -> b h w (p1 p2 c)", p1=2, p2=3).shape)
    (2, 2, 2, 18)
    """
    tensor = convert_to_tensor(tensor)
    shape = shape_of(tensor)
    split_shape, permutation, output_shape = _plan(shape, pattern, axes_lengths)
    if split_shape != shape:
        tensor = reshape(tensor, split_shape)
    if permutation != sorted(permutation):
        tensor = transpose(tensor, permutation)
    if output_shape != shape_of(tensor):
        tensor = reshape(tensor, output_shape)
    return tensor
