"""Torch implementations of the NumPy-style ops (``lamina.ops.numpy``), following lamina's dtype table.

Every function accepts torch tensors, lamina Variables, NumPy arrays, Python scalars and lists. The common
case (torch tensors of one dtype) costs a type test before the torch call.
"""

from __future__ import annotations

import builtins
import functools
import math as _math

import numpy as np
import torch

from lamina import config
from lamina.backend.common.dtypes import result_type
from lamina.backend.torch.core import DEVICE, Variable, convert_to_tensor, get_dtype, to_torch_dtype

_Tensor = torch.Tensor
_Parameter = torch.nn.Parameter
_SCALARS = (bool, int, float)
_NARROW = (torch.bool, torch.int8, torch.int16, torch.uint8, torch.uint16)


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
    if isinstance(x1, _Tensor) and isinstance(x2, _Tensor) and x1.dtype == x2.dtype:
        return x1, x2
    d1 = type(x1) if isinstance(x1, _SCALARS) else get_dtype(x1)
    d2 = type(x2) if isinstance(x2, _SCALARS) else get_dtype(x2)
    dtype = result_type(d1, d2)
    if isinstance(x2, _SCALARS) and not isinstance(x1, _SCALARS) and dtype == d1:
        return _tensor(x1), x2
    if isinstance(x1, _SCALARS) and not isinstance(x2, _SCALARS) and dtype == d2:
        return x1, _tensor(x2)
    return convert_to_tensor(x1, dtype), convert_to_tensor(x2, dtype)


def _pair(x1, x2):
    """Both operands as tensors of their promoted dtype (for torch calls that refuse Python scalars)."""
    x1, x2 = _operands(x1, x2)
    if isinstance(x1, _SCALARS):
        x1 = torch.as_tensor(x1, dtype=x2.dtype, device=x2.device)
    elif isinstance(x2, _SCALARS):
        x2 = torch.as_tensor(x2, dtype=x1.dtype, device=x1.device)
    return x1, x2


def _promote_all(xs):
    """A list of tensors all cast to their promoted dtype."""
    tensors = [_tensor(x) if not isinstance(x, _SCALARS) else x for x in xs]
    dtype = result_type(*(type(t) if isinstance(t, _SCALARS) else get_dtype(t) for t in tensors))
    return [convert_to_tensor(t, dtype) for t in tensors]


def _float(x, dtype=None):
    """``x`` as a floating tensor: integer and bool inputs become ``dtype`` (floatx by default, as Keras'
    float-valued ops give)."""
    x = _tensor(x)
    if x.is_floating_point() or x.is_complex():
        return x
    return x.to(to_torch_dtype(dtype or config.floatx()))


def _float_pair(x1, x2, wide=False):
    """Both operands promoted, then made floating (ints give floatx; with ``wide``, int64 gives float64)."""
    x1, x2 = _pair(x1, x2)
    if x1.is_floating_point() or x1.is_complex():
        return x1, x2
    dtype = torch.float64 if wide and x1.dtype == torch.int64 else to_torch_dtype(config.floatx())
    return x1.to(dtype), x2.to(dtype)


def _wide_float(x):
    """``x`` as a floating tensor wide enough for it: int64 gives float64, other ints and bool floatx."""
    x = _tensor(x)
    return x.to(torch.float64) if x.dtype == torch.int64 else _float(x)


def _dims(x, axis):
    """Torch ``dim`` argument for ``axis`` (None means every axis)."""
    if axis is None:
        return tuple(range(x.ndim))
    return axis if isinstance(axis, int) else tuple(axis)


def _accumulator_dtype(x):
    """Sums and products keep the input dtype, except bool and narrow ints, which use int32 as Keras does."""
    return torch.int32 if x.dtype in _NARROW else x.dtype


def _index(x):
    """An index result in Keras' int32."""
    return x.to(torch.int32)


# -- elementwise arithmetic -----------------------------------------------------------------------
def _promoted(torch_fn):
    """A binary op applied to the operands promoted by lamina's table (Python scalars kept weak)."""

    def binary(x1, x2):
        return torch_fn(*_operands(x1, x2))

    binary.__name__ = torch_fn.__name__
    return binary


add = _promoted(torch.add)


subtract = _promoted(torch.subtract)


multiply = _promoted(torch.multiply)


def divide(x1, x2):
    x1, x2 = _operands(x1, x2)
    if not (x1 if isinstance(x1, _Tensor) else x2).is_floating_point():
        dtype = result_type(get_dtype(x1) if not isinstance(x1, _SCALARS) else type(x1), float)
        x1, x2 = convert_to_tensor(x1, dtype), convert_to_tensor(x2, dtype)
    return torch.divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return torch.where(x2 == 0, torch.zeros((), dtype=x1.dtype, device=x1.device), x1 / x2)


