"""Torch implementations of the NumPy-style ops (``lamina.ops.numpy``), following lamina's dtype table."""

from __future__ import annotations

import torch

from lamina.backend.common.dtypes import result_type
from lamina.backend.torch.core import Variable, convert_to_tensor, get_dtype, to_torch_dtype

_Tensor = torch.Tensor
_Parameter = torch.nn.Parameter
_SCALARS = (bool, int, float)


def _tensor(x):
    """``x`` as a torch tensor, without touching tensors already (the common case costs one type test)."""
    kind = type(x)
    if kind is _Tensor or kind is _Parameter:
        return x
    return convert_to_tensor(x)


def _operands(x1, x2):
    """Both operands of a binary op, promoted to one dtype by lamina's table.

    A Python scalar whose weak dtype yields to the tensor's stays a scalar (torch keeps it weak too).
    """
    kind1, kind2 = type(x1), type(x2)
    if (kind1 is _Tensor or kind1 is _Parameter) and (kind2 is _Tensor or kind2 is _Parameter):
        if x1.dtype == x2.dtype:
            return x1, x2
    if isinstance(x1, Variable):
        x1 = x1.value
    if isinstance(x2, Variable):
        x2 = x2.value
    d1 = type(x1) if isinstance(x1, _SCALARS) else get_dtype(x1)
    d2 = type(x2) if isinstance(x2, _SCALARS) else get_dtype(x2)
    dtype = result_type(d1, d2)
    if isinstance(x2, _SCALARS) and not isinstance(x1, _SCALARS) and dtype == d1:
        return _tensor(x1), x2
    if isinstance(x1, _SCALARS) and not isinstance(x2, _SCALARS) and dtype == d2:
        return x1, _tensor(x2)
    return convert_to_tensor(x1, dtype), convert_to_tensor(x2, dtype)


def _promote_all(xs):
    """A list of tensors all cast to their promoted dtype."""
    tensors = [_tensor(x) if not isinstance(x, _SCALARS) else x for x in xs]
    dtype = result_type(*(type(t) if isinstance(t, _SCALARS) else get_dtype(t) for t in tensors))
    return [convert_to_tensor(t, dtype) for t in tensors]


def add(x1, x2):
    x1, x2 = _operands(x1, x2)
    return torch.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _operands(x1, x2)
    return torch.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _operands(x1, x2)
    return torch.multiply(x1, x2)


def divide(x1, x2):
    x1, x2 = _operands(x1, x2)
    if not (x1 if isinstance(x1, _Tensor) else x2).is_floating_point():
        dtype = result_type(get_dtype(x1) if not isinstance(x1, _SCALARS) else type(x1), float)
        x1, x2 = convert_to_tensor(x1, dtype), convert_to_tensor(x2, dtype)
    return torch.divide(x1, x2)


def matmul(x1, x2):
    x1, x2 = _operands(x1, x2)
    return torch.matmul(x1, x2)


def reshape(x, newshape):
    if isinstance(newshape, int):
        newshape = (newshape,)
    return torch.reshape(_tensor(x), tuple(-1 if d is None else d for d in newshape))


def transpose(x, axes=None):
    x = _tensor(x)
    if axes is None:
        axes = tuple(reversed(range(x.ndim)))
    return x.permute(tuple(axes))


def sum(x, axis=None, keepdims=False):
    x = _tensor(x)
    if axis is None:
        axis = tuple(range(x.ndim))
    return torch.sum(x, dim=axis, keepdim=keepdims, dtype=_sum_dtype(x))


def _sum_dtype(x):
    """Sums keep the input dtype, except bool and narrow ints, which sum in int32 as Keras does."""
    if x.dtype in (torch.bool, torch.int8, torch.int16, torch.uint8):
        return torch.int32
    return x.dtype


def mean(x, axis=None, keepdims=False):
    x = _tensor(x)
    if not x.is_floating_point():
        x = x.to(to_torch_dtype(result_type(get_dtype(x), float)))
    if axis is None:
        axis = tuple(range(x.ndim))
    return torch.mean(x, dim=axis, keepdim=keepdims)


def concatenate(xs, axis=0):
    return torch.cat(_promote_all(xs), dim=axis)
