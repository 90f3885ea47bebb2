"""The engine-neutral part of lamina's Variable: a named, shaped, typed handle on an engine array.

Each engine subclasses it and supplies storage (``_initialize``), conversion (``_convert``), in-place
assignment (``_direct_assign``) and gradient tracking (``_set_trainable``). Inside a ``StatelessScope``
reads and writes go to the scope instead, so a model can run as a pure function of its state.
"""

from __future__ import annotations

import itertools

import numpy as np

from lamina.backend.common import scopes
from lamina.backend.common.dtypes import is_float, standardize_dtype

_uids = itertools.count()
_structure_version = [0]


def state_structure_version() -> int:
    """A number that changes whenever the set of Variables a model holds, or which of them train, may have
    changed (a Variable is made, a trainable flag flips, a layer tracks another or lets one go). Steps that
    keep a model's variables listed compare it instead of walking the model's layers on every batch."""
    return _structure_version[0]


def note_state_structure_change() -> None:
    _structure_version[0] += 1


class Variable:
    """A mutable tensor owned by a layer, an optimizer or a metric.

    Args:
        initializer: an initializer (callable of ``shape, dtype``) or an initial value.
        shape: the shape, required when ``initializer`` is callable.
        dtype: the dtype; defaults to the initial value's dtype, else ``floatx``.
        trainable: whether gradients are computed for it.
        name: a name without ``/``; the path adds the enclosing ``name_scope``.
    """

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                 aggregation="none", synchronization="auto", name=None):
        name = name or f"variable_{next(_uids)}"
        if not isinstance(name, str) or "/" in name:
            raise ValueError(f"Argument `name` must be a string without '/'. Received: name={name!r}")
        self.name = name
        prefix = scopes.current_path()
        self.path = f"{prefix}/{name}" if prefix else name
        self.autocast = autocast
        self.aggregation = aggregation
        self.synchronization = synchronization
        self.regularizer = None
        self.constraint = None
        self._trainable = bool(trainable)
        note_state_structure_change()
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    f"Variable '{name}': a callable initializer needs a `shape`. Received: shape=None"
                )
            self._dtype = standardize_dtype(dtype)
            value = initializer(tuple(shape), dtype=self._dtype)
        else:
            value = initializer
            if dtype is None:
                dtype = getattr(value, "dtype", None)
                if dtype is None:
                    dtype = np.asarray(value).dtype
            self._dtype = standardize_dtype(dtype)
        value = self._convert(value, self._dtype)
        self._initialize(value if callable(initializer) else self._owned(value))
        if shape is not None and tuple(self.shape) != tuple(shape):
            raise ValueError(
                f"Variable '{name}': the initial value has shape {tuple(self.shape)}, "
                f"but the variable was declared with shape {tuple(shape)}."
            )

    # -- engine hooks ---------------------------------------------------------------------------
    def _initialize(self, value):
        raise NotImplementedError

    def _convert(self, value, dtype):
        raise NotImplementedError

    def _owned(self, value):
        """``value`` (given by the caller, not made by an initializer) in storage the Variable owns, so
        assigning to the Variable never writes into the caller's array (engines with immutable arrays
        return it as it is)."""
        return value

    def _direct_assign(self, value):
        raise NotImplementedError

    def _set_trainable(self, trainable: bool):
        pass

    # -- public API -----------------------------------------------------------------------------
    @property
    def value(self):
        """The current engine array (or its replacement inside a stateless scope)."""
        if scopes._open_stateless_scopes:
            scope = scopes.get_stateless_scope()
            if scope is not None:
                replacement = scope.get_current_value(self)
                if replacement is not None:
                    return self._autocast(replacement)
        if scopes._open_autocast_scopes:
            return self._autocast(self._value)
        return self._value  # the common read (every layer call reads its weights): one test

    def _autocast(self, value):
        """``value`` cast to the dtype of an enclosing ``AutocastScope`` (a mixed-precision layer's call)."""
        if scopes._open_autocast_scopes and self.autocast:
            dtype = scopes.autocast_dtype()
            if dtype is not None and dtype != self._dtype and is_float(self._dtype):
                return self._convert(value, dtype)
        return value

    def assign(self, value):
        value = self._convert(value, self._dtype)
        if tuple(value.shape) != self.shape:
            raise ValueError(
                f"Variable '{self.path}' has shape {self.shape}; the value assigned to it has shape "
                f"{tuple(value.shape)}."
            )
        scope = scopes.get_stateless_scope()
        if scope is not None and scope.collect_assignments:
            scope.add_update(self, value)
        else:
            self._direct_assign(value)
        return value

    def assign_add(self, value):
        return self.assign(self.value + self._convert(value, self._dtype))

    def assign_sub(self, value):
        return self.assign(self.value - self._convert(value, self._dtype))

    @property
    def shape(self) -> tuple:
        return tuple(self._value.shape)

    @property
    def ndim(self) -> int:
        return len(self._value.shape)

    @property
    def dtype(self) -> str:
        """The stored dtype; inside an ``AutocastScope``, the dtype ``value`` reads as."""
        if scopes._open_autocast_scopes and self.autocast:
            dtype = scopes.autocast_dtype()
            if dtype is not None and is_float(self._dtype):
                return dtype
        return self._dtype

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool):
        self._trainable = bool(value)
        self._set_trainable(self._trainable)
        note_state_structure_change()

    def numpy(self) -> np.ndarray:
        raise NotImplementedError

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __len__(self):
        return self.shape[0]

    def __repr__(self):
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, value={self.numpy()}>"

    def __float__(self):
        return float(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __bool__(self):
        return bool(self.numpy())