power = _promoted(torch.pow)


floor_divide = _promoted(torch.floor_divide)


def _remainder(function):
    """A remainder op (``remainder``, ``fmod``) on the promoted pair; bools count as int32, as in Keras."""
    def remainder(x1, x2):
        x1, x2 = _pair(x1, x2)
        if x1.dtype == torch.bool:
            x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
        return function(x1, x2)

    return remainder


mod = _remainder(torch.remainder)


def _clamps_directly(x, scalar):
    """True when ``scalar`` is a Python scalar that takes tensor ``x``'s dtype, so a clamp needs no promotion."""
    if not isinstance(x, _Tensor) or not isinstance(scalar, _SCALARS):
        return False
    return x.is_floating_point() or (type(scalar) is not float and x.dtype != torch.bool)


def maximum(x1, x2):
    if _clamps_directly(x1, x2):
        return torch.clamp(x1, min=x2)
    return torch.maximum(*_pair(x1, x2))


def minimum(x1, x2):
    if _clamps_directly(x1, x2):
        return torch.clamp(x1, max=x2)
    return torch.minimum(*_pair(x1, x2))


def arctan2(x1, x2):
    return torch.atan2(*_float_pair(x1, x2))


def logaddexp(x1, x2):
    return torch.logaddexp(*_float_pair(x1, x2))


def hypot(x1, x2):
    return torch.hypot(*_float_pair(x1, x2, wide=True))


def heaviside(x1, x2):
    return torch.heaviside(*_float_pair(x1, x2, wide=True))


def _float_unary(torch_fn):
    """An elementwise op that computes in floating point (ints and bools become floatx first)."""
    return lambda x: torch_fn(_float(x))


exp = _float_unary(torch.exp)
exp2 = _float_unary(torch.exp2)
expm1 = _float_unary(torch.expm1)
log = _float_unary(torch.log)
log1p = _float_unary(torch.log1p)
log2 = _float_unary(torch.log2)
log10 = _float_unary(torch.log10)
sqrt = _float_unary(torch.sqrt)
sin = _float_unary(torch.sin)
cos = _float_unary(torch.cos)
tan = _float_unary(torch.tan)
arcsin = _float_unary(torch.asin)
arccos = _float_unary(torch.acos)
arctan = _float_unary(torch.atan)
sinh = _float_unary(torch.sinh)
cosh = _float_unary(torch.cosh)
tanh = _float_unary(torch.tanh)
arcsinh = _float_unary(torch.asinh)
arccosh = _float_unary(torch.acosh)
arctanh = _float_unary(torch.atanh)
reciprocal = _float_unary(torch.reciprocal)
floor = _float_unary(torch.floor)
ceil = _float_unary(torch.ceil)
angle = _float_unary(torch.angle)


def _wide_float_unary(fn):
    """An elementwise op computed in a float wide enough for the input (int64 gives float64)."""
    return lambda x: fn(_wide_float(x))


deg2rad = _wide_float_unary(torch.deg2rad)
rad2deg = _wide_float_unary(torch.rad2deg)
i0 = _wide_float_unary(torch.special.i0)


def cbrt(x):
    x = _wide_float(x)
    return torch.sign(x) * torch.abs(x).pow(1.0 / 3.0)


def absolute(x):
    x = _tensor(x)
    return x if x.dtype == torch.bool else torch.abs(x)


def negative(x):
    return torch.negative(_tensor(x))


def sign(x):
    return torch.sign(_tensor(x))


def square(x):
    x = _tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.square(x)


def round(x, decimals=0):
    x = _tensor(x)
    if x.is_floating_point():
        return torch.round(x, decimals=decimals)
    if decimals >= 0:
        return x.clone()
    scale = 10 ** (-decimals)
    return (torch.round(x.double() / scale) * scale).to(x.dtype)


def trunc(x):
    x = _tensor(x)
    return torch.trunc(x) if x.is_floating_point() else x.clone()


def clip(x, x_min, x_max):
    x = _tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.clamp(x, x_min, x_max).to(x.dtype)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = _tensor(x)
    if not x.is_floating_point():
        return x.clone()
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def copy(x):
    return _tensor(x).clone()


def conj(x):
    return torch.conj(_tensor(x)).resolve_conj()


def real(x):
    x = _tensor(x)
    return torch.real(x) if x.is_complex() else x.clone()


def imag(x):
    x = _tensor(x)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)


# -- comparisons and logic ------------------------------------------------------------------------
def _compare(torch_fn):
    """A binary op with a bool result, computed on the promoted operands."""
    def compare(x1, x2):
        x1, x2 = _operands(x1, x2)
        if isinstance(x1, _SCALARS):
            x1 = torch.as_tensor(x1, dtype=x2.dtype, device=x2.device)
        return torch_fn(x1, x2)
    return compare


