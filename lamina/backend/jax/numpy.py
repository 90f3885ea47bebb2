"""JAX implementations of the NumPy-style ops (``lamina.ops.numpy``), following lamina's dtype table.

Every function accepts JAX arrays (concrete or traced), lamina Variables, NumPy arrays, Python scalars and
lists, and works inside ``jax.jit`` except where the result's shape depends on values (``nonzero``,
one-argument ``where``, ``bincount`` without a static length, ``repeat`` with a tensor of counts).
Operands are cast to lamina's promoted dtype before the jnp call, since jnp's own table differs (64-bit
defaults are enabled).
"""

from __future__ import annotations

import builtins
import math as _math

import jax
import jax.numpy as jnp

from lamina import config
from lamina.backend.common.dtypes import result_type
from lamina.backend.jax.core import Tensor, convert_to_tensor, engine_dtype, get_dtype

_Array = jax.Array
_SCALARS = (bool, int, float)
_NARROW = ("bool", "int8", "int16", "uint8", "uint16")


def _tensor(x):
    """``x`` as a JAX array, without touching arrays already (the common case costs one type test)."""
    if type(x) is Tensor or isinstance(x, _Array):
        return x
    return convert_to_tensor(x)


def _kind(x):
    """``x``'s dtype for ``result_type``: the Python type of a (weak) scalar, else the dtype name."""
    return type(x) if isinstance(x, _SCALARS) else get_dtype(x)


def _operands(x1, x2):
    """Both operands of a binary op, promoted to one dtype by lamina's table.

    A Python scalar whose weak dtype yields to the array's stays a scalar (jnp keeps it weak too).
    """
    if (type(x1) is Tensor or isinstance(x1, _Array)) and (type(x2) is Tensor or isinstance(x2, _Array)) \
            and x1.dtype == x2.dtype:
        return x1, x2
    d1, d2 = _kind(x1), _kind(x2)
    dtype = result_type(d1, d2)
    if isinstance(x2, _SCALARS) and not isinstance(x1, _SCALARS) and dtype == d1:
        return _tensor(x1), x2
    if isinstance(x1, _SCALARS) and not isinstance(x2, _SCALARS) and dtype == d2:
        return x1, _tensor(x2)
    return convert_to_tensor(x1, dtype), convert_to_tensor(x2, dtype)


def _pair(x1, x2):
    """Both operands as arrays of their promoted dtype (no weak scalars left)."""
    x1, x2 = _operands(x1, x2)
    if isinstance(x1, _SCALARS):
        x1 = jnp.asarray(x1, dtype=x2.dtype)
    elif isinstance(x2, _SCALARS):
        x2 = jnp.asarray(x2, dtype=x1.dtype)
    return x1, x2


def _promote_all(xs):
    """A list of arrays all cast to their promoted dtype."""
    dtype = result_type(*(_kind(x) for x in xs))
    return [convert_to_tensor(x, dtype) for x in xs]


def _inexact(x) -> bool:
    return jnp.issubdtype(x.dtype, jnp.inexact)


def _float(x, dtype=None):
    """``x`` as a floating array: integer and bool inputs become ``dtype`` (floatx by default, as Keras'
    float-valued ops give)."""
    x = _tensor(x)
    return x if _inexact(x) else x.astype(engine_dtype(dtype or config.floatx()))


def _float_pair(x1, x2, wide=False):
    """Both operands promoted, then made floating (ints give floatx; with ``wide``, int64 gives float64)."""
    x1, x2 = _pair(x1, x2)
    if _inexact(x1):
        return x1, x2
    dtype = jnp.float64 if wide and x1.dtype == jnp.int64 else engine_dtype(config.floatx())
    return x1.astype(dtype), x2.astype(dtype)


def _wide_float(x):
    """``x`` as a floating array wide enough for it: int64 gives float64, other ints and bool floatx."""
    x = _tensor(x)
    return x.astype(jnp.float64) if x.dtype == jnp.int64 else _float(x)


def _dims(x, axis):
    """jnp ``axis`` argument for ``axis`` (None means every axis; lists become tuples)."""
    return axis if axis is None or isinstance(axis, int) else tuple(axis)


