"""Symbolic tensors: a shape, a dtype and the history of how they were made.

A symbolic tensor stands for a value that does not exist yet. ``Input()`` makes one; layers and ops called
on it return new ones whose ``_keras_history`` records the operation, node and output index that produced
them. The functional ``Model`` walks these histories to find its graph. Python operators (``x + y``,
``x[0]``) are bound by ``lamina.ops`` so this floor does not depend on the op set above it.
"""

from __future__ import annotations

from collections import namedtuple

from lamina.backend.common.dtypes import standardize_dtype

KerasHistory = namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])


class SymbolicTensor:
    """A placeholder with a static shape (``None`` for unknown dimensions) and a dtype."""

    __array_priority__ = 100

    def __init__(self, shape, dtype="float32", sparse=False, name=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.name = name
        self._keras_history = None
        self._keras_mask = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __len__(self):
        raise TypeError(
            "A symbolic tensor has no length: it stands for a value that does not exist yet. "
            f"Its shape is {self.shape}."
        )

    def __bool__(self):
        raise TypeError("A symbolic tensor cannot be used as a Python bool (in `if`, `and`, `or`, `not`).")

    def __iter__(self):
        if not self.shape or self.shape[0] is None:
            raise TypeError(f"Cannot iterate over a symbolic tensor of shape {self.shape}.")
        return (self[i] for i in range(self.shape[0]))

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "A symbolic tensor cannot be converted to a NumPy array: it stands for the input of a model "
            "being built, not for data. Call the model on real data to get values."
        )

    def __hash__(self):
        return id(self)

    def __repr__(self):
        name = f" name={self.name}" if self.name else ""
        return f"<SymbolicTensor shape={self.shape}, dtype={self.dtype}, sparse={self.sparse}{name}>"


def is_symbolic(x) -> bool:
    return isinstance(x, SymbolicTensor)


def any_symbolic(args) -> bool:
    """True when any top-level argument, or any item of a top-level list/tuple/dict, is symbolic."""
    for arg in args:
        kind = type(arg)
        if kind is SymbolicTensor:
            return True
        if kind is list or kind is tuple:
            for item in arg:
                if type(item) is SymbolicTensor:
                    return True
        elif kind is dict:
            for item in arg.values():
                if type(item) is SymbolicTensor:
                    return True
    return False