equal = _compare(torch.eq)
not_equal = _compare(torch.ne)
less = _compare(torch.lt)
less_equal = _compare(torch.le)
greater = _compare(torch.gt)
greater_equal = _compare(torch.ge)


def _logical(torch_fn):
    return lambda x1, x2: torch_fn(_tensor(x1), _tensor(x2))


logical_and = _logical(torch.logical_and)
logical_or = _logical(torch.logical_or)
logical_xor = _logical(torch.logical_xor)


def logical_not(x):
    return torch.logical_not(_tensor(x))


def isnan(x):
    return torch.isnan(_tensor(x))


def isinf(x):
    return torch.isinf(_tensor(x))


def isfinite(x):
    return torch.isfinite(_tensor(x))


def isposinf(x):
    return torch.isposinf(_tensor(x))


def isneginf(x):
    return torch.isneginf(_tensor(x))


def signbit(x):
    x = _tensor(x)
    return torch.signbit(x) if x.dtype != torch.bool else torch.zeros_like(x)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return torch.isclose(*_pair(x1, x2), rtol=rtol, atol=atol, equal_nan=equal_nan)


def isin(x1, x2):
    return torch.isin(*_pair(x1, x2))


def where(condition, x1=None, x2=None):
    condition = _tensor(condition)
    if condition.dtype != torch.bool:
        condition = condition != 0
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("`where`: give both `x1` and `x2`, or neither. Received only one of them.")
    return torch.where(condition, *_pair(x1, x2))


def _bitwise(torch_fn):
    return lambda x, y: torch_fn(*_pair(x, y))


bitwise_and = _bitwise(torch.bitwise_and)
bitwise_or = _bitwise(torch.bitwise_or)
bitwise_xor = _bitwise(torch.bitwise_xor)
bitwise_left_shift = _bitwise(torch.bitwise_left_shift)
bitwise_right_shift = _bitwise(torch.bitwise_right_shift)


def bitwise_invert(x):
    return torch.bitwise_not(_tensor(x))


# -- reductions -----------------------------------------------------------------------------------
def sum(x, axis=None, keepdims=False):
    x = _tensor(x)
    return torch.sum(x, dim=_dims(x, axis), keepdim=keepdims, dtype=_accumulator_dtype(x))


def prod(x, axis=None, keepdims=False):
    x = _tensor(x)
    dtype = _accumulator_dtype(x)
    if axis is None:
        result = torch.prod(x, dtype=dtype)
        return result.reshape((1,) * x.ndim) if keepdims else result
    for a in sorted((a % x.ndim for a in ((axis,) if isinstance(axis, int) else axis)), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims, dtype=dtype)  # torch would widen integers to int64
    return x


def mean(x, axis=None, keepdims=False):
    # Keras: the mean of ints and bool is float32, whatever floatx is
    return torch.mean(_float(x, "float32"), dim=_dims(x, axis), keepdim=keepdims)


def var(x, axis=None, keepdims=False):
    x = _float(x)
    return torch.var(x, dim=_dims(x, axis), correction=0, keepdim=keepdims)


