"""NumPy-style ops with Keras 3 names and semantics (``lamina.ops.matmul``, ``lamina.ops.sum``, ...).

Each op pairs an eager body (a call into the engine) with a shape rule used on symbolic tensors. Dtypes
follow Keras 3: float-valued math on ints gives floatx, comparisons give bool, index results give int32,
sums of bool and narrow ints give int32.
"""

from __future__ import annotations

import builtins
import functools
import math as _math
import re

from lamina import backend, config, tree
from lamina.backend.common.dtypes import COMPLEX_TYPES, FLOAT_TYPES, dtype_size, result_type, standardize_dtype
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops.core import cast, convert_to_tensor
from lamina.ops.op import op
from lamina.ops.operation import no_graph_recording
from lamina.ops.spec import (
    bool_rule,
    broadcast_shapes,
    canonical_axis,
    dtype_of,
    elementwise_rule,
    float_rule,
    promoted_dtype,
    reduce_shape,
    same_rule,
    shape_of,
)

_np = backend.numpy
_NARROW = ("bool", "int8", "int16", "uint8", "uint16")


def _engine_op(name: str, rule, doc: str):
    """Public op ``name``: the engine function of the same name, given a shape rule and a docstring.

    Used for the many ops whose public signature is exactly the engine's, so the eager path has no
    extra Python frame.
    """
    wrapper = op(rule)(getattr(_np, name))
    wrapper.__name__ = wrapper.__qualname__ = name
    wrapper.__doc__ = doc
    wrapper.__module__ = __name__
    return wrapper


def _dtype(x) -> str:
    """Concrete dtype of an argument (a Python scalar gives its default dtype)."""
    return promoted_dtype(x)


def _float_dtype(dtype: str) -> str:
    return result_type(dtype, float)


def _wide_float(dtype: str) -> str:
    """Keras' dtype for ops computed in a float wide enough for the input: int64 gives float64, other ints
    and bool give floatx, floats keep their dtype (deg2rad, rad2deg, cbrt, i0, hypot, heaviside, correlate)."""
    if dtype == "int64":
        return "float64"
    return dtype if dtype in ("bfloat16", "float16", "float32", "float64") else config.floatx()


def _wide_float_rule(*args, **kwargs) -> SymbolicTensor:
    return SymbolicTensor(broadcast_shapes(*(shape_of(a) for a in args)), _wide_float(promoted_dtype(*args)))


def _accumulator(dtype: str) -> str:
    """Dtype of sums, products and traces: bool and narrow ints accumulate in int32, as Keras does."""
    return "int32" if dtype in _NARROW else dtype


def _axes(axis, ndim: int, op_name: str) -> list:
    """``axis`` (int, sequence or None for all) as a sorted list of non-negative axes."""
    if axis is None:
        return list(range(ndim))
    axis = [axis] if isinstance(axis, int) else list(axis)
    return sorted(canonical_axis(a, ndim, op_name) for a in axis)


def _numel(shape):
    """Number of elements of a static shape, or None when a dimension is unknown."""
    return None if None in shape else _math.prod(shape)


# -- elementwise arithmetic -----------------------------------------------------------------------
@op(elementwise_rule)
def add(x1, x2):
    """Elementwise ``x1 + x2`` with broadcasting."""
    return _np.add(x1, x2)


@op(elementwise_rule)
def subtract(x1, x2):
    """Elementwise ``x1 - x2`` with broadcasting."""
    return _np.subtract(x1, x2)


@op(elementwise_rule)
def multiply(x1, x2):
    """Elementwise ``x1 * x2`` with broadcasting."""
    return _np.multiply(x1, x2)


@op(float_rule)
def divide(x1, x2):
    """Elementwise true division; integer inputs give a float result."""
    return _np.divide(x1, x2)


true_divide = divide

divide_no_nan = _engine_op("divide_no_nan", float_rule, "Elementwise ``x1 / x2``, with 0 where ``x2`` is 0.")
power = _engine_op("power", elementwise_rule, "Elementwise ``x1 ** x2`` with broadcasting.")
floor_divide = _engine_op("floor_divide", elementwise_rule, "Elementwise ``x1 // x2`` (rounded toward -inf).")
maximum = _engine_op("maximum", elementwise_rule, "Elementwise maximum of ``x1`` and ``x2`` (NaN propagates).")
minimum = _engine_op("minimum", elementwise_rule, "Elementwise minimum of ``x1`` and ``x2`` (NaN propagates).")
heaviside = _engine_op("heaviside", _wide_float_rule, "Heaviside step: 0 below zero, 1 above, ``x2`` at zero.")
arctan2 = _engine_op("arctan2", float_rule, "Elementwise angle of the point ``(x2, x1)``, quadrant-aware.")
logaddexp = _engine_op("logaddexp", float_rule, "Elementwise ``log(exp(x1) + exp(x2))``, computed stably.")
hypot = _engine_op("hypot", _wide_float_rule, "Elementwise ``sqrt(x1**2 + x2**2)``, computed without overflow.")


def _mod_rule(x1, x2):
    result = elementwise_rule(x1, x2)
    return SymbolicTensor(result.shape, "int32") if result.dtype == "bool" else result


mod = _engine_op("mod", _mod_rule, "Elementwise remainder with the sign of the divisor (Python's ``%``).")

exp = _engine_op("exp", float_rule, "Elementwise ``e ** x``.")
exp2 = _engine_op("exp2", float_rule, "Elementwise ``2 ** x``.")
expm1 = _engine_op("expm1", float_rule, "Elementwise ``exp(x) - 1``, accurate near zero.")
log = _engine_op("log", float_rule, "Elementwise natural logarithm.")
log1p = _engine_op("log1p", float_rule, "Elementwise ``log(1 + x)``, accurate near zero.")
log2 = _engine_op("log2", float_rule, "Elementwise base-2 logarithm.")
log10 = _engine_op("log10", float_rule, "Elementwise base-10 logarithm.")
sqrt = _engine_op("sqrt", float_rule, "Elementwise square root.")
cbrt = _engine_op("cbrt", _wide_float_rule, "Elementwise cube root (real, keeps the sign).")
sin = _engine_op("sin", float_rule, "Elementwise sine.")
cos = _engine_op("cos", float_rule, "Elementwise cosine.")
tan = _engine_op("tan", float_rule, "Elementwise tangent.")
arcsin = _engine_op("arcsin", float_rule, "Elementwise inverse sine.")
arccos = _engine_op("arccos", float_rule, "Elementwise inverse cosine.")
arctan = _engine_op("arctan", float_rule, "Elementwise inverse tangent.")
sinh = _engine_op("sinh", float_rule, "Elementwise hyperbolic sine.")
cosh = _engine_op("cosh", float_rule, "Elementwise hyperbolic cosine.")
tanh = _engine_op("tanh", float_rule, "Elementwise hyperbolic tangent.")
arcsinh = _engine_op("arcsinh", float_rule, "Elementwise inverse hyperbolic sine.")
arccosh = _engine_op("arccosh", float_rule, "Elementwise inverse hyperbolic cosine.")
arctanh = _engine_op("arctanh", float_rule, "Elementwise inverse hyperbolic tangent.")
reciprocal = _engine_op("reciprocal", float_rule, "Elementwise ``1 / x``.")
floor = _engine_op("floor", float_rule, "Elementwise floor; integer inputs give a float result, as in Keras.")
ceil = _engine_op("ceil", float_rule, "Elementwise ceiling; integer inputs give a float result, as in Keras.")
deg2rad = _engine_op("deg2rad", _wide_float_rule, "Elementwise conversion of degrees to radians.")

absolute = _engine_op("absolute", same_rule, "Elementwise absolute value.")
abs = absolute
negative = _engine_op("negative", same_rule, "Elementwise ``-x``.")
sign = _engine_op("sign", same_rule, "Elementwise sign: -1, 0 or 1.")
trunc = _engine_op("trunc", same_rule, "Elementwise rounding toward zero.")
copy = _engine_op("copy", same_rule, "A copy of ``x``.")
conj = _engine_op("conj", same_rule, "Elementwise complex conjugate.")
conjugate = conj
round = _engine_op("round", same_rule, "Round half to even, to ``decimals`` decimal places; keeps the dtype.")
nan_to_num = _engine_op(
    "nan_to_num", same_rule, "Replace NaN by ``nan`` and infinities by ``posinf``/``neginf`` (default: dtype limits)."
)


def _int32_if_bool(dtype: str) -> str:
    return "int32" if dtype == "bool" else dtype


def _int32_if_bool_rule(x, *args, **kwargs):
    return SymbolicTensor(shape_of(x), _int32_if_bool(_dtype(x)))


square = _engine_op("square", _int32_if_bool_rule, "Elementwise ``x * x``; bool inputs give int32.")
clip = _engine_op("clip", _int32_if_bool_rule,
                  "Limit values to ``[x_min, x_max]``; keeps the dtype (bool gives int32).")


def _real_part_rule(x):
    dtype = _dtype(x)
    return SymbolicTensor(shape_of(x), {"complex64": "float32", "complex128": "float64"}.get(dtype, dtype))


real = _engine_op("real", _real_part_rule, "Elementwise real part.")
imag = _engine_op("imag", _real_part_rule, "Elementwise imaginary part (zeros for real inputs).")


def _angle_rule(x):
    dtype = _real_part_rule(x).dtype
    return SymbolicTensor(shape_of(x), result_type(dtype, float))


