"""Helpers shared by the data adapters: array-like detection, batch unpacking, the validation split."""

from __future__ import annotations

import math
import numbers

import numpy as np

from lamina import backend, tree
from lamina.utils.argument_validation import check_array_dtype, is_text_array
from lamina.utils.data_utils import unpack_x_y_sample_weight  # noqa: F401 (the adapters' import point)

_STRUCTURES = (list, tuple, dict)


def _is_number_list(data) -> bool:
    """A (nested) list or tuple of plain numbers: one array, not a structure of arrays."""
    if not isinstance(data, (list, tuple)) or not data:
        return False
    return all(isinstance(item, numbers.Number) or _is_number_list(item) for item in data)


def is_array_leaf(leaf) -> bool:
    """Whether ``leaf`` holds one array: NumPy, an engine tensor, pandas (``to_numpy``), a list of numbers."""
    return (
        isinstance(leaf, np.ndarray)
        or backend.is_tensor(leaf)
        or hasattr(leaf, "to_numpy")
        or hasattr(leaf, "__array__")
        or _is_number_list(leaf)
    )


def map_leaves(func, data):
    """Apply ``func`` to every array leaf of ``data`` (lists of numbers are leaves; ``None`` stays ``None``)."""
    if data is None:
        return None
    if isinstance(data, dict):
        return type(data)((key, map_leaves(func, value)) for key, value in data.items())
    if isinstance(data, _STRUCTURES) and not _is_number_list(data):
        return type(data)(map_leaves(func, item) for item in data)
    return func(data)


def is_array_data(data) -> bool:
    """Whether ``data`` is ``None`` or a structure whose every leaf is an array."""
    if data is None:
        return True
    leaves = []
    map_leaves(leaves.append, data)
    return bool(leaves) and all(is_array_leaf(leaf) for leaf in leaves)


def to_host_array(leaf, name: str = "x"):
    """``leaf`` as a NumPy array, or unchanged when it is already an engine tensor."""
    if backend.is_tensor(leaf):
        return leaf
    if isinstance(leaf, np.ndarray):
        array = leaf
    elif hasattr(leaf, "to_numpy"):  # pandas DataFrame / Series, without importing pandas
        array = leaf.to_numpy()
    elif is_array_leaf(leaf):
        array = np.asarray(leaf)
    else:
        array = None
    if array is not None:
        if name != "x":  # strings in x stay on the host for a model's string layers (the trainer checks it has one)
            check_array_dtype(array, name)
        return array
    raise TypeError(
        f"Unsupported data type in `{name}`: expected NumPy arrays, engine tensors, pandas objects or lists "
        f"of numbers (or lists/tuples/dicts of those). Received: {type(leaf).__name__}"
    )


def to_device(leaf):
    """One batch leaf as a tensor on lamina's device (``None`` stays ``None``; strings stay a host array)."""
    if leaf is None:
        return None
    array = to_host_array(leaf)
    return array if is_text_array(array) else backend.core.to_device(array)


def num_samples(leaf) -> int:
    shape = getattr(leaf, "shape", None)
    if not shape:
        raise ValueError(f"Every input array needs a batch dimension. Received a value of shape {shape}: {leaf!r}")
    return int(shape[0])


def check_num_samples(named_data: dict) -> int:
    """The common number of samples of every array in ``{"x": ..., "y": ..., ...}``; a clear error otherwise."""
    sizes = {name: [num_samples(leaf) for leaf in tree.flatten(data) if leaf is not None]
             for name, data in named_data.items()}
    distinct = {size for group in sizes.values() for size in group}
    if len(distinct) > 1:
        received = ", ".join(f"{name} sizes: {group[0] if len(group) == 1 else group}"
                             for name, group in sizes.items() if group)
        raise ValueError(
            f"Data cardinality is ambiguous: every array must contain the same number of samples. Received: {received}"
        )
    if not distinct or distinct == {0}:
        raise ValueError("The input data holds no samples (every array has a leading dimension of 0).")
    return distinct.pop()


def train_validation_split(arrays: tuple, validation_split: float) -> tuple:
    """Split ``(x, y, sample_weight)`` into training and validation parts: the last ``validation_split`` of the
    samples (taken before any shuffling) are held out, as Keras does. Only arrays can be split.
    """
    if not isinstance(validation_split, numbers.Real) or not 0.0 < validation_split < 1.0:
        raise ValueError(
            "Invalid value for argument `validation_split`. Expected a float between 0 and 1 (exclusive). "
            f"Received: validation_split={validation_split!r}"
        )
    for name, data in zip(("x", "y", "sample_weight"), arrays):
        if not is_array_data(data):
            leaves = []
            map_leaves(leaves.append, data)
            bad = next((leaf for leaf in leaves if not is_array_leaf(leaf)), data)
            raise ValueError(
                "`validation_split` is only supported for NumPy arrays, engine tensors, pandas objects and lists "
                f"of numbers; pass `validation_data` instead for generators, datasets and loaders. Received: "
                f"{name} of type {type(bad).__name__}"
            )
    arrays = tuple(map_leaves(to_host_array, data) for data in arrays)
    total = check_num_samples(dict(zip(("x", "y", "sample_weight"), arrays)))
    split_at = int(math.floor(total * (1.0 - validation_split)))
    if split_at == 0 or split_at == total:
        raise ValueError(
            f"The data holds {total} samples, too few to split into training and validation sets with "
            f"`validation_split={validation_split}`. Provide more data or another `validation_split`."
        )
    train = tuple(map_leaves(lambda leaf: leaf[:split_at], data) for data in arrays)
    validation = tuple(map_leaves(lambda leaf: leaf[split_at:], data) for data in arrays)
    return train, validation