def std(x, axis=None, keepdims=False):
    x = _float(x)
    return torch.std(x, dim=_dims(x, axis), correction=0, keepdim=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    x = _tensor(x)
    if x.dtype == torch.bool:  # torch.amax has no bool kernel: the max of bools is any()
        result = torch.any(x, dim=_dims(x, axis), keepdim=keepdims)
        return result if initial is None else torch.logical_or(result, convert_to_tensor(initial, "bool"))
    result = torch.amax(x, dim=_dims(x, axis), keepdim=keepdims)
    return result if initial is None else torch.clamp(result, min=initial).to(result.dtype)


def min(x, axis=None, keepdims=False, initial=None):
    x = _tensor(x)
    if x.dtype == torch.bool:  # the min of bools is all()
        result = torch.all(x, dim=_dims(x, axis), keepdim=keepdims)
        return result if initial is None else torch.logical_and(result, convert_to_tensor(initial, "bool"))
    result = torch.amin(x, dim=_dims(x, axis), keepdim=keepdims)
    return result if initial is None else torch.clamp(result, max=initial).to(result.dtype)


amax = max
amin = min


def _logical_reduce(torch_fn):
    """any/all with a bool result (torch answers uint8 inputs in uint8)."""
    def logical_reduce(x, axis=None, keepdims=False):
        x = _tensor(x)
        result = torch_fn(x, dim=_dims(x, axis), keepdim=keepdims)
        return result if result.dtype == torch.bool else result.bool()
    return logical_reduce


any = _logical_reduce(torch.any)
all = _logical_reduce(torch.all)


def _arg_reduce(torch_fn):
    """argmax/argmin with NumPy's axis=None (flattened index) and Keras' int32 result."""
    def arg_reduce(x, axis=None, keepdims=False):
        x = _tensor(x)
        if x.dtype == torch.bool:
            x = x.to(torch.uint8)
        if axis is None:
            result = torch_fn(x.reshape(-1))
            return _index(result.reshape((1,) * x.ndim) if keepdims else result)
        return _index(torch_fn(x, dim=axis, keepdim=keepdims))
    return arg_reduce


argmax = _arg_reduce(torch.argmax)
argmin = _arg_reduce(torch.argmin)


def count_nonzero(x, axis=None):
    x = _tensor(x)
    return _index(torch.count_nonzero(x, dim=_dims(x, axis)))


# -- creation -------------------------------------------------------------------------------------
def _dtype(dtype):
    return to_torch_dtype(config.floatx() if dtype is None else dtype)


def _shape(shape):
    return (shape,) if isinstance(shape, int) else tuple(shape)


def zeros(shape, dtype=None):
    return torch.zeros(_shape(shape), dtype=_dtype(dtype), device=DEVICE)


def ones(shape, dtype=None):
    return torch.ones(_shape(shape), dtype=_dtype(dtype), device=DEVICE)


def empty(shape, dtype=None):
    return torch.empty(_shape(shape), dtype=_dtype(dtype), device=DEVICE)


def full(shape, fill_value, dtype=None):
    dtype = _dtype(dtype)
    if isinstance(fill_value, _SCALARS):
        return torch.full(_shape(shape), fill_value, dtype=dtype, device=DEVICE)
    return torch.broadcast_to(convert_to_tensor(fill_value, dtype), _shape(shape)).clone()


def zeros_like(x, dtype=None):
    x = _tensor(x)
    return torch.zeros_like(x, dtype=None if dtype is None else to_torch_dtype(dtype))


def ones_like(x, dtype=None):
    x = _tensor(x)
    return torch.ones_like(x, dtype=None if dtype is None else to_torch_dtype(dtype))


def full_like(x, fill_value, dtype=None):
    x = _tensor(x)
    return full(x.shape, fill_value, dtype=get_dtype(x) if dtype is None else dtype)


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        dtype = result_type(*(_scalar_dtype(v) for v in (start, stop, step) if v is not None))
    if stop is None:
        start, stop = 0, start
    return torch.arange(_item(start), _item(stop), _item(step), dtype=to_torch_dtype(dtype), device=DEVICE)


def _scalar_dtype(value):
    return type(value) if isinstance(value, _SCALARS) else get_dtype(value)


def _item(value):
    return value if isinstance(value, _SCALARS) else _tensor(value).item()


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    if dtype is None:
        dtype = result_type(_scalar_dtype(start), _scalar_dtype(stop), float)
    compute = torch.float64
    start, stop = convert_to_tensor(start, "float64"), convert_to_tensor(stop, "float64")
    intervals = builtins.max(num - 1, 1) if endpoint else builtins.max(num, 1)
    step = (stop - start) / intervals
    steps = torch.arange(num, dtype=compute, device=DEVICE).reshape((-1,) + (1,) * step.ndim)
    samples = start + steps * step
    if endpoint and num > 1:
        samples[-1] = stop
    samples = torch.movedim(samples, 0, axis).to(to_torch_dtype(dtype))
    return (samples, step.to(to_torch_dtype(dtype))) if retstep else samples


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    if dtype is None:
        dtype = result_type(_scalar_dtype(start), _scalar_dtype(stop), float)
    exponents = linspace(start, stop, num, endpoint=endpoint, dtype="float64", axis=axis)
    return torch.pow(convert_to_tensor(base, "float64"), exponents).to(to_torch_dtype(dtype))


def eye(N, M=None, k=0, dtype=None):
    result = torch.zeros((N, N if M is None else M), dtype=_dtype(dtype), device=DEVICE)
    result.diagonal(k).fill_(1)
    return result


def identity(n, dtype=None):
    return torch.eye(n, dtype=_dtype(dtype), device=DEVICE)


def tri(N, M=None, k=0, dtype=None):
    mask = torch.ones((N, N if M is None else M), dtype=torch.bool, device=DEVICE).tril(k)
    return mask.to(_dtype(dtype))


def array(x, dtype=None):
    return convert_to_tensor(x, dtype)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = _float(x)
    if x.dtype in (torch.float16, torch.bfloat16):
        return quantile(x.float(), q, axis, method, keepdims).to(x.dtype)
    q = convert_to_tensor(q, get_dtype(x))
    if axis is None or not isinstance(axis, int):
        axes = list(range(x.ndim)) if axis is None else [a % x.ndim for a in axis]
        kept = [a for a in range(x.ndim) if a not in axes]
        flat = x.permute(kept + axes).reshape([x.shape[a] for a in kept] + [-1])
        result = torch.quantile(flat, q, dim=-1, interpolation=method)
        if keepdims:
            shape = [1 if a in axes else x.shape[a] for a in range(x.ndim)]
            result = result.reshape(tuple(q.shape) + tuple(shape))
        return result
    return torch.quantile(x, q, dim=axis, keepdim=keepdims, interpolation=method)


def average(x, axis=None, weights=None):
    if weights is None:
        return mean(_float(x), axis=axis)  # unlike mean, Keras' average of ints is floatx
    x, weights = _float_pair(x, weights)
    if weights.ndim == 1 and x.ndim > 1 and axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        weights = weights.reshape(shape)
    dims = _dims(x, axis)
    return torch.sum(x * weights, dim=dims) / torch.sum(weights.expand_as(x), dim=dims)


# -- linear algebra -------------------------------------------------------------------------------
def matmul(x1, x2):
    """``x1 @ x2`` on promoted operands.

    Without autograd (predict, evaluate) on CPU, a product with a 2-D weight on the right runs through a
    copy of the weight in torch.nn.Linear's (out, in) layout: CPU GEMMs are about 20% faster on it than on
    Keras' (in, out) layout, which training keeps because its backward pass prefers it. The copy is cached
    on the weight, costs its memory once, and is rebuilt after the weight changes (its version counter moves).
    """
    originals = (x1, x2)
    x1, x2 = _operands(x1, x2)
    if x1.dtype in _WIDENED_PRODUCTS:
        return _product(torch.matmul, (x1, x2), int8_to_int32=_only_int8(originals))
    if type(x2) is _Parameter and x2.ndim == 2 and not torch.is_grad_enabled() and x2.device.type == "cpu":
        return torch.nn.functional.linear(x1, _linear_layout(x2))
    return torch.matmul(x1, x2)


def _linear_layout(weight):
    """``weight.T`` made contiguous, cached on ``weight`` until its next in-place change."""
    cached = getattr(weight, "_lamina_linear_layout", None)
    if cached is None or cached[0] != weight._version:
        cached = (weight._version, weight.detach().t().contiguous())
        weight._lamina_linear_layout = cached
    return cached[1]


_WIDENED_PRODUCTS = (torch.bool, torch.int8)


def _product(fn, operands, int8_to_int32=False, **kwargs):
    """``fn(*operands, **kwargs)``, a product of operands of one dtype, computed wider where torch or Keras need it.

    torch has no bool kernel for matrix products on any device: bool operands multiply as float32 (0/1 terms, so
    a sum is nonzero exactly where a term is True) and the result is bool, JAX's and Keras' answer. With
    ``int8_to_int32`` (matmul, einsum), int8 products accumulate in int32 and stay int32, as in Keras.
    """
    dtype = operands[0].dtype
    if dtype == torch.bool:
        return fn(*(x.float() for x in operands), **kwargs) != 0
    if dtype == torch.int8 and int8_to_int32:
        return fn(*(x.to(torch.int32) for x in operands), **kwargs)
    return fn(*operands, **kwargs)


def _only_int8(operands) -> bool:
    """True when every operand is int8 before promotion: Keras widens only those products to int32."""
    return builtins.all(get_dtype(x) == "int8" for x in operands)


def tensordot(x1, x2, axes=2):
    x1, x2 = _pair(x1, x2)
    if not isinstance(axes, int):
        axes = [[a] if isinstance(a, int) else list(a) for a in axes]
    return _product(torch.tensordot, (x1, x2), dims=axes)


def dot(x1, x2):
    x1, x2 = _pair(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return x1 * x2
    return _product(torch.tensordot, (x1, x2), dims=([x1.ndim - 1], [0 if x2.ndim == 1 else x2.ndim - 2]))


def inner(x1, x2):
    x1, x2 = _pair(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return x1 * x2
    return _product(torch.tensordot, (x1, x2), dims=([x1.ndim - 1], [x2.ndim - 1]))


def outer(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.outer(x1.reshape(-1), x2.reshape(-1))


def vdot(x1, x2):
    x1, x2 = _pair(x1, x2)
    return _product(torch.tensordot, (x1.conj().reshape(-1), x2.reshape(-1)), dims=1)


def kron(x1, x2):
    return torch.kron(*_pair(x1, x2))


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    x1, x2 = _pair(x1, x2)
    x1, x2 = torch.movedim(x1, axisa, -1), torch.movedim(x2, axisb, -1)
    planar = x1.shape[-1] == 2 and x2.shape[-1] == 2
    x1, x2 = (torch.nn.functional.pad(v, (0, 1)) if v.shape[-1] == 2 else v for v in (x1, x2))
    x1, x2 = torch.broadcast_tensors(x1, x2)
    result = torch.linalg.cross(x1, x2, dim=-1)
    return result[..., 2] if planar else torch.movedim(result, -1, axisc)


def einsum(subscripts, *operands, **kwargs):
    contract = functools.partial(torch.einsum, subscripts)
    return _product(contract, _promote_all(operands), int8_to_int32=_only_int8(operands))


def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(_tensor(x), offset=offset, dim1=axis1, dim2=axis2)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    dtype = get_dtype(x)
    if dtype not in ("int64", "uint32", "uint64"):
        dtype = result_type(dtype, "int32")
    return torch.sum(torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2), dim=-1, dtype=to_torch_dtype(dtype))


def diag(x, k=0):
    return torch.diag(_tensor(x), k)


def diagflat(x, k=0):
    return torch.diagflat(_tensor(x), k)


def tril(x, k=0):
    return torch.tril(_tensor(x), k)


def triu(x, k=0):
    return torch.triu(_tensor(x), k)


def correlate(x1, x2, mode="valid"):
    x1, x2 = _float_pair(x1, x2, wide=True)
    swapped = x2.shape[0] > x1.shape[0]
    if swapped:
        x1, x2 = x2, x1
    m = x2.shape[0]
    padding = {"valid": 0, "same": m // 2, "full": m - 1}
    if mode not in padding:
        raise ValueError(f"`correlate`: `mode` must be one of valid, same, full. Received: mode={mode!r}")
    left = padding[mode]
    right = {"valid": 0, "same": m - 1 - m // 2, "full": m - 1}[mode]
    signal = torch.nn.functional.pad(x1, (left, right))
    result = torch.nn.functional.conv1d(signal[None, None], x2.conj()[None, None])[0, 0]
    return result.flip(0) if swapped else result


# -- shape manipulation ---------------------------------------------------------------------------
def reshape(x, newshape):
    if isinstance(newshape, int):
        newshape = (newshape,)
    return torch.reshape(_tensor(x), tuple(-1 if d is None else d for d in newshape))


def transpose(x, axes=None):
    x = _tensor(x)
    if axes is None:
        axes = tuple(reversed(range(x.ndim)))
    return x.permute(tuple(axes))


def concatenate(xs, axis=0):
    return torch.cat(_promote_all(xs), dim=axis)


def append(x1, x2, axis=None):
    x1, x2 = _pair(x1, x2)
    if axis is None:
        return torch.cat([x1.reshape(-1), x2.reshape(-1)])
    return torch.cat([x1, x2], dim=axis)


def stack(x, axis=0):
    return torch.stack(_promote_all(x), dim=axis)


def hstack(xs):
    return torch.hstack(_promote_all(xs))


def vstack(xs):
    return torch.vstack(_promote_all(xs))


def expand_dims(x, axis):
    x = _tensor(x)
    axes = [axis] if isinstance(axis, int) else list(axis)
    rank = x.ndim + len(axes)
    for a in sorted(a % rank for a in axes):
        x = x.unsqueeze(a)
    return x


def squeeze(x, axis=None):
    x = _tensor(x)
    if axis is None:
        return torch.squeeze(x)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"`squeeze`: cannot squeeze axis {a} of size {x.shape[a]}. "
                             f"Received shape {tuple(x.shape)}.")
    return torch.squeeze(x, dim=axes)


def ravel(x):
    return torch.ravel(_tensor(x))


def swapaxes(x, axis1, axis2):
    return torch.swapaxes(_tensor(x), axis1, axis2)


def moveaxis(x, source, destination):
    return torch.movedim(_tensor(x), source, destination)


def broadcast_to(x, shape):
    return torch.broadcast_to(_tensor(x), (shape,) if isinstance(shape, int) else tuple(shape))


def flip(x, axis=None):
    x = _tensor(x)
    return torch.flip(x, dims=_dims(x, axis) if not isinstance(axis, int) else (axis,))


def roll(x, shift, axis=None):
    return torch.roll(_tensor(x), shifts=shift, dims=axis)


def rot90(array, k=1, axes=(0, 1)):
    return torch.rot90(_tensor(array), k, dims=list(axes))


def tile(x, repeats):
    return torch.tile(_tensor(x), (repeats,) if isinstance(repeats, int) else tuple(repeats))


def repeat(x, repeats, axis=None):
    if not isinstance(repeats, int):
        repeats = _tensor(repeats)
    return torch.repeat_interleave(_tensor(x), repeats, dim=axis)


def _pad_index(size, before, after, mode):
    """Source positions (a NumPy vector) that fill one padded axis in the non-constant modes."""
    positions = np.arange(-before, size + after)
    if mode == "edge":
        return np.clip(positions, 0, size - 1)
    if mode == "wrap":
        return positions % size
    if mode == "reflect":
        if size == 1:
            return np.zeros_like(positions)
        period = positions % (2 * size - 2)
        return np.where(period < size, period, 2 * size - 2 - period)
    period = positions % (2 * size)
    return np.where(period < size, period, 2 * size - 1 - period)


def pad(x, pad_width, mode="constant", constant_values=0):
    """Pad with ``pad_width`` (one (before, after) pair per axis)."""
    x = _tensor(x)
    if mode == "constant":
        flat = [p for pair in reversed(pad_width) for p in pair]
        return torch.nn.functional.pad(x, flat, value=constant_values)
    for axis, (before, after) in enumerate(pad_width):
        if before or after:
            index = torch.as_tensor(_pad_index(x.shape[axis], before, after, mode), device=x.device)
            x = torch.index_select(x, axis, index)
    return x


def split(x, indices_or_sections, axis=0):
    x = _tensor(x)
    if isinstance(indices_or_sections, int) and x.shape[axis] % indices_or_sections:
        raise ValueError(
            f"`split`: a dimension of size {x.shape[axis]} does not split into {indices_or_sections} equal parts."
        )
    return array_split(x, indices_or_sections, axis)


def array_split(x, indices_or_sections, axis=0):
    sections = indices_or_sections if isinstance(indices_or_sections, int) else list(indices_or_sections)
    return list(torch.tensor_split(_tensor(x), sections, dim=axis))


def meshgrid(*x, indexing="xy"):
    return list(torch.meshgrid(*(_tensor(t).reshape(-1) for t in x), indexing=indexing))


# -- indexing, sorting, searching -----------------------------------------------------------------
def _indices(indices):
    indices = _tensor(indices)
    return indices if not indices.is_floating_point() else indices.to(torch.int64)


def take(x, indices, axis=None):
    x, indices = _tensor(x), _indices(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if x.ndim == 2 and axis % 2 == 0:
        try:
            return torch.nn.functional.embedding(indices, x)  # the fast row gather (Embedding's lookup)
        except IndexError:
            pass  # negative indices: NumPy-style indexing below wraps them
    return x[(slice(None),) * (axis % x.ndim) + (indices,)]


def take_along_axis(x, indices, axis=None):
    x, indices = _tensor(x), _indices(indices).to(torch.int64)
    if axis is None:
        x, axis = x.reshape(-1), 0
    indices = torch.where(indices < 0, indices + x.shape[axis], indices)
    return torch.take_along_dim(x, indices, dim=axis)


def sort(x, axis=-1):
    x = _tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), -1
    return torch.sort(x, dim=axis, stable=True).values


def argsort(x, axis=-1):
    x = _tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), -1
    return _index(torch.argsort(x, dim=axis, stable=True))


def argpartition(x, kth, axis=-1):
    """A full stable argsort: a valid partition for every ``kth``."""
    return argsort(x, axis)


def _cumulative(torch_fn):
    def cumulative(x, axis=None, dtype=None):
        x = _tensor(x)
        if axis is None:
            x, axis = x.reshape(-1), 0
        if dtype is None:
            dtype = torch.int32 if x.dtype == torch.bool else x.dtype  # Keras keeps narrow ints here
        return torch_fn(x, dim=axis, dtype=to_torch_dtype(dtype))
    return cumulative


cumsum = _cumulative(torch.cumsum)
cumprod = _cumulative(torch.cumprod)


def diff(a, n=1, axis=-1):
    return torch.diff(_tensor(a), n=n, dim=axis)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = _pair(sorted_sequence, values)
    if sorted_sequence.ndim != 1:
        raise ValueError(f"`searchsorted`: `sorted_sequence` must be 1-D. "
                         f"Received shape {tuple(sorted_sequence.shape)}.")
    return _index(torch.searchsorted(sorted_sequence, values, side=side))


def digitize(x, bins):
    x, bins = _pair(x, bins)
    return _index(torch.bucketize(x, bins, right=True))


def bincount(x, weights=None, minlength=0, sparse=False):
    x = _tensor(x).to(torch.int64)
    if weights is not None:
        dtype = to_torch_dtype(result_type(get_dtype(x.to(torch.int32)), get_dtype(weights)))
        weights = convert_to_tensor(weights).to(dtype)
    if x.ndim == 1:
        result = torch.bincount(x, weights=weights, minlength=minlength)
        return result.to(torch.int32) if weights is None else result.to(weights.dtype)
    length = builtins.max(minlength, int(x.max()) + 1 if x.numel() else 0)
    source = torch.ones_like(x, dtype=torch.int32) if weights is None else weights
    result = torch.zeros((x.shape[0], length), dtype=source.dtype, device=x.device)
    return result.scatter_add_(1, x, source)


def nonzero(x):
    return tuple(_index(i) for i in torch.nonzero(_tensor(x), as_tuple=True))


def unravel_index(indices, shape):
    indices = _tensor(indices)
    coords = []
    for dim in reversed(shape):
        coords.append(torch.remainder(indices, dim))
        indices = torch.floor_divide(indices, dim)
    return tuple(reversed(coords))


def select(condlist, choicelist, default=0):
    result = default
    for condition, choice in zip(reversed(condlist), reversed(choicelist)):
        result = where(condition, choice, result)
    return _tensor(result) if not isinstance(result, _Tensor) else result


def size(x):
    return torch.tensor(_math.prod(_tensor(x).shape), dtype=torch.int32, device=DEVICE)


def get_item(x, key):
    return _tensor(x)[key]


# -- Keras 3.15 additions: NaN-aware maxima, integer arithmetic, float bit tricks, unique -------------
def fabs(x):
    return torch.abs(_float(x))


sinc = _float_unary(torch.sinc)


def isreal(x):
    return torch.isreal(_tensor(x))


fmax = _bitwise(torch.fmax)
fmin = _bitwise(torch.fmin)
gcd = _bitwise(torch.gcd)
lcm = _bitwise(torch.lcm)


fmod = _remainder(torch.fmod)


def logaddexp2(x1, x2):
    return torch.logaddexp2(*_float_pair(x1, x2))


def nextafter(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    if x1.dtype in (torch.float16, torch.bfloat16):  # torch's kernel covers float32/float64 only
        return _narrow_nextafter(x1, x2)
    return torch.nextafter(x1, x2)


def _narrow_nextafter(x1, x2):
    """``nextafter`` for 16-bit floats, by stepping the bit pattern (as NumPy defines it)."""
    bits = x1.view(torch.int16)
    zero = x1 == 0
    toward_up = (x2 > x1) == (x1 >= 0)
    step = torch.where(toward_up, bits + 1, bits - 1)
    smallest = torch.ones_like(bits).view(x1.dtype)
    result = torch.where(zero, torch.where(x2 > 0, smallest, -smallest), step.view(x1.dtype))
    return torch.where(x1 == x2, x2, torch.where(torch.isnan(x1) | torch.isnan(x2), x1 + x2, result))


def ldexp(x1, x2):
    x2 = _tensor(x2)
    if x2.is_floating_point():
        raise TypeError(f"`ldexp`: `x2` must be an integer tensor. Received: x2.dtype={get_dtype(x2)}")
    kind = type(x1) if isinstance(x1, _SCALARS) else get_dtype(x1)
    x1 = convert_to_tensor(x1, result_type(kind, get_dtype(x2), float))
    return x1 * torch.exp2(x2.to(x1.dtype))


def slogdet(x):
    sign, logabsdet = torch.linalg.slogdet(_float(x))
    return sign, logabsdet


def view(x, dtype=None):
    x = _tensor(x)
    return x if dtype is None else x.view(to_torch_dtype(dtype))


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None, size=None,
           fill_value=None):
    """Sorted unique values (of ``x`` flattened, or slices along ``axis``), padded or cut to ``size``."""
    x = _tensor(x)
    source = x.reshape(-1) if axis is None else x
    values, inverse, counts = torch.unique(source, sorted=True, return_inverse=True, return_counts=True, dim=axis)
    dim = 0 if axis is None else axis % x.ndim
    index = None
    if return_index:
        positions = torch.arange(source.shape[dim], device=x.device)
        index = torch.full((values.shape[dim],), source.shape[dim], dtype=positions.dtype, device=x.device)
        index = index.scatter_reduce(0, inverse, positions, "amin")
    if size is not None:
        values = _fit(values, size, dim, 0 if fill_value is None else fill_value)
        counts = _fit(counts, size, 0, 0)
        index = None if index is None else _fit(index, size, 0, 0)
    outputs = [values]
    if return_index:
        outputs.append(_index(index))
    if return_inverse:
        outputs.append(_index(inverse.reshape(x.shape) if axis is None else inverse))
    if return_counts:
        outputs.append(_index(counts))
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


def _fit(x, size, dim, fill_value):
    """``x`` cut or padded with ``fill_value`` to ``size`` entries along ``dim``."""
    n = x.shape[dim]
    if n >= size:
        return x.narrow(dim, 0, size)
    shape = list(x.shape)
    shape[dim] = size - n
    return torch.cat([x, torch.full(shape, fill_value, dtype=x.dtype, device=x.device)], dim=dim)
