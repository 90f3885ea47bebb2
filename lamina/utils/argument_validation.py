"""Constructor argument checks shared by layers (and anything else taking user arguments), so every
class refuses bad values the same way, naming the class, the argument, what was expected and what came.
"""

from __future__ import annotations

import numbers


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def standardize_tuple(value, n: int, name: str, owner: str, allow_zero: bool = False) -> tuple:
    """An int or a sequence of ``n`` ints (positive, or non-negative with ``allow_zero``) as an ``n``-tuple."""
    values = (value,) * n if _is_int(value) else value
    try:
        values = tuple(values)
    except TypeError:
        values = ()
    low = 0 if allow_zero else 1
    if len(values) != n or not all(_is_int(v) and v >= low for v in values):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(
            f"Invalid value for argument `{name}` of {owner}. Expected a {kind} int or a tuple of {n} {kind} "
            f"ints. Received: {name}={value!r}"
        )
    return tuple(int(v) for v in values)


def standardize_padding(value, owner: str, allow_causal: bool = False) -> str:
    """``"valid"`` or ``"same"`` (or ``"causal"`` when allowed), case-insensitive."""
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(
            f"Invalid value for argument `padding` of {owner}. Expected one of {allowed}. Received: padding={value!r}"
        )
    return padding


def check_positive_int(value, name: str, owner: str) -> int:
    """``value`` if it is an int > 0: a TypeError for a non-integer, a ValueError (Keras' wording) for <= 0."""
    if not _is_int(value):
        raise TypeError(f"Expected an integer value for `{name}` of {owner}. Received: {name}={value!r}")
    if value <= 0:
        raise ValueError(f"Argument `{name}` should be a positive integer for {owner}. Received: {name}={value}")
    return int(value)


def check_rate(value, name: str, owner: str, include_one: bool = True) -> float:
    """``value`` if it is a real number in ``[0, 1]`` (``[0, 1)`` without ``include_one``)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and (
        0 <= value <= 1 if include_one else 0 <= value < 1
    )
    if not ok:
        expected = "between 0 and 1" if include_one else "in [0, 1)"
        raise ValueError(
            f"Invalid value for argument `{name}` of {owner}. Expected a float {expected}. Received: {name}={value!r}"
        )
    return value


def check_int_at_least(value, minimum: int, name: str, owner: str, allow_none: bool = False):
    """``value`` if it is an int >= ``minimum`` (or None when ``allow_none``): fit's ``epochs``, ``batch_size``."""
    if value is None and allow_none:
        return None
    if not _is_int(value) or value < minimum:
        expected = f"an int >= {minimum}" + (" or None" if allow_none else "")
        raise ValueError(
            f"Invalid value for argument `{name}` of {owner}. Expected {expected}. Received: {name}={value!r}"
        )
    return int(value)


def standardize_shape(value, name: str, owner: str) -> tuple:
    """A shape as a tuple of non-negative ints and ``None`` (unknown); an int is a 1-D shape."""
    if _is_int(value):
        value = (value,)
    entries = tuple(value) if isinstance(value, (list, tuple)) else None
    if entries is None or not all(e is None or (_is_int(e) and e >= 0) for e in entries):
        problem = ("dimensions must be non-negative ints or None" if entries is not None
                   else "expected a tuple of ints or None")
        raise ValueError(f"Invalid value for argument `{name}` of {owner}: cannot convert {value!r} to a shape "
                         f"({problem}). Received: {name}={value!r}")
    return tuple(None if e is None else int(e) for e in entries)


def is_text_array(array) -> bool:
    """Whether ``array`` is a NumPy array of strings (str, bytes, or Python str objects): data for a string
    layer, kept on the host, never an engine tensor."""
    kind = getattr(getattr(array, "dtype", None), "kind", None)
    return kind in ("U", "S") or (kind == "O" and array.size > 0 and isinstance(array.flat[0], (str, bytes)))


def check_array_dtype(array, name: str) -> None:
    """Refuse arrays of strings where a model needs numbers, naming the argument."""
    if is_text_array(array):
        raise TypeError(
            f"`{name}` holds strings (dtype {array.dtype}), but the model takes numbers. Convert them first (for "
            f"text, with a `TextVectorization` or `StringLookup` layer outside the model). Received: {name} of "
            f"dtype {array.dtype}"
        )
