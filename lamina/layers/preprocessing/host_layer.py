"""HostLayer: a preprocessing layer whose work runs on the host, in NumPy/Python (strings, vocabularies).

Such a layer takes Python lists, NumPy arrays (str, bytes, object or numbers) or engine tensors, does its
work in NumPy and returns an engine tensor. It declares ``runs_on_host = True``: the trainer finds the host
layers that read a model input directly and runs them on each batch *before* the engine step (on JAX, before
the jitted part), then calls the step inside ``host_outputs_given(layers)``, where those layers hand back
the value they receive (already their output) instead of computing it again.
"""

from __future__ import annotations

import contextlib

import numpy as np

from lamina import backend
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer

_given: set = set()  # ids of the host layers whose outputs the current step receives precomputed


@contextlib.contextmanager
def host_outputs_given(layers):
    """Within this block, each of ``layers`` returns its input unchanged: the caller ran it on the host."""
    ids = {id(layer) for layer in layers} - _given
    _given.update(ids)
    try:
        yield
    finally:
        _given.difference_update(ids)


def to_host(inputs) -> np.ndarray:
    """``inputs`` as a NumPy array: strings stay ``str`` (bytes are decoded as UTF-8), numbers stay numbers."""
    if backend.is_tensor(inputs) or isinstance(inputs, backend.Variable):
        return np.asarray(backend.convert_to_numpy(inputs))
    array = np.asarray(inputs, dtype=object if _holds_text(inputs) else None)
    if array.dtype.kind == "S" or (array.dtype.kind == "O" and array.size and isinstance(array.flat[0], bytes)):
        array = np.vectorize(lambda b: b.decode("utf-8") if isinstance(b, bytes) else b, otypes=[object])(array)
    return array


def _holds_text(inputs) -> bool:
    if isinstance(inputs, (str, bytes)):
        return True
    if isinstance(inputs, np.ndarray):
        return inputs.dtype.kind in "USO"
    if isinstance(inputs, (list, tuple)) and inputs:
        return _holds_text(inputs[0])
    return False


class HostLayer(Layer):
    """Base of the preprocessing layers computed on the host. Subclasses implement ``host_call(array)``
    (NumPy in, NumPy out) and ``compute_output_shape``/``output_dtype``."""

    runs_on_host = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.built = True

    def __call__(self, *args, **kwargs):
        if id(self) in _given:
            return args[0]
        return super().__call__(*args, **kwargs)

    def _convert_inputs(self, inputs):
        return inputs  # strings cannot become engine tensors: ``call`` reads the data on the host

    def _maybe_build(self, args, kwargs):
        return None

    def call(self, inputs):
        if isinstance(inputs, SymbolicTensor):
            return self.compute_output_spec(inputs)
        return backend.convert_to_tensor(self.host_call(to_host(inputs)), dtype=self.output_dtype)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return SymbolicTensor(self.compute_output_shape(tuple(inputs.shape)), self.output_dtype)

    @property
    def output_dtype(self) -> str:
        return backend.floatx()

    def host_call(self, array: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True
