"""Torch engine core: device choice, tensor conversion, Variable storage and the Layer base."""

from __future__ import annotations

import numpy as np
import torch

from lamina import config
from lamina.backend.common import dtypes
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.backend.common.variable import Variable as _VariableBase

NAME = "torch"
Tensor = torch.Tensor
LayerBase = torch.nn.Module  # on torch every Layer is a torch.nn.Module


def _pick_device() -> torch.device:
    requested = config.device()
    if requested:
        return torch.device(requested)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


DEVICE = _pick_device()

_TORCH_DTYPES = {
    "bool": torch.bool, "uint8": torch.uint8, "uint16": torch.uint16, "uint32": torch.uint32,
    "uint64": torch.uint64, "int8": torch.int8, "int16": torch.int16, "int32": torch.int32,
    "int64": torch.int64, "float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32,
    "float64": torch.float64, "complex64": torch.complex64, "complex128": torch.complex128,
}
_NAMES = {value: key for key, value in _TORCH_DTYPES.items()}


def to_torch_dtype(dtype) -> torch.dtype:
    """The torch dtype for a lamina dtype name (or anything ``standardize_dtype`` accepts)."""
    if isinstance(dtype, torch.dtype):
        return dtype
    return _TORCH_DTYPES[dtypes.standardize_dtype(dtype)]


def dtype_name(dtype: torch.dtype) -> str:
    return _NAMES[dtype]


class Variable(_VariableBase):
    """A Variable stored as a ``torch.nn.Parameter`` so autograd and torch tooling see it."""

    def _initialize(self, value):
        trainable = self._trainable and value.is_floating_point()
        self._value = torch.nn.Parameter(value, requires_grad=trainable)

    def _convert(self, value, dtype):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        with torch.no_grad():
            self._value.copy_(value)

    def _set_trainable(self, trainable):
        self._value.requires_grad_(trainable and self._value.is_floating_point())

    def numpy(self):
        return self.value.detach().cpu().numpy()

    def __torch_function__(self, func, types, args=(), kwargs=None):
        unwrap = lambda x: x.value if isinstance(x, Variable) else x  # noqa: E731
        args = [unwrap(a) if not isinstance(a, (list, tuple)) else type(a)(unwrap(i) for i in a) for a in args]
        kwargs = {k: unwrap(v) for k, v in (kwargs or {}).items()}
        return func(*args, **kwargs)


def convert_to_tensor(x, dtype=None, sparse=None):
    """A torch tensor on lamina's device holding ``x`` (cast to ``dtype`` when given)."""
    if type(x) is torch.Tensor or type(x) is torch.nn.Parameter:
        if dtype is None:
            return x
        target = to_torch_dtype(dtype)
        return x if x.dtype == target else x.to(target)
    if isinstance(x, Variable):
        return convert_to_tensor(x.value, dtype)
    if isinstance(x, SymbolicTensor):
        raise TypeError(
            "A symbolic tensor was passed where a real value is needed. Symbolic tensors only flow "
            f"through layers and lamina.ops while a model is being built. Received: {x}"
        )
    if isinstance(x, torch.Tensor):
        x = x.as_subclass(torch.Tensor)
        return x if dtype is None else x.to(to_torch_dtype(dtype))
    if dtype is None:
        if isinstance(x, (bool, int, float)):
            dtype = dtypes.result_type(type(x))
        elif isinstance(x, (list, tuple)) and _all_python_scalars(x):
            dtype = dtypes.result_type(*{type(i) for i in _flatten(x)})
    if isinstance(x, np.ndarray) or (hasattr(x, "__array__") and not isinstance(x, (list, tuple))):
        array = np.asarray(x)
        if array.dtype == object:
            array = np.asarray(array.tolist())
        if not array.flags.writeable or not array.flags.c_contiguous:
            array = np.array(array, order="C")
        tensor = torch.from_numpy(array).to(DEVICE)
        return tensor if dtype is None else tensor.to(to_torch_dtype(dtype))
    torch_dtype = None if dtype is None else to_torch_dtype(dtype)
    return torch.as_tensor(x, dtype=torch_dtype, device=DEVICE)


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
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            x = x.float()
        return x.cpu().numpy()
    return np.asarray(x)


def is_tensor(x) -> bool:
    return isinstance(x, torch.Tensor)


def standardize_dtype(dtype) -> str:
    if isinstance(dtype, torch.dtype):
        return _NAMES[dtype]
    return dtypes.standardize_dtype(dtype)


def get_dtype(x) -> str:
    """The lamina dtype name of a tensor, Variable, array or Python scalar."""
    if isinstance(x, torch.Tensor):
        return _NAMES[x.dtype]
    if isinstance(x, (_VariableBase, SymbolicTensor)):
        return x.dtype
    if isinstance(x, (bool, int, float)):
        return dtypes.result_type(type(x))
    return dtypes.standardize_dtype(np.asarray(x).dtype)


def shape(x) -> tuple:
    return tuple(x.shape)


def cast(x, dtype):
    return convert_to_tensor(x).to(to_torch_dtype(dtype))


def stop_gradient(x):
    return convert_to_tensor(x).detach()


def device_name() -> str:
    return str(DEVICE)
