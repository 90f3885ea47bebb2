"""The data ``adapt`` accepts, as the batches it holds: one array (a NumPy array or an engine tensor) is one
batch; a ``PyDataset``, list or generator yields batches, where an ``(x, y[, sample_weight])`` tuple
contributes its ``x``. Statistics are gathered on the host, in NumPy."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from lamina import backend
from lamina.utils.py_dataset import PyDataset


def _as_array(batch) -> np.ndarray:
    if isinstance(batch, tuple):
        batch = batch[0]
    if backend.is_tensor(batch) or isinstance(batch, backend.Variable):
        return np.asarray(backend.convert_to_numpy(batch))
    return np.asarray(batch)


def adapt_batches(data, layer: str) -> Iterator[np.ndarray]:
    """The batches of ``data`` as NumPy arrays; raises for data ``adapt`` cannot read or that holds none."""
    if isinstance(data, np.ndarray) or backend.is_tensor(data) or isinstance(data, backend.Variable):
        yield _as_array(data)
        return
    if isinstance(data, PyDataset):
        data = (data[index] for index in range(len(data)))
    elif not hasattr(data, "__iter__") or isinstance(data, (str, bytes)):
        raise TypeError(f"{layer}.adapt() expects a NumPy array, a tensor, a PyDataset or an iterable of batches. "
                        f"Received: data of type {type(data).__name__}")
    empty = True
    for batch in data:
        empty = False
        yield _as_array(batch)
    if empty:
        raise ValueError(f"{layer}.adapt() received no batches. Expected at least one batch, e.g. "
                         "layer.adapt([x]) or layer.adapt(x).")