def _accumulator_dtype(x):
    """Sums and products keep the input dtype, except bool and narrow ints, which use int32 as Keras does."""
    name = get_dtype(x)
    return engine_dtype("int32" if name in _NARROW else name)


def _index(x):
    """An index result in Keras' int32."""
    return x.astype(jnp.int32)


# -- elementwise arithmetic -----------------------------------------------------------------------
def add(x1, x2):
    return jnp.add(*_operands(x1, x2))


def subtract(x1, x2):
    return jnp.subtract(*_operands(x1, x2))


def multiply(x1, x2):
    return jnp.multiply(*_operands(x1, x2))


def divide(x1, x2):
    x1, x2 = _operands(x1, x2)
    if not _inexact(x1 if isinstance(x1, _Array) else x2):
        dtype = result_type(_kind(x1), float)
        x1, x2 = convert_to_tensor(x1, dtype), convert_to_tensor(x2, dtype)
    return jnp.divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    zero = x2 == 0
    return jnp.where(zero, jnp.zeros((), x1.dtype), x1 / jnp.where(zero, jnp.ones((), x2.dtype), x2))


def power(x1, x2):
    return jnp.power(*_operands(x1, x2))


def floor_divide(x1, x2):
    return jnp.floor_divide(*_operands(x1, x2))


def _remainder(function):
    """A remainder op (``remainder``, ``fmod``) on the promoted pair; bools count as int32, as in Keras."""
    def remainder(x1, x2):
        x1, x2 = _pair(x1, x2)
        if x1.dtype == jnp.bool_:
            x1, x2 = x1.astype(jnp.int32), x2.astype(jnp.int32)
        return function(x1, x2)

    return remainder


mod = _remainder(jnp.remainder)


def maximum(x1, x2):
    return jnp.maximum(*_operands(x1, x2))


def minimum(x1, x2):
    return jnp.minimum(*_operands(x1, x2))


def arctan2(x1, x2):
    return jnp.arctan2(*_float_pair(x1, x2))


def logaddexp(x1, x2):
    return jnp.logaddexp(*_float_pair(x1, x2))


def hypot(x1, x2):
    return jnp.hypot(*_float_pair(x1, x2, wide=True))


def heaviside(x1, x2):
    return jnp.heaviside(*_float_pair(x1, x2, wide=True))


def _float_unary(jnp_fn):
    """An elementwise op that computes in floating point (ints and bools become floatx first)."""
    return lambda x: jnp_fn(_float(x))


exp = _float_unary(jnp.exp)
exp2 = _float_unary(jnp.exp2)
expm1 = _float_unary(jnp.expm1)
log = _float_unary(jnp.log)
log1p = _float_unary(jnp.log1p)
log2 = _float_unary(jnp.log2)
log10 = _float_unary(jnp.log10)
sqrt = _float_unary(jnp.sqrt)
sin = _float_unary(jnp.sin)
cos = _float_unary(jnp.cos)
tan = _float_unary(jnp.tan)
arcsin = _float_unary(jnp.arcsin)
arccos = _float_unary(jnp.arccos)
arctan = _float_unary(jnp.arctan)
sinh = _float_unary(jnp.sinh)
cosh = _float_unary(jnp.cosh)
tanh = _float_unary(jnp.tanh)
arcsinh = _float_unary(jnp.arcsinh)
arccosh = _float_unary(jnp.arccosh)
arctanh = _float_unary(jnp.arctanh)
reciprocal = _float_unary(jnp.reciprocal)
floor = _float_unary(jnp.floor)
ceil = _float_unary(jnp.ceil)
angle = _float_unary(jnp.angle)


def _wide_float_unary(fn):
    """An elementwise op computed in a float wide enough for the input (int64 gives float64)."""
    return lambda x: fn(_wide_float(x))


deg2rad = _wide_float_unary(jnp.deg2rad)
rad2deg = _wide_float_unary(jnp.rad2deg)
i0 = _wide_float_unary(jnp.i0)
cbrt = _wide_float_unary(jnp.cbrt)


