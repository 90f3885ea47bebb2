"""JAX engine core: device choice, array conversion, Variable storage and the Layer base.

JAX arrays are immutable: a Variable holds the current array and ``assign`` replaces it. Inside a
``StatelessScope`` (the jitted training step) reads and writes go to the scope instead.
64-bit types are enabled so that lamina's dtype table (int64 iterations, float64 inputs) means the same
on every engine; lamina always passes explicit dtypes, so defaults do not widen.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from lamina import config
from lamina.backend.common import dtypes
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.backend.common.variable import Variable as _VariableBase

jax.config.update("jax_enable_x64", True)

NAME = "jax"
Tensor = type(jnp.zeros(()))  # the concrete array type, compared by identity on the layer fast path


def _pick_device():
    requested = config.device()
    if requested:
        platform = {"cuda": "gpu"}.get(requested.split(":")[0], requested.split(":")[0])
        index = int(requested.split(":")[1]) if ":" in requested else 0
        return jax.devices(platform)[index]
    return jax.devices()[0]


DEVICE = _pick_device()


def engine_dtype(dtype) -> np.dtype:
    """The NumPy dtype object JAX arrays carry, for a lamina dtype name."""
    name = dtypes.standardize_dtype(dtype)
    return jnp.dtype(name)


class Variable(_VariableBase):
    """A Variable holding an immutable JAX array; ``assign`` swaps in a new one."""

    def _initialize(self, value):
        self._value = value

    def _convert(self, value, dtype):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        self._value = value

    def numpy(self):
        return np.asarray(self.value)

    def __jax_array__(self):
        return self.value


def convert_to_tensor(x, dtype=None, sparse=None):
    """A JAX array on lamina's device holding ``x`` (cast to ``dtype`` when given)."""
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, SymbolicTensor):
        raise TypeError(
            "A symbolic tensor was passed where a real value is needed. Symbolic tensors only flow "
            f"through layers and lamina.ops while a model is being built. Received: {x}"
        )
    if dtype is not None:
        dtype = engine_dtype(dtype)
    elif isinstance(x, (bool, int, float)):
        dtype = engine_dtype(dtypes.result_type(type(x)))
    elif isinstance(x, (list, tuple)) and _all_python_scalars(x):
        dtype = engine_dtype(dtypes.result_type(*{type(i) for i in _flatten(x)}))
    if isinstance(x, jax.Array):
        return x if dtype is None or x.dtype == dtype else x.astype(dtype)
    if hasattr(x, "__array__") and not isinstance(x, np.ndarray) and not isinstance(x, (list, tuple)):
        x = np.asarray(x)
    if isinstance(x, np.ndarray) and x.dtype == object:
        x = np.asarray(x.tolist())
    return jax.device_put(jnp.asarray(x, dtype=dtype), DEVICE)


def _flatten(items):
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from _flatten(item)
        else:
            yield item


def _all_python_scalars(items) -> bool:
    return all(isinstance(i, (bool, int, float)) for i in _flatten(items))


def convert_to_numpy(x) -> np.ndarray:
    if isinstance(x, Variable):
        x = x.value
    return np.asarray(x)


def is_tensor(x) -> bool:
    return isinstance(x, jax.Array)


def standardize_dtype(dtype) -> str:
    return dtypes.standardize_dtype(dtype)


def get_dtype(x) -> str:
    """The lamina dtype name of an array, Variable, symbolic tensor or Python scalar."""
    if isinstance(x, (_VariableBase, SymbolicTensor)):
        return x.dtype
    if isinstance(x, (bool, int, float)):
        return dtypes.result_type(type(x))
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        dtype = np.asarray(x).dtype
    return dtypes.standardize_dtype(dtype)


def shape(x) -> tuple:
    return tuple(x.shape)


def cast(x, dtype):
    return convert_to_tensor(x).astype(engine_dtype(dtype))


def stop_gradient(x):
    return jax.lax.stop_gradient(convert_to_tensor(x))


def device_name() -> str:
    return f"{DEVICE.platform}:{DEVICE.id}"


def is_engine_data_loader(obj) -> bool:
    """JAX has no data-loader type of its own."""
    return False


def to_device(x):
    """``x`` on lamina's device."""
    return jax.device_put(x, DEVICE)
