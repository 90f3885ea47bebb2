"""Scopes that change how variables and calls behave while they are active.

- ``StatelessScope`` maps Variables to replacement values, so a model can run as a pure function of its
  state (the JAX step uses this), and collects assignments instead of applying them.
- ``name_scope`` prefixes the paths of variables created inside it.
"""

from __future__ import annotations

import threading

_state = threading.local()
_open_stateless_scopes = 0  # across threads: lets Variable.value skip the thread-local lookup when 0
_open_autocast_scopes = 0  # the same for AutocastScope


def _stack(name: str) -> list:
    stack = getattr(_state, name, None)
    if stack is None:
        stack = []
        setattr(_state, name, stack)
    return stack


class StatelessScope:
    """Inside it, ``variable.value`` reads from ``state_mapping`` and ``assign`` records new values."""

    def __init__(self, state_mapping=None, collect_assignments=True):
        self.mapping = {id(variable): value for variable, value in (state_mapping or [])}
        self.collect_assignments = collect_assignments
        self.assignments = {}

    def get_current_value(self, variable):
        key = id(variable)
        if key in self.assignments:
            return self.assignments[key][1]
        return self.mapping.get(key)

    def add_update(self, variable, value):
        self.assignments[id(variable)] = (variable, value)

    def __enter__(self):
        global _open_stateless_scopes
        _stack("stateless").append(self)
        _open_stateless_scopes += 1
        return self

    def __exit__(self, *exc):
        global _open_stateless_scopes
        _stack("stateless").pop()
        _open_stateless_scopes -= 1


def get_stateless_scope() -> StatelessScope | None:
    if not _open_stateless_scopes:
        return None
    stack = getattr(_state, "stateless", None)
    return stack[-1] if stack else None


class AutocastScope:
    """Inside it, float Variables created with ``autocast=True`` read (``value``, ``dtype``) as ``dtype``:
    a mixed-precision layer (``"mixed_bfloat16"``) computes in bfloat16 on float32 weights. ``None`` reads
    them as stored."""

    def __init__(self, dtype: str | None):
        self.dtype = dtype

    def __enter__(self):
        global _open_autocast_scopes
        _stack("autocast").append(self.dtype)
        _open_autocast_scopes += 1
        return self

    def __exit__(self, *exc):
        global _open_autocast_scopes
        _stack("autocast").pop()
        _open_autocast_scopes -= 1


def autocast_dtype() -> str | None:
    """The dtype of the innermost ``AutocastScope`` of this thread, or None."""
    if not _open_autocast_scopes:
        return None
    stack = getattr(_state, "autocast", None)
    return stack[-1] if stack else None


class name_scope:
    """Prefix the names of variables and layers created inside with ``name/``."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        _stack("names").append(self.name)
        return self

    def __exit__(self, *exc):
        _stack("names").pop()


def current_path() -> str:
    return "/".join(_stack("names"))