def absolute(x):
    x = _tensor(x)
    return x if x.dtype == jnp.bool_ else jnp.abs(x)


def negative(x):
    return jnp.negative(_tensor(x))


def sign(x):
    x = _tensor(x)
    return x if x.dtype == jnp.bool_ else jnp.sign(x)  # the sign of a truth value is itself


def square(x):
    x = _tensor(x)
    if x.dtype == jnp.bool_:
        x = x.astype(jnp.int32)
    return jnp.square(x)


def round(x, decimals=0):
    x = _tensor(x)
    if _inexact(x):
        return jnp.round(x, decimals)
    if decimals >= 0:
        return x
    scale = 10 ** (-decimals)
    return (jnp.round(x.astype(jnp.float64) / scale) * scale).astype(x.dtype)


def trunc(x):
    x = _tensor(x)
    return jnp.trunc(x) if _inexact(x) else x


def clip(x, x_min, x_max):
    x = _tensor(x)
    if x.dtype == jnp.bool_:
        x = x.astype(jnp.int32)
    return jnp.clip(x, x_min, x_max).astype(x.dtype)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = _tensor(x)
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf) if _inexact(x) else x


def copy(x):
    return jnp.array(_tensor(x), copy=True)


def conj(x):
    return jnp.conj(_tensor(x))


def real(x):
    x = _tensor(x)
    return jnp.real(x) if jnp.iscomplexobj(x) else x


def imag(x):
    x = _tensor(x)
    return jnp.imag(x) if jnp.iscomplexobj(x) else jnp.zeros_like(x)


# -- comparisons and logic ------------------------------------------------------------------------
def _binary(jnp_fn):
    """A binary op computed on the operands promoted to one array dtype."""
    return lambda x1, x2: jnp_fn(*_pair(x1, x2))


equal = _binary(jnp.equal)
not_equal = _binary(jnp.not_equal)
less = _binary(jnp.less)
less_equal = _binary(jnp.less_equal)
greater = _binary(jnp.greater)
greater_equal = _binary(jnp.greater_equal)
isin = _binary(jnp.isin)
bitwise_and = _binary(jnp.bitwise_and)
bitwise_or = _binary(jnp.bitwise_or)
bitwise_xor = _binary(jnp.bitwise_xor)
bitwise_left_shift = _binary(jnp.left_shift)
bitwise_right_shift = _binary(jnp.right_shift)


def _logical(jnp_fn):
    return lambda x1, x2: jnp_fn(_tensor(x1), _tensor(x2))


logical_and = _logical(jnp.logical_and)
logical_or = _logical(jnp.logical_or)
logical_xor = _logical(jnp.logical_xor)


def logical_not(x):
    return jnp.logical_not(_tensor(x))


def isnan(x):
    return jnp.isnan(_tensor(x))


def isinf(x):
    return jnp.isinf(_tensor(x))


def isfinite(x):
    return jnp.isfinite(_tensor(x))


def isposinf(x):
    return jnp.isposinf(_tensor(x))


def isneginf(x):
    return jnp.isneginf(_tensor(x))


def signbit(x):
    x = _tensor(x)
    return jnp.signbit(x) if x.dtype != jnp.bool_ else jnp.zeros_like(x)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return jnp.isclose(*_pair(x1, x2), rtol=rtol, atol=atol, equal_nan=equal_nan)


def where(condition, x1=None, x2=None):
    condition = _tensor(condition)
    if condition.dtype != jnp.bool_:
        condition = condition != 0
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("`where`: give both `x1` and `x2`, or neither. Received only one of them.")
    return jnp.where(condition, *_pair(x1, x2))


def bitwise_invert(x):
    return jnp.invert(_tensor(x))


# -- reductions -----------------------------------------------------------------------------------
def sum(x, axis=None, keepdims=False):
    x = _tensor(x)
    return jnp.sum(x, axis=_dims(x, axis), keepdims=keepdims, dtype=_accumulator_dtype(x))


def prod(x, axis=None, keepdims=False):
    x = _tensor(x)
    return jnp.prod(x, axis=_dims(x, axis), keepdims=keepdims, dtype=_accumulator_dtype(x))


