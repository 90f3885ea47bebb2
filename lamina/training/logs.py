"""Per-batch logs that cost nothing until read.

A training step returns a ``LazyLogs`` over the model's metrics. Reading an entry computes that metric's
result on the device and converts it to a Python float: a host sync, paid only by the callbacks that look
(the progress bar, a few times a second), never by the loop itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from lamina import backend


def to_python(value):
    """A tensor (or structure of them) as Python floats/lists; other values unchanged."""
    if backend.is_tensor(value) or isinstance(value, backend.Variable):
        array = backend.convert_to_numpy(value)
        return array.item() if array.ndim == 0 else array.tolist()
    if isinstance(value, dict):
        return {key: to_python(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_python(item) for item in value]
    return value


class LazyLogs(Mapping):
    """``{name: value}`` whose values are computed and converted on first access."""

    def __init__(self, sources: dict):
        self._sources = sources  # name -> metric (has .result()) or tensor
        self._values = {}

    def __getitem__(self, key):
        if key not in self._values:
            source = self._sources[key]
            self._values[key] = to_python(source.result() if hasattr(source, "result") else source)
        return self._values[key]

    def __iter__(self):
        return iter(self._sources)

    def __len__(self):
        return len(self._sources)

    def __repr__(self):
        return f"LazyLogs({dict(self)})"
