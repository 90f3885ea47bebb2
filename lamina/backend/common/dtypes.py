"""Dtype names and the one promotion table every engine follows.

Dtypes are plain strings (``"float32"``, ``"int64"``, ...). Promotion follows a lattice in the style of
JAX and Keras 3: ints widen to floats of any width, ``float16 + bfloat16 -> float32``, an unsigned and a
signed int meet at the next wider signed int, and Python scalars are *weak*: they take the tensor's
dtype when it is of the same kind (``int8_tensor + 1 -> int8``, ``float16_tensor * 2.0 -> float16``).
"""

from __future__ import annotations

from lamina import config

FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")
INT_TYPES = ("int8", "int16", "int32", "int64")
UINT_TYPES = ("uint8", "uint16", "uint32", "uint64")
COMPLEX_TYPES = ("complex64", "complex128")
ALLOWED_DTYPES = ("bool",) + UINT_TYPES + INT_TYPES + FLOAT_TYPES + COMPLEX_TYPES + ("string",)

_PYTHON_DTYPES = {bool: "bool", int: "int32", float: "float32", str: "string"}
_ALIASES = {"float": "float32", "double": "float64", "half": "float16", "int": "int32", "long": "int64"}
_BITS = {name: int("".join(c for c in name if c.isdigit()) or 1) for name in ALLOWED_DTYPES if name != "string"}


def standardize_dtype(dtype) -> str:
    """Return the lamina name of ``dtype`` (a string, NumPy dtype, engine dtype or Python type)."""
    if dtype is None:
        return config.floatx()
    if isinstance(dtype, str):
        name = dtype
    elif dtype in _PYTHON_DTYPES:
        return _PYTHON_DTYPES[dtype]
    elif hasattr(dtype, "name") and isinstance(dtype.name, str):
        name = dtype.name
    elif hasattr(dtype, "__name__"):
        name = dtype.__name__
    else:
        name = str(dtype)
    name = name.rsplit(".", 1)[-1]
    name = _ALIASES.get(name, name)
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype!r}. Expected one of {ALLOWED_DTYPES}.")
    return name


def dtype_size(dtype) -> int:
    """Bits per element of ``dtype`` (bool counts as 8, as stored)."""
    name = standardize_dtype(dtype)
    return 8 if name == "bool" else _BITS[name]


def is_float(dtype) -> bool:
    return standardize_dtype(dtype) in FLOAT_TYPES


def is_int(dtype) -> bool:
    """True for signed and unsigned integer dtypes (not bool)."""
    name = standardize_dtype(dtype)
    return name in INT_TYPES or name in UINT_TYPES


def is_complex(dtype) -> bool:
    return standardize_dtype(dtype) in COMPLEX_TYPES


def _join(a: str, b: str) -> str:
    """Least upper bound of two dtypes in the promotion lattice."""
    if a == b:
        return a
    if a == "bool":
        return b
    if b == "bool":
        return a
    if a in COMPLEX_TYPES or b in COMPLEX_TYPES:
        width = max(_BITS[a] if a in COMPLEX_TYPES else 2 * max(_BITS[a], 32),
                    _BITS[b] if b in COMPLEX_TYPES else 2 * max(_BITS[b], 32))
        return "complex128" if width > 64 else "complex64"
    a_float, b_float = a in FLOAT_TYPES, b in FLOAT_TYPES
    if a_float and b_float:
        if {a, b} == {"float16", "bfloat16"}:
            return "float32"
        return a if _BITS[a] > _BITS[b] else b
    if a_float:
        return a
    if b_float:
        return b
    a_unsigned, b_unsigned = a in UINT_TYPES, b in UINT_TYPES
    if a_unsigned == b_unsigned:
        return a if _BITS[a] > _BITS[b] else b
    unsigned, signed = (a, b) if a_unsigned else (b, a)
    if _BITS[unsigned] < _BITS[signed]:
        return signed
    if _BITS[unsigned] == 64:
        return "float64"
    return f"int{2 * _BITS[unsigned]}"


def _leaves(items):
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from _leaves(item)
        else:
            yield item


def python_value_dtype(x) -> str | None:
    """The dtype of a Python scalar or nested list of scalars (weak types resolved), else None."""
    if isinstance(x, (bool, int, float)):
        return result_type(type(x))
    if isinstance(x, (list, tuple)):
        leaves = list(_leaves(x))
        if all(isinstance(leaf, (bool, int, float)) for leaf in leaves):
            return result_type(*{type(leaf) for leaf in leaves})
    return None


def result_type(*dtypes) -> str:
    """The dtype of an op's result on inputs of ``dtypes``.

    Each entry is a dtype, or a Python ``bool``/``int``/``float`` *type* standing for a weak scalar.
    """
    strong = None
    weak_float = weak_int = weak_bool = False
    for dtype in dtypes:
        if dtype is float:
            weak_float = True
        elif dtype is int:
            weak_int = True
        elif dtype is bool:
            weak_bool = True
        else:
            name = standardize_dtype(dtype)
            strong = name if strong is None else _join(strong, name)
    if strong is None:
        if weak_float:
            return config.floatx()
        if weak_int:
            return "int32"
        if weak_bool:
            return "bool"
        return config.floatx()
    if weak_float and strong not in FLOAT_TYPES and strong not in COMPLEX_TYPES:
        return config.floatx()
    if weak_int and strong == "bool":
        return "int32"
    return strong