def mean(x, axis=None, keepdims=False):
    x = _float(x, "float32")  # Keras: the mean of ints and bool is float32, whatever floatx is
    return jnp.mean(x, axis=_dims(x, axis), keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    x = _float(x)
    return jnp.var(x, axis=_dims(x, axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    x = _float(x)
    return jnp.std(x, axis=_dims(x, axis), keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    x = _tensor(x)
    return jnp.max(x, axis=_dims(x, axis), keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    x = _tensor(x)
    return jnp.min(x, axis=_dims(x, axis), keepdims=keepdims, initial=initial)


amax = max
amin = min


def any(x, axis=None, keepdims=False):
    x = _tensor(x)
    return jnp.any(x, axis=_dims(x, axis), keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    x = _tensor(x)
    return jnp.all(x, axis=_dims(x, axis), keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    return _index(jnp.argmax(_tensor(x), axis=axis, keepdims=keepdims))


def argmin(x, axis=None, keepdims=False):
    return _index(jnp.argmin(_tensor(x), axis=axis, keepdims=keepdims))


def count_nonzero(x, axis=None):
    x = _tensor(x)
    return _index(jnp.count_nonzero(x, axis=_dims(x, axis)))


# -- creation -------------------------------------------------------------------------------------
def _dtype(dtype):
    return engine_dtype(config.floatx() if dtype is None else dtype)


def _shape(shape):
    return (shape,) if isinstance(shape, int) else tuple(shape)


def zeros(shape, dtype=None):
    return jnp.zeros(_shape(shape), dtype=_dtype(dtype))


def ones(shape, dtype=None):
    return jnp.ones(_shape(shape), dtype=_dtype(dtype))


empty = zeros


def full(shape, fill_value, dtype=None):
    dtype = _dtype(dtype)
    if not isinstance(fill_value, _SCALARS):
        fill_value = convert_to_tensor(fill_value, dtype)
    return jnp.full(_shape(shape), fill_value, dtype=dtype)


def zeros_like(x, dtype=None):
    return jnp.zeros_like(_tensor(x), dtype=None if dtype is None else engine_dtype(dtype))


def ones_like(x, dtype=None):
    return jnp.ones_like(_tensor(x), dtype=None if dtype is None else engine_dtype(dtype))


def full_like(x, fill_value, dtype=None):
    x = _tensor(x)
    return full(x.shape, fill_value, dtype=get_dtype(x) if dtype is None else dtype)


def _item(value):
    return value if isinstance(value, _SCALARS) else _tensor(value).item()


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        dtype = result_type(*(_kind(v) for v in (start, stop, step) if v is not None))
    if stop is None:
        start, stop = 0, start
    return jnp.arange(_item(start), _item(stop), _item(step), dtype=engine_dtype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    if dtype is None:
        dtype = result_type(_kind(start), _kind(stop), float)
    start, stop = convert_to_tensor(start, "float64"), convert_to_tensor(stop, "float64")
    intervals = builtins.max(num - 1, 1) if endpoint else builtins.max(num, 1)
    step = (stop - start) / intervals
    steps = jnp.arange(num, dtype=jnp.float64).reshape((-1,) + (1,) * step.ndim)
    samples = start + steps * step
    if endpoint and num > 1:
        samples = samples.at[-1].set(stop)
    samples = jnp.moveaxis(samples, 0, axis).astype(engine_dtype(dtype))
    return (samples, step.astype(engine_dtype(dtype))) if retstep else samples


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    if dtype is None:
        dtype = result_type(_kind(start), _kind(stop), float)
    exponents = linspace(start, stop, num, endpoint=endpoint, dtype="float64", axis=axis)
    return jnp.power(convert_to_tensor(base, "float64"), exponents).astype(engine_dtype(dtype))


def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(N, M, k, dtype=_dtype(dtype))


def identity(n, dtype=None):
    return jnp.identity(n, dtype=_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    return jnp.tri(N, M, k, dtype=_dtype(dtype))


def array(x, dtype=None):
    return convert_to_tensor(x, dtype)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = _float(x)
    if x.dtype in (jnp.float16, jnp.bfloat16):
        return quantile(x.astype(jnp.float32), q, axis, method, keepdims).astype(x.dtype)
    q = convert_to_tensor(q, get_dtype(x))
    return jnp.quantile(x, q, axis=_dims(x, axis), method=method, keepdims=keepdims)


def average(x, axis=None, weights=None):
    if weights is None:
        return mean(_float(x), axis=axis)  # unlike mean, Keras' average of ints is floatx
    x, weights = _float_pair(x, weights)
    if weights.ndim == 1 and x.ndim > 1 and axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        weights = weights.reshape(shape)
    dims = _dims(x, axis)
    return jnp.sum(x * weights, axis=dims) / jnp.sum(jnp.broadcast_to(weights, x.shape), axis=dims)


# -- linear algebra -------------------------------------------------------------------------------
def _only_int8(operands) -> bool:
    """True when every operand is int8 before promotion: Keras widens only those products to int32."""
    return builtins.all(get_dtype(x) == "int8" for x in operands)


def matmul(x1, x2):
    int8 = _only_int8((x1, x2))
    return jnp.matmul(*_pair(x1, x2), preferred_element_type=jnp.int32 if int8 else None)


def tensordot(x1, x2, axes=2):
    if not isinstance(axes, int):
        axes = [[a] if isinstance(a, int) else list(a) for a in axes]
    return jnp.tensordot(*_pair(x1, x2), axes=axes)


def dot(x1, x2):
    return jnp.dot(*_pair(x1, x2))


def inner(x1, x2):
    return jnp.inner(*_pair(x1, x2))


def outer(x1, x2):
    return jnp.outer(*_pair(x1, x2))


def vdot(x1, x2):
    return jnp.vdot(*_pair(x1, x2))


def kron(x1, x2):
    x1, x2 = _pair(x1, x2)
    if x1.dtype == jnp.bool_:  # lax.mul refuses bool; the product of truth values is their AND
        return jnp.kron(x1.astype(jnp.int8), x2.astype(jnp.int8)).astype(jnp.bool_)
    return jnp.kron(x1, x2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    return jnp.cross(*_pair(x1, x2), axisa=axisa, axisb=axisb, axisc=axisc, axis=axis)


def einsum(subscripts, *operands, **kwargs):
    int8 = _only_int8(operands)
    return jnp.einsum(subscripts, *_promote_all(operands), preferred_element_type=jnp.int32 if int8 else None)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return jnp.diagonal(_tensor(x), offset=offset, axis1=axis1, axis2=axis2)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    dtype = get_dtype(x)
    if dtype not in ("int64", "uint32", "uint64"):
        dtype = result_type(dtype, "int32")
    return jnp.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=engine_dtype(dtype))


def diag(x, k=0):
    return jnp.diag(_tensor(x), k)


def diagflat(x, k=0):
    return jnp.diagflat(_tensor(x), k)


def tril(x, k=0):
    return jnp.tril(_tensor(x), k)


def triu(x, k=0):
    return jnp.triu(_tensor(x), k)


def correlate(x1, x2, mode="valid"):
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"`correlate`: `mode` must be one of valid, same, full. Received: mode={mode!r}")
    return jnp.correlate(*_float_pair(x1, x2, wide=True), mode=mode)


# -- shape manipulation ---------------------------------------------------------------------------
def reshape(x, newshape):
    if isinstance(newshape, int):
        newshape = (newshape,)
    return jnp.reshape(_tensor(x), tuple(-1 if d is None else d for d in newshape))


def transpose(x, axes=None):
    return jnp.transpose(_tensor(x), None if axes is None else tuple(axes))


def concatenate(xs, axis=0):
    return jnp.concatenate(_promote_all(xs), axis=axis)


def append(x1, x2, axis=None):
    return jnp.append(*_pair(x1, x2), axis=axis)


def stack(x, axis=0):
    return jnp.stack(_promote_all(x), axis=axis)


def hstack(xs):
    return jnp.hstack(_promote_all(xs))


def vstack(xs):
    return jnp.vstack(_promote_all(xs))


def expand_dims(x, axis):
    return jnp.expand_dims(_tensor(x), axis if isinstance(axis, int) else tuple(axis))


def squeeze(x, axis=None):
    x = _tensor(x)
    if axis is None:
        return jnp.squeeze(x)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"`squeeze`: cannot squeeze axis {a} of size {x.shape[a]}. "
                             f"Received shape {tuple(x.shape)}.")
    return jnp.squeeze(x, axis=axes)


def ravel(x):
    return jnp.ravel(_tensor(x))


def swapaxes(x, axis1, axis2):
    return jnp.swapaxes(_tensor(x), axis1, axis2)


def moveaxis(x, source, destination):
    return jnp.moveaxis(_tensor(x), source, destination)


def broadcast_to(x, shape):
    return jnp.broadcast_to(_tensor(x), _shape(shape))


def flip(x, axis=None):
    x = _tensor(x)
    return jnp.flip(x, axis=_dims(x, axis))


def roll(x, shift, axis=None):
    return jnp.roll(_tensor(x), shift, axis=axis)


def rot90(array, k=1, axes=(0, 1)):
    return jnp.rot90(_tensor(array), k, axes=tuple(axes))


def tile(x, repeats):
    return jnp.tile(_tensor(x), repeats)


def repeat(x, repeats, axis=None):
    if not isinstance(repeats, int):
        repeats = _tensor(repeats)
    return jnp.repeat(_tensor(x), repeats, axis=axis)


def pad(x, pad_width, mode="constant", constant_values=0):
    """Pad with ``pad_width`` (one (before, after) pair per axis)."""
    if mode == "constant":
        return jnp.pad(_tensor(x), pad_width, constant_values=constant_values)
    return jnp.pad(_tensor(x), pad_width, mode=mode)


def split(x, indices_or_sections, axis=0):
    x = _tensor(x)
    if isinstance(indices_or_sections, int) and x.shape[axis] % indices_or_sections:
        raise ValueError(
            f"`split`: a dimension of size {x.shape[axis]} does not split into {indices_or_sections} equal parts."
        )
    return array_split(x, indices_or_sections, axis)


def array_split(x, indices_or_sections, axis=0):
    x = _tensor(x)
    if isinstance(indices_or_sections, int):
        return list(jnp.array_split(x, indices_or_sections, axis=axis))
    bounds = [None] + [int(i) for i in indices_or_sections] + [None]
    lead = (slice(None),) * (axis % x.ndim)
    return [x[lead + (slice(start, stop),)] for start, stop in zip(bounds, bounds[1:])]  # NumPy's slice rules


def meshgrid(*x, indexing="xy"):
    return list(jnp.meshgrid(*(jnp.ravel(_tensor(t)) for t in x), indexing=indexing))


# -- indexing, sorting, searching -----------------------------------------------------------------
def _indices(indices):
    indices = _tensor(indices)
    return indices if not _inexact(indices) else indices.astype(jnp.int32)


def take(x, indices, axis=None):
    return jnp.take(_tensor(x), _indices(indices), axis=axis)


def take_along_axis(x, indices, axis=None):
    x = _tensor(x)
    if axis is None:
        x, axis = jnp.ravel(x), 0
    return jnp.take_along_axis(x, _indices(indices), axis=axis)


def sort(x, axis=-1):
    return jnp.sort(_tensor(x), axis=axis)


def argsort(x, axis=-1):
    return _index(jnp.argsort(_tensor(x), axis=axis, stable=True))


def argpartition(x, kth, axis=-1):
    """A full stable argsort: a valid partition for every ``kth``."""
    return argsort(x, axis)


def _cumulative(jnp_fn):
    def cumulative(x, axis=None, dtype=None):
        x = _tensor(x)
        if dtype is None:
            dtype = jnp.int32 if x.dtype == jnp.bool_ else x.dtype  # Keras keeps narrow ints here
        return jnp_fn(x, axis=axis, dtype=engine_dtype(dtype))
    return cumulative


cumsum = _cumulative(jnp.cumsum)
cumprod = _cumulative(jnp.cumprod)


def diff(a, n=1, axis=-1):
    return jnp.diff(_tensor(a), n=n, axis=axis)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = _pair(sorted_sequence, values)
    if sorted_sequence.ndim != 1:
        raise ValueError(f"`searchsorted`: `sorted_sequence` must be 1-D. "
                         f"Received shape {tuple(sorted_sequence.shape)}.")
    return _index(jnp.searchsorted(sorted_sequence, values, side=side))


def digitize(x, bins):
    return _index(jnp.digitize(*_pair(x, bins)))


def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts per value; needs concrete ``x`` unless its largest value is below ``minlength``."""
    x = _tensor(x).astype(jnp.int32)
    dtype = engine_dtype("int32" if weights is None else result_type("int32", get_dtype(weights)))
    source = jnp.ones(x.shape, dtype) if weights is None else convert_to_tensor(weights, dtype)
    if isinstance(x, jax.core.Tracer):
        length = minlength
    else:
        length = builtins.max(minlength, int(x.max()) + 1 if x.size else 0)
    if x.ndim == 1:
        return jnp.zeros((length,), dtype).at[x].add(source)
    rows = jnp.arange(x.shape[0])[:, None]
    return jnp.zeros((x.shape[0], length), dtype).at[rows, x].add(source)


def nonzero(x):
    return tuple(_index(i) for i in jnp.nonzero(_tensor(x)))


def unravel_index(indices, shape):
    indices = _tensor(indices)
    coords = []
    for dim in reversed(shape):
        coords.append(jnp.remainder(indices, dim))
        indices = jnp.floor_divide(indices, dim)
    return tuple(reversed(coords))


def select(condlist, choicelist, default=0):
    result = default
    for condition, choice in zip(reversed(condlist), reversed(choicelist)):
        result = where(condition, choice, result)
    return _tensor(result)


def size(x):
    return jnp.asarray(_math.prod(_tensor(x).shape), dtype=jnp.int32)


def get_item(x, key):
    return _tensor(x)[key]


# -- Keras 3.15 additions: NaN-aware maxima, integer arithmetic, float bit tricks, unique -------------
def fabs(x):
    return jnp.abs(_float(x))


sinc = _float_unary(jnp.sinc)


def isreal(x):
    return jnp.isreal(_tensor(x))


fmax = _binary(jnp.fmax)
fmin = _binary(jnp.fmin)
gcd = _binary(jnp.gcd)
lcm = _binary(jnp.lcm)


fmod = _remainder(jnp.fmod)


def logaddexp2(x1, x2):
    return jnp.logaddexp2(*_float_pair(x1, x2))


def nextafter(x1, x2):
    return jnp.nextafter(*_float_pair(x1, x2))


def ldexp(x1, x2):
    x2 = _tensor(x2)
    if _inexact(x2):
        raise TypeError(f"`ldexp`: `x2` must be an integer tensor. Received: x2.dtype={get_dtype(x2)}")
    x1 = convert_to_tensor(x1, result_type(_kind(x1), get_dtype(x2), float))
    return x1 * jnp.exp2(x2.astype(x1.dtype))


def slogdet(x):
    sign, logabsdet = jnp.linalg.slogdet(_float(x))
    return sign, logabsdet


def view(x, dtype=None):
    x = _tensor(x)
    return x if dtype is None else x.view(engine_dtype(dtype))


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None, size=None,
           fill_value=None):
    """Sorted unique values (of ``x`` flattened, or slices along ``axis``), padded or cut to ``size``.

    Inside ``jax.jit`` the number of unique values is not static: ``size`` must be given there.
    """
    x = _tensor(x)
    if size is None and isinstance(x, jax.core.Tracer):
        raise ValueError("`unique` inside a compiled (jax.jit) function needs a static `size`. Received: size=None")
    result = jnp.unique(x, return_index=return_index, return_inverse=return_inverse, return_counts=return_counts,
                        axis=axis, size=size, fill_value=None if size is None else (fill_value or 0))
    if not isinstance(result, tuple):
        return result
    values, *extras = result
    if return_inverse and axis is None:
        position = 1 if return_index else 0
        extras[position] = extras[position].reshape(x.shape)
    return (values, *(_index(t) for t in extras))
