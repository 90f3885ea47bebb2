"""Data adapters: every kind of training input turned into ``(x, y, sample_weight)`` batches on the device."""

from __future__ import annotations

from lamina import backend
from lamina.training.data_adapters.array_adapter import ArrayAdapter
from lamina.training.data_adapters.class_weights import ClassWeighting
from lamina.training.data_adapters.data_utils import (
    is_array_data,
    map_leaves,
    to_host_array,
    train_validation_split,
    unpack_x_y_sample_weight,
)
from lamina.training.data_adapters.stream_adapters import (
    GeneratorAdapter,
    IterableAdapter,
    PyDatasetAdapter,
    StreamAdapter,
)
from lamina.utils.py_dataset import PyDataset


def _source_kind(x) -> str | None:
    """The kind of batch source ``x`` is (it then brings its own targets), or None for arrays."""
    if isinstance(x, PyDataset):
        return "a PyDataset"
    if backend.core.is_engine_data_loader(x):
        return "a data loader"
    if is_array_data(x):
        return None
    if hasattr(x, "__next__"):
        return "a generator"
    if hasattr(x, "__iter__") and not isinstance(x, (str, bytes, dict, list, tuple)):
        return "an iterable"
    if isinstance(x, (list, tuple, dict)):
        map_leaves(lambda leaf: to_host_array(leaf, "x"), x)  # name the structure's unsupported leaf
    raise TypeError(
        "Unrecognized data type: expected NumPy arrays, engine tensors, pandas objects, lists of numbers (or "
        "lists/tuples/dicts of those), a generator or iterator, a lamina.utils.PyDataset or the engine's data "
        f"loader. Received: x of type {type(x).__name__}"
    )


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None,
                     output_names=None):
    """The adapter that serves ``x`` (and ``y``, ``sample_weight`` for arrays) in batches."""
    weighting = ClassWeighting(class_weight, output_names) if class_weight else None
    kind = _source_kind(x)
    if kind is None:
        for name, data in (("y", y), ("sample_weight", sample_weight)):
            if not is_array_data(data):
                raise TypeError(
                    f"`{name}` must be arrays (NumPy, engine tensors, pandas, lists of numbers) when `x` is. "
                    f"Received: {name} of type {type(data).__name__}"
                )
        return ArrayAdapter(x, y, sample_weight, batch_size, shuffle, weighting)
    for name, data in (("y", y), ("sample_weight", sample_weight)):
        if data is not None:
            raise ValueError(f"`{name}` must not be given when `x` is {kind}: its batches carry their own targets "
                             f"and sample weights. Received: {name} of type {type(data).__name__}")
    if isinstance(x, PyDataset):
        return PyDatasetAdapter(x, weighting)
    if kind == "a generator":
        return GeneratorAdapter(x, weighting)
    return IterableAdapter(x, weighting)


__all__ = [
    "ArrayAdapter", "ClassWeighting", "GeneratorAdapter", "IterableAdapter", "PyDatasetAdapter", "StreamAdapter",
    "get_data_adapter", "train_validation_split", "unpack_x_y_sample_weight",
]
