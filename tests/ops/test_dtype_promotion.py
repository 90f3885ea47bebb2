"""Result dtypes of the numpy-family ops against Keras 3's table, eager and symbolic, on every engine.

The expected dtype is computed here, independently of lamina's code, from Keras 3's documented rules:
its type-promotion lattice (``keras.backend.result_type``, adapted from JAX's) and each op's
``compute_output_spec``. Two deliberate departures, both where Keras itself differs between backends:
- 64-bit results stay 64-bit. Keras' table narrows them to 32 bits (``int64 + int64 -> int32``) because JAX
  runs with 64-bit types off by default; its torch backend keeps them (as lamina does on both engines).
- Sums and products of uint8/uint16 give int32, Keras' answer on its torch backend (on JAX: uint32), since
  torch has no uint32 arithmetic. For the same reason uint16/uint32 inputs are tested on JAX only, as Keras'
  own dtype tests skip them on torch.
"""

import itertools

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.backend.common.symbolic import SymbolicTensor

DTYPES = ["bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64",
          "bfloat16", "float16", "float32", "float64"]
WEAK = [int, float]  # Python scalars: weakly typed

# Keras' promotion lattice: each node and the nodes directly above it ("int"/"float" are the weak types).
_LATTICE = {
    "bool": ["int"], "int": ["uint8", "int8"], "uint8": ["int16", "uint16"], "uint16": ["int32", "uint32"],
    "uint32": ["int64", "uint64"], "uint64": ["float"], "int8": ["int16"], "int16": ["int32"],
    "int32": ["int64"], "int64": ["float"], "float": ["bfloat16", "float16"], "bfloat16": ["float32"],
    "float16": ["float32"], "float32": ["float64"], "float64": [],
}


def _above(node):
    """Every node at or above ``node`` in the lattice."""
    found, todo = {node}, [node]
    while todo:
        for parent in _LATTICE[todo.pop()]:
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


def promote(*dtypes):
    """Keras' ``result_type`` (64-bit kept): the least upper bound; weak types resolve to int32/floatx."""
    nodes = {"int" if d is int else "float" if d is float else d for d in dtypes}
    strong = {n for n in nodes if n not in ("int", "float")}
    if not strong:  # only weak scalars
        return lamina.config.floatx() if "float" in nodes else "int32"
    bounds = set.intersection(*(_above(n) for n in nodes))
    least = [b for b in bounds if bounds <= _above(b)][0]
    return {"int": "int32", "float": lamina.config.floatx()}.get(least, least)


def floating(*dtypes):
    """Ops computed in floating point: ``result_type(*dtypes, float)`` (ints and bool give floatx)."""
    return promote(*dtypes, float)


def wide_floating(*dtypes):
    """deg2rad/rad2deg/cbrt/i0/hypot/heaviside/correlate: int64 gives float64, other ints and bool floatx."""
    dtype = promote(*dtypes)
    if dtype == "int64":
        return "float64"
    return dtype if dtype.startswith(("float", "bfloat")) else lamina.config.floatx()


def mean_rule(dtype):
    """mean: float dtypes kept; ints and bool give float32 whatever floatx is (Keras computes them in float32)."""
    return dtype if dtype.startswith(("float", "bfloat")) else "float32"


def int32_if_bool(dtype):
    return "int32" if dtype == "bool" else dtype


def accumulated(dtype):
    """sum/prod/trace: bool and ints narrower than 32 bits accumulate in int32."""
    return "int32" if dtype in ("bool", "int8", "int16", "uint8", "uint16") else dtype


def product(d1, d2):
    """matmul/einsum: the promoted dtype, but int8 x int8 accumulates in int32."""
    return "int32" if d1 == d2 == "int8" else promote(d1, d2)


def mod_rule(d1, d2):
    return int32_if_bool(promote(d1, d2))


INTEGRAL = {"bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64", int}