angle = _engine_op("angle", _angle_rule, "Elementwise argument of complex numbers (0 or pi for reals).")


# -- comparisons and logic ------------------------------------------------------------------------
equal = _engine_op("equal", bool_rule, "Elementwise ``x1 == x2``.")
not_equal = _engine_op("not_equal", bool_rule, "Elementwise ``x1 != x2``.")
less = _engine_op("less", bool_rule, "Elementwise ``x1 < x2``.")
less_equal = _engine_op("less_equal", bool_rule, "Elementwise ``x1 <= x2``.")
greater = _engine_op("greater", bool_rule, "Elementwise ``x1 > x2``.")
greater_equal = _engine_op("greater_equal", bool_rule, "Elementwise ``x1 >= x2``.")
logical_and = _engine_op("logical_and", bool_rule, "Elementwise truth of ``x1 and x2``.")
logical_or = _engine_op("logical_or", bool_rule, "Elementwise truth of ``x1 or x2``.")
logical_xor = _engine_op("logical_xor", bool_rule, "Elementwise truth of ``x1 xor x2``.")
logical_not = _engine_op("logical_not", bool_rule, "Elementwise truth of ``not x``.")
isnan = _engine_op("isnan", bool_rule, "Elementwise test for NaN.")
isinf = _engine_op("isinf", bool_rule, "Elementwise test for positive or negative infinity.")
isposinf = _engine_op("isposinf", bool_rule, "Elementwise test for positive infinity.")
isneginf = _engine_op("isneginf", bool_rule, "Elementwise test for negative infinity.")
isfinite = _engine_op("isfinite", bool_rule, "Elementwise test for finite values (not NaN, not infinite).")
signbit = _engine_op("signbit", bool_rule, "Elementwise test for a set sign bit (negative values and -0.0).")


