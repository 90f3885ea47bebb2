"""Parsing config JSON from files that may be hostile: bounded size, nesting and numbers.

Python's ``json`` recurses once per nesting level (a config of a million ``[`` raises ``RecursionError``)
and reads integers of thousands of digits; the code that rebuilds models from a config recurses too. So a
config is refused, with a ``ValueError`` naming its source, when its text exceeds ``MAX_BYTES``, it nests
deeper than ``MAX_DEPTH`` (real models stay far below), or it holds an integer beyond ``MAX_INT``.
"""

from __future__ import annotations

import json
import re

import numpy as np

MAX_BYTES = 2**26  # 64 MiB of config text
MAX_DEPTH = 200
MAX_INT = 2**63
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def nesting_depth(text: str) -> int:
    """How deeply ``[`` / ``{`` nest in JSON ``text`` (brackets inside strings do not count), without recursion."""
    brackets = re.sub(r"[^\[\]{}]", "", _STRING.sub("", text)).encode("ascii")
    if not brackets:
        return 0
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


def loads(text: str | bytes, source: str):
    """The object in JSON ``text`` read from ``source`` (a file, or a file's member), within the limits above."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(f"Cannot read {source}: it is not UTF-8 text ({error}).") from None
    if len(text) > MAX_BYTES:
        raise ValueError(f"Refusing to read {source}: its {len(text)} characters exceed the limit of {MAX_BYTES}.")
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise ValueError(f"Refusing to read {source}: it nests {depth} levels deep, beyond the limit of "
                         f"{MAX_DEPTH}.")

    def parse_int(digits: str) -> int:
        if len(digits) > 20 or abs(int(digits)) > MAX_INT:
            raise ValueError(f"Refusing to read {source}: it holds the integer {digits[:40]}"
                             f"{'...' if len(digits) > 40 else ''}, beyond the limit of {MAX_INT}.")
        return int(digits)

    try:
        return json.loads(text, parse_int=parse_int)
    except json.JSONDecodeError as error:
        raise ValueError(f"Cannot read {source}: it is not valid JSON ({error}).") from None