UNARY = {
    "keep": (lambda d: promote(d), ["absolute", "negative", "sign", "trunc", "round", "copy", "flip", "sort",
                                     "max", "min", "amax", "amin", "ptp", "nan_to_num", "real", "imag", "ravel",
                                     "nanmax", "nanmin", "tril", "triu", "transpose"]),
    "int32 for bool": (int32_if_bool, ["square", "cumsum", "cumprod", "nancumsum", "nancumprod"]),
    "floating": (floating, ["sqrt", "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "sin", "cos", "tan",
                            "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh",
                            "floor", "ceil", "fabs", "sinc", "var", "std", "median", "nanmean", "nanvar", "nanstd",
                            "nanmedian", "reciprocal"]),
    "mean": (mean_rule, ["mean"]),
    "wide floating": (wide_floating, ["deg2rad", "rad2deg", "cbrt", "i0"]),
    "accumulated": (accumulated, ["sum", "prod", "trace", "nansum", "nanprod"]),
    "int32": (lambda d: "int32", ["argmax", "argmin", "argsort", "count_nonzero", "nanargmax", "nanargmin"]),
    "bool": (lambda d: "bool", ["isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "isreal",
                                "logical_not", "any", "all"]),
}
BINARY = {
    "promoted": (promote, ["add", "subtract", "multiply", "maximum", "minimum", "fmax", "fmin", "power",
                           "floor_divide", "kron", "outer", "dot", "inner", "vdot", "tensordot", "append"]),
    "floating": (floating, ["divide", "true_divide", "arctan2", "logaddexp", "logaddexp2", "nextafter"]),
    "wide floating": (wide_floating, ["hypot", "heaviside", "correlate"]),
    "int32 for bool": (mod_rule, ["mod", "fmod"]),
    "integers": (promote, ["bitwise_and", "bitwise_or", "bitwise_xor", "gcd", "lcm"]),
    "product": (product, ["matmul"]),
    "bool": (lambda d1, d2: "bool", ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
                                     "logical_and", "logical_or", "logical_xor", "isclose"]),
}
# Ops whose inputs must be integers (or bool) in Keras; and ops only defined on tensors (no scalar operand).
INTEGER_ONLY = {"bitwise_and", "bitwise_or", "bitwise_xor", "gcd", "lcm"}
TENSORS_ONLY = {"correlate", "kron", "outer", "dot", "inner", "vdot", "tensordot", "append", "matmul"}
# (op, input dtype) pairs left out, with the reason.
SKIPPED = {
    ("gcd", "bool"), ("lcm", "bool"),  # no gcd of truth values in Keras' backends either
    ("power", "bool"), ("floor_divide", "bool"),  # torch has no bool kernel; Keras' dtype tests skip them too
    ("negative", "bool"), ("subtract", "bool"), ("ptp", "bool"),  # NumPy and JAX refuse to negate truth values
}


def _engine_dtypes():
    if lamina.backend.backend() == "torch":
        return [d for d in DTYPES if d not in ("uint16", "uint32")]
    return DTYPES


def _tensor(dtype, shape):
    if dtype is int:
        return 2
    if dtype is float:
        return 1.5
    return ops.cast(ops.ones(shape), dtype)


def _symbolic(value):
    return value if isinstance(value, (int, float)) else SymbolicTensor(tuple(value.shape), ops.dtype(value))


def _check(fn, args, expected, label):
    eager = ops.dtype(fn(*args))
    symbolic = fn(*[_symbolic(a) for a in args]).dtype
    assert (eager, symbolic) == (expected, expected), f"{label}: eager {eager}, symbolic {symbolic}, Keras {expected}"


def _unary_cases():
    for rule, names in UNARY.values():
        for name in names:
            yield pytest.param(name, rule, id=name)


def _binary_cases():
    for rule, names in BINARY.values():
        for name in names:
            yield pytest.param(name, rule, id=name)


@pytest.mark.parametrize("name, rule", list(_unary_cases()))
def test_unary_result_dtype(engine, name, rule):
    fn = getattr(ops, name)
    for dtype in _engine_dtypes():
        if (name, dtype) in SKIPPED:
            continue
        _check(fn, [_tensor(dtype, (2, 2))], rule(dtype), f"{name}({dtype})")


@pytest.mark.parametrize("name, rule", list(_binary_cases()))
def test_binary_result_dtype(engine, name, rule):
    fn = getattr(ops, name)
    kinds = _engine_dtypes() + ([] if name in TENSORS_ONLY else WEAK)
    for d1, d2 in itertools.product(kinds, repeat=2):
        if d1 in WEAK and d2 in WEAK or (name, d1) in SKIPPED or (name, d2) in SKIPPED:
            continue
        if name in INTEGER_ONLY and not {d1, d2} <= INTEGRAL:
            continue
        shape = (2, 2) if name in ("matmul", "tensordot") else (3,)
        _check(fn, [_tensor(d1, shape), _tensor(d2, shape)], rule(d1, d2), f"{name}({d1}, {d2})")