def _isclose_rule(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return bool_rule(x1, x2)


isclose = _engine_op(
    "isclose", _isclose_rule, "Elementwise ``|x1 - x2| <= atol + rtol * |x2|`` (NaNs equal when ``equal_nan``)."
)


def _isin_rule(x1, x2):
    return SymbolicTensor(shape_of(x1), "bool")


isin = _engine_op("isin", _isin_rule, "Elementwise test whether each element of ``x1`` occurs in ``x2``.")

bitwise_and = _engine_op("bitwise_and", elementwise_rule, "Elementwise bitwise AND of integers or bools.")
bitwise_or = _engine_op("bitwise_or", elementwise_rule, "Elementwise bitwise OR of integers or bools.")
bitwise_xor = _engine_op("bitwise_xor", elementwise_rule, "Elementwise bitwise XOR of integers or bools.")
bitwise_invert = _engine_op("bitwise_invert", same_rule, "Elementwise bitwise NOT of integers or bools.")
bitwise_not = bitwise_invert
bitwise_left_shift = _engine_op("bitwise_left_shift", elementwise_rule, "Elementwise ``x << y``.")
bitwise_right_shift = _engine_op("bitwise_right_shift", elementwise_rule, "Elementwise ``x >> y``.")
left_shift = bitwise_left_shift
right_shift = bitwise_right_shift


def _where_rule(condition, x1=None, x2=None):
    if x1 is None and x2 is None:
        return _nonzero_rule(condition)
    shape = broadcast_shapes(shape_of(condition), shape_of(x1), shape_of(x2), op_name="where")
    return SymbolicTensor(shape, promoted_dtype(x1, x2))


@op(_where_rule)
def where(condition, x1=None, x2=None):
    """Elements of ``x1`` where ``condition`` holds, else of ``x2``; without both, ``nonzero(condition)``."""
    return _np.where(condition, x1, x2)


# -- reductions -----------------------------------------------------------------------------------
def _reduction(name: str, dtype_rule, doc: str):
    """Public reduction op ``name(x, axis=None, keepdims=False, ...)`` whose dtype is ``dtype_rule(x's dtype)``."""

    def rule(x, axis=None, keepdims=False, *args, **kwargs):
        return SymbolicTensor(reduce_shape(shape_of(x), axis, keepdims, name), dtype_rule(_dtype(x)))

    return _engine_op(name, rule, doc)


def _same(dtype):
    return dtype


def _mean_dtype(dtype: str) -> str:
    """Keras' mean keeps float dtypes and gives float32 for ints and bool, whatever floatx is."""
    return dtype if dtype in FLOAT_TYPES or dtype in COMPLEX_TYPES else "float32"


sum = _reduction("sum", _accumulator, "Sum over ``axis`` (all axes when None); bool and narrow ints give int32.")
prod = _reduction("prod", _accumulator, "Product over ``axis`` (all when None); bool and narrow ints give int32.")
mean = _reduction("mean", _mean_dtype, "Arithmetic mean over ``axis``; integer and bool inputs give float32.")
var = _reduction("var", _float_dtype, "Population variance over ``axis``; integer inputs give a float result.")
std = _reduction("std", _float_dtype, "Population standard deviation over ``axis``; ints give a float result.")
max = _reduction("max", _same, "Maximum over ``axis``, at least ``initial`` when given.")
min = _reduction("min", _same, "Minimum over ``axis``, at most ``initial`` when given.")
amax = _reduction("amax", _same, "Maximum over ``axis``.")
amin = _reduction("amin", _same, "Minimum over ``axis``.")
any = _reduction("any", lambda dtype: "bool", "Whether any element along ``axis`` is true.")
all = _reduction("all", lambda dtype: "bool", "Whether every element along ``axis`` is true.")
argmax = _reduction("argmax", lambda dtype: "int32",
                    "Index (int32) of the maximum along ``axis`` (flat index when None).")
argmin = _reduction("argmin", lambda dtype: "int32",
                    "Index (int32) of the minimum along ``axis`` (flat index when None).")
median = _reduction("median", _float_dtype, "Median over ``axis`` (mean of the two middle values for even counts).")


def _count_nonzero_rule(x, axis=None):
    return SymbolicTensor(reduce_shape(shape_of(x), axis, False, "count_nonzero"), "int32")


count_nonzero = _engine_op("count_nonzero", _count_nonzero_rule, "Number (int32) of non-zero elements along ``axis``.")


def _quantile_rule(x, q, axis=None, method="linear", keepdims=False):
    shape = reduce_shape(shape_of(x), axis, keepdims, "quantile")
    return SymbolicTensor(shape_of(q) + shape, _float_dtype(_dtype(x)))


quantile = _engine_op(
    "quantile", _quantile_rule,
    "The ``q``-th quantiles (``q`` in [0, 1]) over ``axis``; ``method`` as NumPy's (linear, lower, higher, "
    "midpoint, nearest). A vector ``q`` adds a leading axis.",
)


def _average_rule(x, axis=None, weights=None):
    dtype = result_type(_dtype(x), *([] if weights is None else [_dtype(weights)]), float)
    return SymbolicTensor(reduce_shape(shape_of(x), axis, False, "average"), dtype)


average = _engine_op("average", _average_rule, "Weighted mean over ``axis`` (plain mean without ``weights``).")


# -- creation -------------------------------------------------------------------------------------
def _shape_tuple(shape) -> tuple:
    return (shape,) if isinstance(shape, int) else tuple(shape)


def _new_rule(shape, dtype=None):
    return SymbolicTensor(_shape_tuple(shape), dtype or config.floatx())


def _full_rule(shape, fill_value, dtype=None):
    return _new_rule(shape, dtype)


def _like_rule(x, dtype=None):
    return SymbolicTensor(shape_of(x), dtype or _dtype(x))


def _full_like_rule(x, fill_value, dtype=None):
    return _like_rule(x, dtype)


zeros = _engine_op("zeros", _new_rule, "A tensor of zeros of ``shape`` (dtype defaults to floatx).")
ones = _engine_op("ones", _new_rule, "A tensor of ones of ``shape`` (dtype defaults to floatx).")
empty = _engine_op("empty", _new_rule, "An uninitialised tensor of ``shape`` (dtype defaults to floatx).")
full = _engine_op("full", _full_rule, "A tensor of ``shape`` filled with ``fill_value`` (dtype defaults to floatx).")
zeros_like = _engine_op("zeros_like", _like_rule, "Zeros with the shape (and dtype, unless given) of ``x``.")
ones_like = _engine_op("ones_like", _like_rule, "Ones with the shape (and dtype, unless given) of ``x``.")
full_like = _engine_op("full_like", _full_like_rule,
                       "``fill_value`` with the shape (and dtype, unless given) of ``x``.")


def _range_rule(start, stop=None, step=1, dtype=None):
    values = [v for v in (start, stop, step) if v is not None]
    return SymbolicTensor((None,), dtype or promoted_dtype(*values))


arange = _engine_op(
    "arange", _range_rule,
    "Evenly spaced values in ``[start, stop)`` by ``step``; the dtype follows the arguments (ints give int32).",
)


def _samples(start, stop, num, dtype, axis, op_name):
    batch = broadcast_shapes(shape_of(start), shape_of(stop), op_name=op_name)
    shape = list(batch)
    shape.insert(canonical_axis(axis, len(batch) + 1, op_name), num)
    return SymbolicTensor(tuple(shape), dtype or result_type(promoted_dtype(start, stop), float)), batch


def _linspace_rule(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    samples, batch = _samples(start, stop, num, dtype, axis, "linspace")
    return (samples, SymbolicTensor(batch, samples.dtype)) if retstep else samples


def _logspace_rule(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    return _samples(start, stop, num, dtype, axis, "logspace")[0]


linspace = _engine_op(
    "linspace", _linspace_rule, "``num`` evenly spaced samples from ``start`` to ``stop`` (``stop`` excluded unless "
    "``endpoint``); with ``retstep`` also the spacing.",
)
logspace = _engine_op(
    "logspace", _logspace_rule, "``num`` samples spaced evenly on a log scale: ``base ** linspace(start, stop)``."
)


def _matrix_rule(N, M=None, k=0, dtype=None):
    return SymbolicTensor((N, N if M is None else M), dtype or config.floatx())


eye = _engine_op("eye", _matrix_rule, "An ``N x M`` matrix with ones on the ``k``-th diagonal, zeros elsewhere.")
tri = _engine_op("tri", _matrix_rule, "An ``N x M`` matrix with ones at and below the ``k``-th diagonal.")


def _identity_rule(n, dtype=None):
    return SymbolicTensor((n, n), dtype or config.floatx())


identity = _engine_op("identity", _identity_rule, "The ``n x n`` identity matrix.")


def _array_rule(x, dtype=None):
    return SymbolicTensor(shape_of(x), dtype or _dtype(x))


array = _engine_op("array", _array_rule,
                   "A tensor holding ``x`` (a list, array or scalar), optionally cast to ``dtype``.")


# -- linear algebra -------------------------------------------------------------------------------
def _product_dtype(*operands) -> str:
    """Dtype of matmul/einsum: the promoted dtype, except that int8 products accumulate in int32 (Keras)."""
    dtype = promoted_dtype(*operands)
    return "int32" if dtype == "int8" and builtins.all(_dtype(x) == "int8" for x in operands) else dtype


def _matmul_rule(x1, x2):
    s1, s2 = shape_of(x1), shape_of(x2)
    if not s1 or not s2:
        raise ValueError(f"`matmul` needs tensors of rank >= 1. Received shapes {s1} and {s2}.")
    a = s1 if len(s1) > 1 else (1,) + s1
    b = s2 if len(s2) > 1 else s2 + (1,)
    if a[-1] is not None and b[-2] is not None and a[-1] != b[-2]:
        raise ValueError(
            f"`matmul`: the last dimension of the first operand ({a[-1]}) must match the "
            f"second-to-last dimension of the second ({b[-2]}). Received shapes {s1} and {s2}."
        )
    batch = broadcast_shapes(a[:-2], b[:-2], op_name="matmul")
    shape = batch + ((a[-2],) if len(s1) > 1 else ()) + ((b[-1],) if len(s2) > 1 else ())
    return SymbolicTensor(shape, _product_dtype(x1, x2))


@op(_matmul_rule)
def matmul(x1, x2):
    """Matrix product with NumPy's batching and broadcasting rules."""
    return _np.matmul(x1, x2)


def _check_contraction(op_name, s1, s2, pairs):
    for a, b in pairs:
        if s1[a] is not None and s2[b] is not None and s1[a] != s2[b]:
            raise ValueError(
                f"`{op_name}`: contracted dimensions must match, but axis {a} of the first operand has size "
                f"{s1[a]} and axis {b} of the second has size {s2[b]}. Received shapes {s1} and {s2}."
            )


def _tensordot_rule(x1, x2, axes=2):
    s1, s2 = shape_of(x1), shape_of(x2)
    if isinstance(axes, int):
        a1, a2 = list(range(len(s1) - axes, len(s1))), list(range(axes))
    else:
        a1, a2 = ([a] if isinstance(a, int) else list(a) for a in axes)
        a1 = [canonical_axis(a, len(s1), "tensordot") for a in a1]
        a2 = [canonical_axis(a, len(s2), "tensordot") for a in a2]
    _check_contraction("tensordot", s1, s2, zip(a1, a2))
    shape = tuple(d for i, d in enumerate(s1) if i not in a1) + tuple(d for i, d in enumerate(s2) if i not in a2)
    return SymbolicTensor(shape, promoted_dtype(x1, x2))


tensordot = _engine_op(
    "tensordot", _tensordot_rule,
    "Sum of products over ``axes``: the last ``axes`` of ``x1`` with the first of ``x2``, or two axis lists.",
)


def _dot_rule(x1, x2):
    s1, s2 = shape_of(x1), shape_of(x2)
    if not s1 or not s2:
        return elementwise_rule(x1, x2)
    axis2 = 0 if len(s2) == 1 else len(s2) - 2
    return _tensordot_rule(x1, x2, ([len(s1) - 1], [axis2]))


dot = _engine_op("dot", _dot_rule, "NumPy's ``dot``: the last axis of ``x1`` against the second-to-last of ``x2``.")


def _inner_rule(x1, x2):
    s1, s2 = shape_of(x1), shape_of(x2)
    if not s1 or not s2:
        return elementwise_rule(x1, x2)
    return _tensordot_rule(x1, x2, ([len(s1) - 1], [len(s2) - 1]))


inner = _engine_op("inner", _inner_rule, "Sum of products over the last axes of ``x1`` and ``x2``.")


def _outer_rule(x1, x2):
    return SymbolicTensor((_numel(shape_of(x1)), _numel(shape_of(x2))), promoted_dtype(x1, x2))


outer = _engine_op("outer", _outer_rule, "Outer product of ``x1`` and ``x2`` (both flattened).")


def _vdot_rule(x1, x2):
    return SymbolicTensor((), promoted_dtype(x1, x2))


vdot = _engine_op("vdot", _vdot_rule, "Dot product of the flattened inputs, conjugating ``x1``.")


def _kron_rule(x1, x2):
    s1, s2 = shape_of(x1), shape_of(x2)
    rank = builtins.max(len(s1), len(s2))
    s1, s2 = (1,) * (rank - len(s1)) + s1, (1,) * (rank - len(s2)) + s2
    shape = tuple(None if a is None or b is None else a * b for a, b in zip(s1, s2))
    return SymbolicTensor(shape, promoted_dtype(x1, x2))


kron = _engine_op("kron", _kron_rule, "Kronecker product of ``x1`` and ``x2``.")


def _cross_rule(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    s1, s2 = list(shape_of(x1)), list(shape_of(x2))
    n1, n2 = s1.pop(canonical_axis(axisa, len(s1), "cross")), s2.pop(canonical_axis(axisb, len(s2), "cross"))
    for n in (n1, n2):
        if n not in (2, 3, None):
            raise ValueError(f"`cross`: vectors must have 2 or 3 components. "
                             f"Received shapes {shape_of(x1)}, {shape_of(x2)}.")
    batch = list(broadcast_shapes(tuple(s1), tuple(s2), op_name="cross"))
    if not (n1 == 2 and n2 == 2):
        batch.insert(canonical_axis(axisc, len(batch) + 1, "cross"), 3)
    return SymbolicTensor(tuple(batch), promoted_dtype(x1, x2))


cross = _engine_op("cross", _cross_rule, "Cross product of 2- or 3-component vectors along the given axes.")


def _einsum_rule(subscripts, *operands, **kwargs):
    subscripts = subscripts.replace(" ", "")
    inputs, _, output = subscripts.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(operands):
        raise ValueError(f"`einsum`: {subscripts!r} names {len(terms)} operands, but {len(operands)} were given.")
    sizes, ellipsis_shapes = {}, []
    for term, x in zip(terms, operands):
        shape = shape_of(x)
        if "..." in term:
            head, tail = term.split("...")
            ellipsis_shapes.append(shape[len(head): len(shape) - len(tail)])
            shape = shape[: len(head)] + shape[len(shape) - len(tail):]
            term = head + tail
        if len(term) != len(shape):
            raise ValueError(f"`einsum`: term {term!r} does not match an operand of shape {shape_of(x)}.")
        for letter, dim in zip(term, shape):
            known = sizes.get(letter)
            if known not in (None, 1) and dim not in (None, 1) and known != dim:
                raise ValueError(f"`einsum`: index {letter!r} has sizes {known} and {dim} in {subscripts!r}.")
            sizes[letter] = dim if known in (None, 1) and dim != 1 or letter not in sizes else known
    batch = broadcast_shapes(*ellipsis_shapes, op_name="einsum") if ellipsis_shapes else ()
    if not _:
        letters = "".join(terms).replace("...", "")
        output = ("..." if ellipsis_shapes else "") + "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    head, _, tail = output.partition("...")
    shape = tuple(sizes[c] for c in head) + (batch if "..." in output else ()) + tuple(sizes[c] for c in tail)
    return SymbolicTensor(shape, _product_dtype(*operands))


einsum = _engine_op("einsum", _einsum_rule, "Einstein summation over ``operands`` as described by ``subscripts``.")


def _diagonal_rule(x, offset=0, axis1=0, axis2=1):
    shape = shape_of(x)
    a1, a2 = canonical_axis(axis1, len(shape), "diagonal"), canonical_axis(axis2, len(shape), "diagonal")
    d1, d2 = shape[a1], shape[a2]
    length = None if d1 is None or d2 is None else builtins.max(
        0, builtins.min(d1 + builtins.min(offset, 0), d2 - builtins.max(offset, 0)))
    return SymbolicTensor(tuple(d for i, d in enumerate(shape) if i not in (a1, a2)) + (length,), _dtype(x))


diagonal = _engine_op("diagonal", _diagonal_rule,
                      "The ``offset`` diagonal of the planes spanned by ``axis1`` and ``axis2``.")


def _trace_rule(x, offset=0, axis1=0, axis2=1):
    dtype = _dtype(x)
    if dtype not in ("int64", "uint32", "uint64"):
        dtype = result_type(dtype, "int32")
    return SymbolicTensor(_diagonal_rule(x, offset, axis1, axis2).shape[:-1], dtype)


trace = _engine_op("trace", _trace_rule, "Sum along the ``offset`` diagonal of the planes ``(axis1, axis2)``.")


def _diag_rule(x, k=0):
    shape = shape_of(x)
    if len(shape) == 1:
        n = None if shape[0] is None else shape[0] + builtins.abs(k)
        return SymbolicTensor((n, n), _dtype(x))
    if len(shape) == 2:
        return _diagonal_rule(x, k)
    raise ValueError(f"`diag` expects a 1-D or 2-D input. Received shape {shape}.")


diag = _engine_op("diag", _diag_rule,
                  "A 1-D input as the ``k``-th diagonal of a matrix, or a matrix's ``k``-th diagonal.")


def _diagflat_rule(x, k=0):
    n = _numel(shape_of(x))
    n = None if n is None else n + builtins.abs(k)
    return SymbolicTensor((n, n), _dtype(x))


diagflat = _engine_op("diagflat", _diagflat_rule, "A matrix with the flattened input on its ``k``-th diagonal.")
tril = _engine_op("tril", same_rule, "Zero the elements above the ``k``-th diagonal (last two axes).")
triu = _engine_op("triu", same_rule, "Zero the elements below the ``k``-th diagonal (last two axes).")


def _correlate_rule(x1, x2, mode="valid"):
    n, m = shape_of(x1)[0], shape_of(x2)[0]
    if n is None or m is None:
        length = None
    else:
        longest, shortest = builtins.max(n, m), builtins.min(n, m)
        length = {"valid": longest - shortest + 1, "same": longest, "full": n + m - 1}[mode]
    return SymbolicTensor((length,), _wide_float(promoted_dtype(x1, x2)))


correlate = _engine_op("correlate", _correlate_rule,
                       "Cross-correlation of two 1-D tensors (``mode``: valid, same, full).")


# -- shape manipulation ---------------------------------------------------------------------------
def _reshape_rule(x, newshape):
    shape = shape_of(x)
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    newshape = tuple(-1 if d is None else d for d in newshape)
    if newshape.count(-1) > 1:
        if shape and shape[0] is None and newshape[0] == -1:
            return SymbolicTensor((None,) + tuple(None if d == -1 else d for d in newshape[1:]), dtype_of(x))
        raise ValueError(f"`reshape`: at most one dimension may be -1. Received newshape={newshape}")
    if -1 in newshape:
        known = _math.prod(d for d in newshape if d != -1)
        if None in shape:
            return SymbolicTensor(tuple(None if d == -1 else d for d in newshape), dtype_of(x))
        total = _math.prod(shape)
        if known == 0 or total % known:
            raise ValueError(f"`reshape`: cannot reshape a tensor of shape {shape} into {newshape}.")
        newshape = tuple(total // known if d == -1 else d for d in newshape)
    elif None not in shape and _math.prod(shape) != _math.prod(newshape):
        raise ValueError(f"`reshape`: cannot reshape a tensor of shape {shape} into {newshape}.")
    return SymbolicTensor(newshape, dtype_of(x))


@op(_reshape_rule)
def reshape(x, newshape):
    """Give ``x`` a new shape with the same number of elements; one dimension may be -1."""
    return _np.reshape(x, newshape)


def _transpose_rule(x, axes=None):
    shape = shape_of(x)
    axes = tuple(reversed(range(len(shape)))) if axes is None else tuple(axes)
    if sorted(canonical_axis(a, len(shape), "transpose") for a in axes) != list(range(len(shape))):
        raise ValueError(f"`transpose`: axes {axes} are not a permutation of a rank-{len(shape)} tensor's axes.")
    return SymbolicTensor(tuple(shape[a] for a in axes), dtype_of(x))


@op(_transpose_rule)
def transpose(x, axes=None):
    """Permute the axes of ``x`` (reverse them when ``axes`` is None)."""
    return _np.transpose(x, axes)


def _join_shapes(shapes, axis, op_name):
    """Shape of tensors joined along existing ``axis``: all other dimensions must agree."""
    rank = len(shapes[0])
    if builtins.any(len(s) != rank for s in shapes):
        raise ValueError(f"`{op_name}`: all inputs must have the same rank. Received shapes {shapes}.")
    axis = canonical_axis(axis, rank, op_name)
    out = []
    for i in range(rank):
        dims = [s[i] for s in shapes]
        if i == axis:
            out.append(None if None in dims else builtins.sum(dims))
            continue
        known = {d for d in dims if d is not None}
        if len(known) > 1:
            raise ValueError(f"`{op_name}`: all dimensions except axis {axis} must match. Received shapes {shapes}.")
        out.append(known.pop() if known else None)
    return tuple(out)


def _concatenate_rule(xs, axis=0):
    return SymbolicTensor(_join_shapes([shape_of(x) for x in xs], axis, "concatenate"), promoted_dtype(*xs))


@op(_concatenate_rule)
def concatenate(xs, axis=0):
    """Join a sequence of tensors along an existing axis."""
    return _np.concatenate(xs, axis=axis)


def _append_rule(x1, x2, axis=None):
    if axis is None:
        return _concatenate_rule([ravel(x1), ravel(x2)])
    return _concatenate_rule([x1, x2], axis)


append = _engine_op("append", _append_rule, "``x2`` joined after ``x1`` along ``axis`` (both flattened when None).")


def _stack_rule(x, axis=0):
    shapes = [shape_of(t) for t in x]
    shape = list(_join_shapes([s + (1,) for s in shapes], -1, "stack")[:-1])
    shape.insert(canonical_axis(axis, len(shape) + 1, "stack"), len(shapes))
    return SymbolicTensor(tuple(shape), promoted_dtype(*x))


stack = _engine_op("stack", _stack_rule, "Join a sequence of same-shaped tensors along a new ``axis``.")


def _hstack_rule(xs):
    shapes = [shape_of(x) for x in xs]
    axis = 0 if len(shapes[0]) == 1 else 1
    return SymbolicTensor(_join_shapes(shapes, axis, "hstack"), promoted_dtype(*xs))


def _vstack_rule(xs):
    shapes = [s if len(s) > 1 else (1,) + s for s in map(shape_of, xs)]
    return SymbolicTensor(_join_shapes(shapes, 0, "vstack"), promoted_dtype(*xs))


hstack = _engine_op("hstack", _hstack_rule, "Join tensors column-wise (along axis 1; axis 0 for 1-D inputs).")
vstack = _engine_op("vstack", _vstack_rule, "Join tensors row-wise (1-D inputs become rows).")


def _expand_dims_rule(x, axis):
    shape = list(shape_of(x))
    rank = len(shape) + (1 if isinstance(axis, int) else len(axis))
    for a in _axes(axis, rank, "expand_dims"):
        shape.insert(a, 1)
    return SymbolicTensor(tuple(shape), _dtype(x))


expand_dims = _engine_op("expand_dims", _expand_dims_rule, "Insert axes of size 1 at the positions ``axis``.")


def _squeeze_rule(x, axis=None):
    shape = shape_of(x)
    if axis is None:
        return SymbolicTensor(tuple(d for d in shape if d != 1), _dtype(x))
    axes = _axes(axis, len(shape), "squeeze")
    for a in axes:
        if shape[a] not in (1, None):
            raise ValueError(f"`squeeze`: cannot squeeze axis {a} of size {shape[a]}. Received shape {shape}.")
    return SymbolicTensor(tuple(d for i, d in enumerate(shape) if i not in axes), _dtype(x))


squeeze = _engine_op("squeeze", _squeeze_rule, "Remove axes of size 1 (those in ``axis``, or all when None).")


def _ravel_rule(x):
    return SymbolicTensor((_numel(shape_of(x)),), _dtype(x))


ravel = _engine_op("ravel", _ravel_rule, "``x`` flattened to one dimension.")


def _swapaxes_rule(x, axis1, axis2):
    shape = list(shape_of(x))
    a1, a2 = canonical_axis(axis1, len(shape), "swapaxes"), canonical_axis(axis2, len(shape), "swapaxes")
    shape[a1], shape[a2] = shape[a2], shape[a1]
    return SymbolicTensor(tuple(shape), _dtype(x))


swapaxes = _engine_op("swapaxes", _swapaxes_rule, "Exchange axes ``axis1`` and ``axis2``.")


def _moveaxis_rule(x, source, destination):
    shape = shape_of(x)
    source = [source] if isinstance(source, int) else list(source)
    destination = [destination] if isinstance(destination, int) else list(destination)
    source = [canonical_axis(a, len(shape), "moveaxis") for a in source]
    destination = [canonical_axis(a, len(shape), "moveaxis") for a in destination]
    order = [i for i in range(len(shape)) if i not in source]
    for dst, src in sorted(zip(destination, source)):
        order.insert(dst, src)
    return SymbolicTensor(tuple(shape[i] for i in order), _dtype(x))


moveaxis = _engine_op("moveaxis", _moveaxis_rule, "Move axes ``source`` to positions ``destination``.")


def _broadcast_to_rule(x, shape):
    shape = _shape_tuple(shape)
    broadcast_shapes(shape_of(x), shape, op_name="broadcast_to")
    return SymbolicTensor(shape, _dtype(x))


broadcast_to = _engine_op("broadcast_to", _broadcast_to_rule, "``x`` broadcast to ``shape``.")


def _flip_rule(x, axis=None):
    _axes(axis, len(shape_of(x)), "flip")
    return same_rule(x)


flip = _engine_op("flip", _flip_rule, "Reverse the order of elements along ``axis`` (all axes when None).")
roll = _engine_op("roll", same_rule,
                  "Shift elements by ``shift`` along ``axis`` (flattened when None), wrapping around.")


def _rot90_rule(array, k=1, axes=(0, 1)):
    shape = list(shape_of(array))
    if k % 2:
        a1, a2 = (canonical_axis(a, len(shape), "rot90") for a in axes)
        shape[a1], shape[a2] = shape[a2], shape[a1]
    return SymbolicTensor(tuple(shape), _dtype(array))


rot90 = _engine_op("rot90", _rot90_rule, "Rotate by 90 degrees ``k`` times in the plane of ``axes``.")


def _tile_rule(x, repeats):
    shape = shape_of(x)
    repeats = [repeats] if isinstance(repeats, int) else list(repeats)
    rank = builtins.max(len(shape), len(repeats))
    shape = (1,) * (rank - len(shape)) + shape
    repeats = [1] * (rank - len(repeats)) + repeats
    return SymbolicTensor(tuple(None if d is None else d * r for d, r in zip(shape, repeats)), _dtype(x))


tile = _engine_op("tile", _tile_rule, "``x`` repeated ``repeats`` times along each axis.")


def _repeat_rule(x, repeats, axis=None):
    shape = shape_of(x)
    if axis is None:
        shape, axis = (_numel(shape),), 0
    axis = canonical_axis(axis, len(shape), "repeat")
    dim = shape[axis]
    if isinstance(repeats, int):
        size = None if dim is None else dim * repeats
    elif isinstance(repeats, SymbolicTensor):
        size = None
    else:
        counts = backend.convert_to_numpy(repeats)
        size = int(counts.sum()) if counts.ndim else (None if dim is None else dim * int(counts))
    return SymbolicTensor(shape[:axis] + (size,) + shape[axis + 1:], _dtype(x))


repeat = _engine_op("repeat", _repeat_rule,
                    "Repeat each element ``repeats`` times along ``axis`` (flattened when None).")


def _pad_widths(pad_width, rank):
    """``pad_width`` in NumPy's forms (int, pair, or one pair per axis) as one (before, after) per axis."""
    if isinstance(pad_width, int):
        return [(pad_width, pad_width)] * rank
    pad_width = [tuple(p) if isinstance(p, (list, tuple)) else (p, p) for p in pad_width]
    if len(pad_width) == 2 and builtins.all(len(p) == 1 for p in pad_width):
        pad_width = [(pad_width[0][0], pad_width[1][0])]
    if len(pad_width) == 1:
        pad_width = pad_width * rank
    if len(pad_width) != rank or builtins.any(len(p) != 2 for p in pad_width):
        raise ValueError(f"`pad`: `pad_width` needs one (before, after) pair per axis ({rank}). Received: {pad_width}")
    return [(int(p[0]), int(p[1])) for p in pad_width]


def _pad_rule(x, pad_width, mode="constant", constant_values=None):
    shape = shape_of(x)
    widths = _pad_widths(pad_width, len(shape))
    return SymbolicTensor(tuple(None if d is None else d + b + a for d, (b, a) in zip(shape, widths)), _dtype(x))


@op(_pad_rule)
def pad(x, pad_width, mode="constant", constant_values=None):
    """Pad ``x`` by ``pad_width`` per axis; ``mode`` is constant, edge, reflect, symmetric or wrap."""
    if mode not in ("constant", "edge", "reflect", "symmetric", "wrap"):
        raise ValueError(
            f"`pad`: `mode` must be one of constant, edge, reflect, symmetric, wrap. Received: mode={mode!r}"
        )
    if constant_values is not None and mode != "constant":
        raise ValueError(f"`pad`: `constant_values` only applies to mode='constant'. Received: mode={mode!r}")
    return _np.pad(x, _pad_widths(pad_width, len(shape_of(x))), mode, constant_values or 0)


def _split_sizes(dim, indices_or_sections, even, op_name):
    """Sizes of the pieces of a dimension of size ``dim`` (None when unknown)."""
    if isinstance(indices_or_sections, int):
        n = indices_or_sections
        if dim is None:
            return [None] * n
        if even and dim % n:
            raise ValueError(f"`{op_name}`: a dimension of size {dim} does not split into {n} equal parts.")
        return [dim // n + (1 if i < dim % n else 0) for i in range(n)]
    bounds = [0] + list(indices_or_sections) + [dim]
    if dim is None:
        return [None if b is None or a is None else builtins.max(b - a, 0) for a, b in zip(bounds, bounds[1:])]
    bounds = [builtins.min(b if b >= 0 else b + dim, dim) for b in bounds]
    return [builtins.max(b - a, 0) for a, b in zip(bounds, bounds[1:])]


def _split_rule_for(op_name, even):
    def rule(x, indices_or_sections, axis=0):
        shape = shape_of(x)
        axis = canonical_axis(axis, len(shape), op_name)
        sizes = _split_sizes(shape[axis], indices_or_sections, even, op_name)
        return [SymbolicTensor(shape[:axis] + (s,) + shape[axis + 1:], _dtype(x)) for s in sizes]

    return rule


split = _engine_op(
    "split", _split_rule_for("split", True),
    "Split ``x`` along ``axis`` into equal sections (an int) or at the given indices; returns a list.",
)
array_split = _engine_op(
    "array_split", _split_rule_for("array_split", False),
    "Split ``x`` along ``axis`` into ``indices_or_sections`` parts that may differ in size by one; returns a list.",
)


def _meshgrid_rule(*x, indexing="xy"):
    sizes = [_numel(shape_of(t)) for t in x]
    if indexing == "xy" and len(sizes) > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return [SymbolicTensor(tuple(sizes), _dtype(t)) for t in x]


meshgrid = _engine_op("meshgrid", _meshgrid_rule,
                      "Coordinate grids from 1-D coordinate vectors (``indexing``: xy or ij).")


# -- indexing, sorting, searching -----------------------------------------------------------------
def _take_rule(x, indices, axis=None):
    shape = shape_of(x)
    if axis is None:
        return SymbolicTensor(shape_of(indices), _dtype(x))
    axis = canonical_axis(axis, len(shape), "take")
    return SymbolicTensor(shape[:axis] + shape_of(indices) + shape[axis + 1:], _dtype(x))


take = _engine_op("take", _take_rule,
                  "Elements of ``x`` at ``indices`` along ``axis`` (of the flattened ``x`` when None).")


def _take_along_axis_rule(x, indices, axis=None):
    shape, ishape = shape_of(x), shape_of(indices)
    if axis is None:
        return SymbolicTensor(ishape, _dtype(x))
    if len(shape) != len(ishape):
        raise ValueError(f"`take_along_axis`: `x` and `indices` need the same rank. Received shapes {shape}, {ishape}.")
    axis = canonical_axis(axis, len(shape), "take_along_axis")
    rest = broadcast_shapes(shape[:axis] + shape[axis + 1:], ishape[:axis] + ishape[axis + 1:],
                            op_name="take_along_axis")
    return SymbolicTensor(rest[:axis] + (ishape[axis],) + rest[axis:], _dtype(x))


take_along_axis = _engine_op("take_along_axis", _take_along_axis_rule,
                             "Elements of ``x`` at ``indices`` matched along ``axis``.")


def _sorted_rule(dtype_rule):
    def rule(x, axis=-1, *args):
        shape = shape_of(x)
        if axis is None:
            shape = (_numel(shape),)
        else:
            canonical_axis(axis, len(shape), "sort")
        return SymbolicTensor(shape, dtype_rule(_dtype(x)))

    return rule


sort = _engine_op("sort", _sorted_rule(_same), "``x`` sorted along ``axis`` (flattened when None).")
argsort = _engine_op("argsort", _sorted_rule(lambda dtype: "int32"), "Indices (int32) that sort ``x`` along ``axis``.")


def _argpartition_rule(x, kth, axis=-1):
    return _sorted_rule(lambda dtype: "int32")(x, axis)


argpartition = _engine_op(
    "argpartition", _argpartition_rule,
    "Indices (int32) that partition ``x`` along ``axis``: the ``kth`` element in its sorted place, smaller "
    "ones before it, larger ones after.",
)


def _cumulative_rule(x, axis=None, dtype=None):
    shape = shape_of(x) if axis is not None else (_numel(shape_of(x)),)
    return SymbolicTensor(shape, dtype or _int32_if_bool(_dtype(x)))


cumsum = _engine_op("cumsum", _cumulative_rule, "Cumulative sum along ``axis`` (flattened when None).")
cumprod = _engine_op("cumprod", _cumulative_rule, "Cumulative product along ``axis`` (flattened when None).")


def _diff_rule(a, n=1, axis=-1):
    shape = list(shape_of(a))
    axis = canonical_axis(axis, len(shape), "diff")
    shape[axis] = None if shape[axis] is None else builtins.max(shape[axis] - n, 0)
    return SymbolicTensor(tuple(shape), _dtype(a))


diff = _engine_op("diff", _diff_rule, "The ``n``-th discrete difference along ``axis``.")


def _searchsorted_rule(sorted_sequence, values, side="left"):
    return SymbolicTensor(shape_of(values), "int32")


searchsorted = _engine_op(
    "searchsorted", _searchsorted_rule, "Indices (int32) at which ``values`` keep 1-D ``sorted_sequence`` sorted."
)


def _digitize_rule(x, bins):
    return SymbolicTensor(shape_of(x), "int32")


digitize = _engine_op("digitize", _digitize_rule,
                      "Index (int32) of the bin of each element: ``bins[i-1] <= x < bins[i]``.")


def _bincount_rule(x, weights=None, minlength=0, sparse=False):
    dtype = "int32" if weights is None else promoted_dtype(x, weights)
    return SymbolicTensor(shape_of(x)[:-1] + (None,), dtype)


bincount = _engine_op(
    "bincount", _bincount_rule,
    "Count (or sum ``weights`` of) each non-negative int value; a 2-D input counts per row.",
)


def _nonzero_rule(x):
    return tuple(SymbolicTensor((None,), "int32") for _ in shape_of(x))


nonzero = _engine_op("nonzero", _nonzero_rule, "Indices (int32) of non-zero elements, one tensor per axis.")


def _unravel_index_rule(indices, shape):
    return tuple(SymbolicTensor(shape_of(indices), _dtype(indices)) for _ in shape)


unravel_index = _engine_op("unravel_index", _unravel_index_rule,
                           "Flat ``indices`` as coordinate tensors into ``shape``.")


def _select_rule(condlist, choicelist, default=0):
    shapes = [shape_of(c) for c in list(condlist) + list(choicelist) + [default]]
    return SymbolicTensor(broadcast_shapes(*shapes, op_name="select"), promoted_dtype(*choicelist, default))


select = _engine_op("select", _select_rule,
                    "Pick from ``choicelist`` where the first matching ``condlist`` entry holds.")


def _size_rule(x):
    return SymbolicTensor((), "int32")


size = _engine_op("size", _size_rule, "Number of elements of ``x``.")


def ndim(x) -> int:
    """Rank of ``x`` (known statically, also for symbolic tensors)."""
    return len(shape_of(x))


def _get_item_rule(x, key):
    shape = list(shape_of(x))
    key = key if isinstance(key, tuple) else (key,)
    if builtins.any(not isinstance(k, (int, slice, type(None), type(Ellipsis))) for k in key):
        raise ValueError(f"`get_item` on a symbolic tensor supports ints, slices, None and ... Received key {key}.")
    used = builtins.sum(1 for k in key if k is not None and k is not Ellipsis)
    if Ellipsis in key:
        i = key.index(Ellipsis)
        key = key[:i] + (slice(None),) * (len(shape) - used) + key[i + 1:]
    key = key + (slice(None),) * (len(shape) - builtins.sum(1 for k in key if k is not None))
    out, dim = [], 0
    for k in key:
        if k is None:
            out.append(1)
            continue
        size = shape[dim]
        if isinstance(k, slice):
            out.append(None if size is None else len(range(*k.indices(size))))
        elif size is not None and not -size <= k < size:
            raise IndexError(f"`get_item`: index {k} is out of range for axis {dim} of size {size}.")
        dim += 1
    return SymbolicTensor(tuple(out), _dtype(x))


get_item = _engine_op("get_item", _get_item_rule, "``x[key]`` (NumPy indexing).")



# -- Keras 3.15 additions: elementwise ----------------------------------------------------------------
fabs = _engine_op("fabs", float_rule, "Elementwise absolute value computed in floating point (ints give floatx).")
sinc = _engine_op("sinc", float_rule, "Elementwise normalised sinc: ``sin(pi x) / (pi x)``, 1 at 0.")
rad2deg = _engine_op("rad2deg", _wide_float_rule, "Elementwise conversion of radians to degrees.")
i0 = _engine_op("i0", _wide_float_rule, "Elementwise modified Bessel function of the first kind, order 0.")
isreal = _engine_op("isreal", bool_rule, "Elementwise test for a zero imaginary part (true for real dtypes).")
fmax = _engine_op("fmax", elementwise_rule, "Elementwise maximum that ignores NaN (NaN only where both are NaN).")
fmin = _engine_op("fmin", elementwise_rule, "Elementwise minimum that ignores NaN (NaN only where both are NaN).")
fmod = _engine_op("fmod", _mod_rule, "Elementwise remainder with the sign of the dividend (C's ``fmod``).")
gcd = _engine_op("gcd", elementwise_rule, "Elementwise greatest common divisor of integers.")
lcm = _engine_op("lcm", elementwise_rule, "Elementwise least common multiple of integers.")
logaddexp2 = _engine_op("logaddexp2", float_rule, "Elementwise ``log2(2**x1 + 2**x2)``, computed stably.")
nextafter = _engine_op("nextafter", float_rule, "Elementwise next representable float after ``x1`` toward ``x2``.")
ldexp = _engine_op("ldexp", float_rule, "Elementwise ``x1 * 2**x2`` for an integer ``x2``.")


def _allclose_rule(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    broadcast_shapes(shape_of(x1), shape_of(x2), op_name="allclose")
    return SymbolicTensor((), "bool")


@op(_allclose_rule)
def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Whether every element of ``x1`` is close to ``x2``: ``|x1 - x2| <= atol + rtol * |x2|``."""
    return all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


# -- Keras 3.15 additions: window functions -----------------------------------------------------------
def _window_rule(x, *args):
    return SymbolicTensor((x,), config.floatx())


def _window_grid(m: int):
    """``m`` points evenly spaced over [-1, 1] (one point, 0, when ``m`` is 1)."""
    if not isinstance(m, int) or isinstance(m, bool) or m < 0:
        raise ValueError(f"Window functions need a non-negative int number of points. Received: x={m!r}")
    return arange(1 - m, m, 2, dtype=config.floatx()) / builtins.max(m - 1, 1)


def _cosine_window(m: int, *coefficients):
    """The window ``sum_k a_k cos(k pi n)`` over the grid ``n`` in [-1, 1]."""
    grid = _window_grid(m) * _math.pi
    return builtins.sum(a * cos(k * grid) for k, a in enumerate(coefficients))


@op(_window_rule)
def bartlett(x: int):
    """The triangular Bartlett window of ``x`` points (peak 1 in the middle, zero ends)."""
    return subtract(1.0, abs(_window_grid(x)))


@op(_window_rule)
def blackman(x: int):
    """The Blackman window of ``x`` points: ``0.42 + 0.5 cos(pi n) + 0.08 cos(2 pi n)``, ``n`` in [-1, 1]."""
    return _cosine_window(x, 0.42, 0.5, 0.08)


@op(_window_rule)
def hamming(x: int):
    """The Hamming window of ``x`` points: ``0.54 + 0.46 cos(pi n)``, ``n`` in [-1, 1]."""
    return _cosine_window(x, 0.54, 0.46)


@op(_window_rule)
def hanning(x: int):
    """The Hann window of ``x`` points: ``0.5 + 0.5 cos(pi n)``, ``n`` in [-1, 1]."""
    return _cosine_window(x, 0.5, 0.5)


@op(_window_rule)
def kaiser(x: int, beta: float):
    """The Kaiser window of ``x`` points: ``i0(beta sqrt(1 - n**2)) / i0(beta)``, ``n`` in [-1, 1]."""
    grid = _window_grid(x)
    return divide(i0(multiply(sqrt(subtract(1.0, square(grid))), beta)), i0(float(beta)))



# -- Keras 3.15 additions: reductions that ignore NaN, peak-to-peak, percentiles -----------------------
def _composite(body):
    """An op written with other ops: its shape rule runs ``body`` itself on the symbolic inputs, recording
    no graph nodes, so the symbolic result is exactly what the eager path returns."""

    def rule(*args, **kwargs):
        with no_graph_recording():
            result = body(*args, **kwargs)
        # a part computed from constants only (the edges of a histogram over a given range) is still a spec
        return tree.map_structure(lambda t: t if isinstance(t, SymbolicTensor) else SymbolicTensor(
            shape_of(t), _dtype(t)), result)

    return op(rule)(body)


def _has_nan(x) -> bool:
    return _dtype(x) in ("bfloat16", "float16", "float32", "float64", "complex64", "complex128")


def _nan_filled(x, value):
    """``x`` with NaN replaced by ``value`` (integer and bool tensors have no NaN and pass through)."""
    return where(isnan(x), value, x) if _has_nan(x) else x


@_composite
def nansum(x, axis=None, keepdims=False):
    """Sum over ``axis``, treating NaN as zero."""
    return sum(_nan_filled(convert_to_tensor(x), 0), axis=axis, keepdims=keepdims)


@_composite
def nanprod(x, axis=None, keepdims=False):
    """Product over ``axis``, treating NaN as one."""
    return prod(_nan_filled(convert_to_tensor(x), 1), axis=axis, keepdims=keepdims)


def _nan_extreme(reduce, fill, x, axis, keepdims):
    """``reduce`` (max or min) over ``axis`` ignoring NaN; a slice of NaN only gives NaN."""
    x = convert_to_tensor(x)
    result = reduce(_nan_filled(x, fill), axis=axis, keepdims=keepdims)
    if not _has_nan(x):
        return result
    return where(all(isnan(x), axis=axis, keepdims=keepdims), float("nan"), result)


@_composite
def nanmax(x, axis=None, keepdims=False):
    """Maximum over ``axis`` ignoring NaN (NaN where a slice is all NaN)."""
    return _nan_extreme(max, float("-inf"), x, axis, keepdims)


@_composite
def nanmin(x, axis=None, keepdims=False):
    """Minimum over ``axis`` ignoring NaN (NaN where a slice is all NaN)."""
    return _nan_extreme(min, float("inf"), x, axis, keepdims)


@_composite
def nanargmax(x, axis=None, keepdims=False):
    """Index (int32) of the maximum along ``axis``, ignoring NaN."""
    return argmax(_nan_filled(convert_to_tensor(x), float("-inf")), axis=axis, keepdims=keepdims)


@_composite
def nanargmin(x, axis=None, keepdims=False):
    """Index (int32) of the minimum along ``axis``, ignoring NaN."""
    return argmin(_nan_filled(convert_to_tensor(x), float("inf")), axis=axis, keepdims=keepdims)


@_composite
def nancumsum(x, axis=None, dtype=None):
    """Cumulative sum along ``axis`` (flattened when None), treating NaN as zero."""
    return cumsum(_nan_filled(convert_to_tensor(x), 0), axis=axis, dtype=dtype)


@_composite
def nancumprod(x, axis=None, dtype=None):
    """Cumulative product along ``axis`` (flattened when None), treating NaN as one."""
    return cumprod(_nan_filled(convert_to_tensor(x), 1), axis=axis, dtype=dtype)


def _as_float(x):
    x = convert_to_tensor(x)
    return cast(x, _float_dtype(_dtype(x)))


@_composite
def nanmean(x, axis=None, keepdims=False):
    """Mean over ``axis`` of the values that are not NaN (NaN where there are none)."""
    x = _as_float(x)
    count = sum(cast(logical_not(isnan(x)), _dtype(x)), axis=axis, keepdims=keepdims)
    return divide(nansum(x, axis=axis, keepdims=keepdims), count)


@_composite
def nanvar(x, axis=None, keepdims=False):
    """Population variance over ``axis`` of the values that are not NaN."""
    x = _as_float(x)
    return nanmean(square(subtract(x, nanmean(x, axis=axis, keepdims=True))), axis=axis, keepdims=keepdims)


@_composite
def nanstd(x, axis=None, keepdims=False):
    """Population standard deviation over ``axis`` of the values that are not NaN."""
    return sqrt(nanvar(x, axis=axis, keepdims=keepdims))


@_composite
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th quantiles over ``axis`` of the values that are not NaN (``method`` as ``quantile``)."""
    if method not in ("linear", "lower", "higher", "midpoint", "nearest"):
        raise ValueError(
            f"`nanquantile`: `method` must be one of linear, lower, higher, midpoint, nearest. Received: {method!r}"
        )
    x = _as_float(x)
    shape = shape_of(x)
    axes = _axes(axis, len(shape), "nanquantile")
    kept = [a for a in range(len(shape)) if a not in axes]
    values = sort(reshape(transpose(x, kept + axes), tuple(shape[a] for a in kept) + (-1,)), axis=-1)
    q = cast(convert_to_tensor(q), _dtype(x))
    q_shape = shape_of(q)
    count = sum(cast(logical_not(isnan(values)), _dtype(x)), axis=-1, keepdims=True)
    position = multiply(reshape(q, q_shape + (1,) * (len(kept) + 1)), subtract(count, 1))
    values = broadcast_to(values, q_shape + shape_of(values))
    last = shape_of(values)[-1] - 1

    def at(index):
        return take_along_axis(values, cast(clip(index, 0, builtins.max(last, 0)), "int32"), axis=-1)

    low, high = floor(position), ceil(position)
    if method == "lower":
        result = at(low)
    elif method == "higher":
        result = at(high)
    elif method == "nearest":
        result = at(round(position))
    elif method == "midpoint":
        result = multiply(add(at(low), at(high)), 0.5)
    else:
        fraction = subtract(position, low)
        result = add(at(low), multiply(subtract(at(high), at(low)), fraction))
    result = where(equal(count, 0), float("nan"), result)[..., 0]
    if keepdims:
        result = reshape(result, q_shape + tuple(1 if a in axes else d for a, d in enumerate(shape)))
    return result


@_composite
def nanmedian(x, axis=None, keepdims=False):
    """Median over ``axis`` of the values that are not NaN."""
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


def _fractions(q):
    """Percentiles ``q`` (0 to 100) as quantiles (0 to 1)."""
    return multiply(convert_to_tensor(q), 0.01)


@_composite
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th percentiles (``q`` in [0, 100]) over ``axis``; ``method`` as ``quantile``."""
    return quantile(x, _fractions(q), axis=axis, method=method, keepdims=keepdims)


@_composite
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th percentiles (``q`` in [0, 100]) over ``axis`` of the values that are not NaN."""
    return nanquantile(x, _fractions(q), axis=axis, method=method, keepdims=keepdims)


@_composite
def ptp(x, axis=None, keepdims=False):
    """Peak to peak: ``max - min`` over ``axis``."""
    return subtract(max(x, axis=axis, keepdims=keepdims), min(x, axis=axis, keepdims=keepdims))


# -- Keras 3.15 additions: shapes, creation, statistics -----------------------------------------------
def _check_rank(x, rank: int, op_name: str):
    if len(shape_of(x)) < rank:
        raise ValueError(f"`{op_name}` needs a tensor of rank >= {rank}. Received shape {shape_of(x)}.")
    return x


@_composite
def fliplr(x):
    """Reverse the order of elements along axis 1 (left/right)."""
    return flip(_check_rank(x, 2, "fliplr"), axis=1)


@_composite
def flipud(x):
    """Reverse the order of elements along axis 0 (up/down)."""
    return flip(_check_rank(x, 1, "flipud"), axis=0)


@_composite
def hsplit(x, indices_or_sections):
    """Split column-wise: along axis 1 (axis 0 for 1-D tensors), into equal sections or at indices."""
    axis = 0 if len(shape_of(_check_rank(x, 1, "hsplit"))) == 1 else 1
    return split(x, indices_or_sections, axis=axis)


@_composite
def vsplit(x, indices_or_sections):
    """Split row-wise (along axis 0) a tensor of rank >= 2."""
    return split(_check_rank(x, 2, "vsplit"), indices_or_sections, axis=0)


@_composite
def dsplit(x, indices_or_sections):
    """Split depth-wise (along axis 2) a tensor of rank >= 3."""
    return split(_check_rank(x, 3, "dsplit"), indices_or_sections, axis=2)


def _at_least_3d(x):
    x = convert_to_tensor(x)
    shape = shape_of(x)
    if len(shape) >= 3:
        return x
    return reshape(x, {0: (1, 1, 1), 1: (1,) + shape + (1,), 2: shape + (1,)}[len(shape)])


@_composite
def dstack(xs):
    """Join tensors depth-wise (along axis 2; 1-D ``(N,)`` becomes ``(1, N, 1)``, 2-D ``(M, N)`` ``(M, N, 1)``)."""
    return concatenate([_at_least_3d(x) for x in xs], axis=2)


@_composite
def column_stack(xs):
    """Join tensors as columns (along axis 1); 1-D tensors ``(N,)`` become columns ``(N, 1)``."""
    xs = [convert_to_tensor(x) for x in xs]
    return concatenate([reshape(x, (-1, 1)) if len(shape_of(x)) < 2 else x for x in xs], axis=1)


empty_like = _engine_op(
    "zeros_like", _like_rule, "A tensor with the shape (and dtype, unless given) of ``x``; its values are zeros."
)
empty_like.__name__ = empty_like.__qualname__ = "empty_like"


@_composite
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``num`` samples from ``start`` to ``stop`` spaced evenly on a log scale (a geometric progression)."""
    start, stop = convert_to_tensor(start), convert_to_tensor(stop)
    dtype = result_type(dtype or _dtype(start), float)
    low, high = cast(start, "float64"), cast(stop, "float64")
    exponents = linspace(log(abs(low)), log(abs(high)), num, endpoint=endpoint, dtype="float64", axis=axis)
    samples = multiply(expand_dims(sign(low), axis), exp(exponents))
    return cast(samples, dtype)


@_composite
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of a 1-D ``x``: column ``j`` is ``x ** (N - 1 - j)`` (``x ** j`` if ``increasing``)."""
    x = _check_rank(convert_to_tensor(x), 1, "vander")
    columns = shape_of(x)[0] if N is None else N
    powers = arange(columns, dtype=_dtype(x))
    if not increasing:
        powers = flip(powers)
    return power(expand_dims(x, -1), powers)


@_composite
def corrcoef(x):
    """Pearson correlation coefficients between the rows (variables) of ``x``; columns are observations."""
    x = convert_to_tensor(x)
    x = cast(x, _wide_float(_dtype(x)))
    x = x if len(shape_of(x)) > 1 else expand_dims(x, 0)
    centered = subtract(x, mean(x, axis=1, keepdims=True))
    covariance = matmul(centered, transpose(conj(centered)))
    scale = sqrt(real(diagonal(covariance)))
    correlation = divide(divide(covariance, expand_dims(scale, 1)), expand_dims(scale, 0))
    correlation = clip(correlation, -1, 1)
    return squeeze(correlation) if len(shape_of(correlation)) and shape_of(correlation)[0] == 1 else correlation


@_composite
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of ``y`` along ``axis`` by the trapezoidal rule, at points ``x`` or with spacing ``dx``."""
    y = _as_float(y)
    n = shape_of(y)[canonical_axis(axis, len(shape_of(y)), "trapezoid")]
    ends = take(y, arange(1, n), axis=axis), take(y, arange(0, n - 1), axis=axis)
    spacing = dx if x is None else diff(convert_to_tensor(x), axis=axis if len(shape_of(x)) > 1 else -1)
    if x is not None and len(shape_of(x)) == 1 and len(shape_of(y)) > 1:
        spacing = reshape(spacing, tuple(-1 if a == canonical_axis(axis, len(shape_of(y))) else 1
                                         for a in range(len(shape_of(y)))))
    return sum(multiply(multiply(add(*ends), spacing), 0.5), axis=axis)


@_composite
def histogram(x, bins=10, range=None):
    """Counts (int32) of ``x`` in ``bins`` equal bins over ``range`` (default: min to max), and the bin edges.

    Every bin is half-open except the last, which includes its right edge, as in NumPy.
    """
    if not isinstance(bins, int) or isinstance(bins, bool) or bins < 1:
        raise ValueError(f"`histogram`: `bins` must be a positive int. Received: bins={bins!r}")
    if range is not None and (len(range) != 2 or range[1] < range[0]):
        raise ValueError(f"`histogram`: `range` must be a (low, high) pair with low <= high. Received: range={range!r}")
    x = reshape(convert_to_tensor(x), (-1,))
    dtype = _float_dtype(_dtype(x))
    values = cast(x, dtype)
    low, high = (min(values), max(values)) if range is None else (cast(range[0], dtype), cast(range[1], dtype))
    degenerate = equal(low, high)
    low, high = where(degenerate, subtract(low, 0.5), low), where(degenerate, add(high, 0.5), high)
    edges = linspace(low, high, bins + 1, dtype=dtype)
    position = floor(multiply(divide(subtract(values, low), subtract(high, low)), bins))
    inside = logical_and(greater_equal(values, low), less_equal(values, high))
    index = where(inside, clip(cast(position, "int32"), 0, bins - 1), bins)
    counts = bincount(index, minlength=bins + 1)[:bins]
    return cast(counts, "int32"), edges


# -- Keras 3.15 additions: determinant, unique, bit views, vectorize ----------------------------------
def _slogdet_rule(x):
    shape = shape_of(x)
    if len(shape) < 2 or (None not in shape[-2:] and shape[-1] != shape[-2]):
        raise ValueError(f"`slogdet` expects square matrices (..., M, M). Received shape {shape}.")
    dtype = _float_dtype(_dtype(x))
    return SymbolicTensor(shape[:-2], dtype), SymbolicTensor(shape[:-2], dtype)


slogdet = _engine_op("slogdet", _slogdet_rule, "Sign and natural log of the absolute determinant of square matrices.")


def _unique_rule(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None,
                 size=None, fill_value=None):
    shape = shape_of(x)
    if axis is None:
        values_shape = (size,)
    else:
        axis = canonical_axis(axis, len(shape), "unique")
        values_shape = shape[:axis] + (size,) + shape[axis + 1:]
    outputs = [SymbolicTensor(values_shape, _dtype(x))]
    if return_index:
        outputs.append(SymbolicTensor((size,), "int32"))
    if return_inverse:
        outputs.append(SymbolicTensor(shape if axis is None else (shape[axis],), "int32"))
    if return_counts:
        outputs.append(SymbolicTensor((size,), "int32"))
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


unique = _engine_op(
    "unique", _unique_rule,
    "Sorted unique values of ``x`` (flattened, or slices along ``axis``), with optional first-occurrence indices, "
    "inverse indices and counts (int32). A static ``size`` pads (with ``fill_value``, default 0) or cuts the "
    "result to a fixed length, which compiled JAX code needs.",
)


def _view_rule(x, dtype=None):
    shape, old = shape_of(x), _dtype(x)
    new = old if dtype is None else standardize_dtype(dtype)
    old_size, new_size = dtype_size(old) // 8 or 1, dtype_size(new) // 8 or 1
    if old_size == new_size:
        return SymbolicTensor(shape, new)
    if not shape or (shape[-1] is not None and shape[-1] * old_size % new_size):
        raise ValueError(f"`view`: cannot view a tensor of shape {shape} and dtype {old} as {new}: the last axis' "
                         f"bytes do not divide into items of the new size.")
    last = None if shape[-1] is None else shape[-1] * old_size // new_size
    return SymbolicTensor(shape[:-1] + (last,), new)


view = _engine_op("view", _view_rule, "The same bytes read as ``dtype`` (the last axis rescales with the item size).")


def vectorize(pyfunc, *, excluded=None, signature=None):
    """``pyfunc`` made to broadcast over leading axes, like ``numpy.vectorize``.

    Positional arguments are mapped over their loop axes (all axes, or those before the core axes that
    ``signature`` such as ``"(n),(n)->()"`` names); those in ``excluded`` (positions or keyword names) and
    keyword arguments are passed through unchanged. The engine's ``vectorized_map`` runs the calls.
    """
    excluded = set(excluded or ())
    core_ranks = None
    if signature is not None:
        inputs = signature.replace(" ", "").split("->")[0]
        core_ranks = [len([d for d in group.split(",") if d]) for group in re.findall(r"\(([^)]*)\)", inputs)]

    @functools.wraps(pyfunc)
    def vectorized(*args, **kwargs):
        mapped = [i for i in builtins.range(len(args)) if i not in excluded]
        tensors = {i: convert_to_tensor(args[i]) for i in mapped}
        ranks = {i: core_ranks[n] if core_ranks else 0 for n, i in enumerate(mapped)}
        loop_shapes = [shape_of(t)[: len(shape_of(t)) - ranks[i]] for i, t in tensors.items()]
        loop = broadcast_shapes(*loop_shapes, op_name="vectorize") if loop_shapes else ()
        if not loop:
            return pyfunc(*args, **kwargs)
        flat = {i: reshape(broadcast_to(t, loop + shape_of(t)[len(shape_of(t)) - ranks[i]:]),
                           (-1,) + shape_of(t)[len(shape_of(t)) - ranks[i]:]) for i, t in tensors.items()}

        def call(elements):
            full = list(args)
            for i, element in zip(mapped, elements):
                full[i] = element
            return pyfunc(*full, **kwargs)

        result = backend.core.vectorized_map(call, tuple(flat[i] for i in mapped))
        return tree.map_structure(lambda y: reshape(y, loop + shape_of(y)[1:]), result)

    return vectorized


__all__ = [
    "abs", "absolute", "add", "all", "allclose", "amax", "amin", "angle", "any", "append", "arange", "arccos",
    "arccosh", "arcsin", "arcsinh", "arctan", "arctan2", "arctanh", "argmax", "argmin", "argpartition", "argsort",
    "array", "array_split", "average", "bartlett", "bincount", "bitwise_and", "bitwise_invert", "bitwise_left_shift",
    "bitwise_not", "bitwise_or", "bitwise_right_shift", "bitwise_xor", "blackman", "broadcast_to", "cbrt", "ceil",
    "clip", "column_stack", "concatenate", "conj", "conjugate", "copy", "corrcoef", "correlate", "cos", "cosh",
    "count_nonzero",
    "cross", "cumprod", "cumsum", "deg2rad", "diag", "diagflat", "diagonal", "diff", "digitize", "divide",
    "divide_no_nan", "dot", "dsplit", "dstack", "einsum", "empty", "empty_like", "equal", "exp", "exp2",
    "expand_dims", "expm1", "eye", "fabs", "flip", "fliplr", "flipud", "floor", "floor_divide", "fmax", "fmin",
    "fmod", "full", "full_like", "gcd", "geomspace", "get_item", "greater", "greater_equal", "hamming", "hanning",
    "heaviside", "histogram", "hsplit", "hstack", "hypot", "i0", "identity", "imag", "inner", "isclose", "isfinite",
    "isin", "isinf", "isnan", "isneginf", "isposinf", "isreal", "kaiser", "kron", "lcm", "ldexp", "left_shift",
    "less", "less_equal", "linspace", "log", "log10", "log1p", "log2", "logaddexp", "logaddexp2", "logical_and",
    "logical_not", "logical_or", "logical_xor", "logspace", "matmul", "max", "maximum", "mean", "median", "meshgrid",
    "min", "minimum", "mod", "moveaxis", "multiply", "nan_to_num", "nanargmax", "nanargmin", "nancumprod",
    "nancumsum", "nanmax", "nanmean", "nanmedian", "nanmin", "nanpercentile", "nanprod", "nanquantile", "nanstd",
    "nansum", "nanvar", "ndim", "negative", "nextafter", "nonzero", "not_equal", "ones", "ones_like", "outer", "pad",
    "percentile", "power", "prod", "ptp", "quantile", "rad2deg", "ravel", "real", "reciprocal", "repeat", "reshape",
    "right_shift", "roll", "rot90", "round", "searchsorted", "select", "sign", "signbit", "sin", "sinc", "sinh",
    "size", "slogdet", "sort", "split", "sqrt", "square", "squeeze", "stack", "std", "subtract", "sum", "swapaxes",
    "take", "take_along_axis", "tan", "tanh", "tensordot", "tile", "trace", "transpose", "trapezoid", "tri", "tril",
    "triu", "true_divide", "trunc", "unique", "unravel_index", "vander", "var", "vdot", "vectorize", "view",
    "vsplit", "vstack", "where", "zeros", "zeros_like"
]