@pytest.mark.parametrize("floatx", ["float16", "float64"])
def test_float_results_follow_floatx(engine, floatx):
    # Keras' float-valued ops give result_type(x, float): floatx for ints and bool, floats kept; mean of ints
    # is float32 whatever floatx is; int64 gives float64 in deg2rad/cbrt/... (the engine fixture resets floatx).
    lamina.config.set_floatx(floatx)
    kinds = ["bool", "int8", "int32", "int64", "float16", "bfloat16", "float32"]
    for rule, names in (UNARY["floating"], UNARY["wide floating"], UNARY["mean"]):
        for name, dtype in itertools.product(names, kinds):
            _check(getattr(ops, name), [_tensor(dtype, (2, 2))], rule(dtype), f"{name}({dtype}) floatx={floatx}")
    for dtype in kinds:
        x, w = _tensor(dtype, (3,)), _tensor("int32", (3,))
        _check(ops.average, [x], floating(dtype), f"average({dtype})")
        _check(lambda a, b: ops.average(a, weights=b), [x, w], floating(dtype, "int32"), f"average({dtype}, int32)")
        _check(ops.divide, [x, x], floating(dtype), f"divide({dtype})")
    for space in (ops.linspace, ops.logspace, ops.geomspace):
        assert ops.dtype(space(1, 8, 3)) == floatx
    assert ops.dtype(ops.linspace(_tensor("int32", ()), 8, 3)) == floatx
    assert ops.dtype(ops.arange(0, 1, 0.5)) == floatx
    np.testing.assert_allclose(lamina.ops.convert_to_numpy(ops.mean(np.array([1, 2], "int32"))), 1.5)


def test_the_lattice_matches_keras_documented_examples(engine):
    # keras.backend.result_type's docstring and the promotions the lattice is known for.
    assert promote("bfloat16", int) == "bfloat16"
    assert promote("int32", "float32") == "float32"
    assert promote("int8", "uint8") == "int16"
    assert promote("uint32", "int8") == "int64"
    assert promote("float16", "bfloat16") == "float32"
    assert promote("uint8", float) == "float32"
    assert promote("uint64", "int64") == "float32"  # meet at the weak float, resolved to floatx


def test_einsum_of_int8_accumulates_in_int32(engine):
    x = ops.cast(ops.ones((2, 3)), "int8")
    assert ops.dtype(ops.einsum("ij,kj->ik", x, x)) == "int32"
    assert ops.einsum("ij,kj->ik", _symbolic(x), _symbolic(x)).dtype == "int32"
    np.testing.assert_array_equal(lamina.ops.convert_to_numpy(ops.matmul(x, ops.transpose(x))), np.full((2, 2), 3))


def test_bool_products_are_logical(engine):
    # Keras (and JAX) give bool: True where any term of the sum of products is True.
    a = np.array([[True, False, False], [False, False, True]])
    b = np.array([[False, True], [False, True], [True, False]])
    expected = (a.astype(int) @ b.astype(int)) > 0
    products = {
        "matmul": (ops.matmul(a, b), expected),
        "dot": (ops.dot(a, b), expected),
        "tensordot": (ops.tensordot(a, b, axes=1), expected),
        "einsum": (ops.einsum("ij,jk->ik", a, b), expected),
        "inner": (ops.inner(a, b.T), expected),
        "vdot": (ops.vdot(a, b.T), np.any(a & b.T)),
        "kron": (ops.kron(a, b), np.kron(a, b)),
    }
    for name, (result, reference) in products.items():
        assert ops.dtype(result) == "bool", name
        np.testing.assert_array_equal(lamina.ops.convert_to_numpy(result), reference, err_msg=name)
    a, b = (_symbolic(ops.convert_to_tensor(v)) for v in (a, b))
    assert ops.einsum("ij,jk->ik", a, b).dtype == ops.matmul(a, b).dtype == "bool"


def test_creation_dtypes(engine):
    assert ops.dtype(ops.arange(3)) == "int32"
    assert ops.dtype(ops.arange(0, 3, 0.5)) == "float32"
    assert ops.dtype(ops.linspace(0, 1, 3)) == "float32"
    assert ops.dtype(ops.geomspace(1, 8, 4)) == "float32"
    assert ops.dtype(ops.hamming(4)) == "float32"
    assert ops.dtype(ops.full((2,), 1)) == "float32"
