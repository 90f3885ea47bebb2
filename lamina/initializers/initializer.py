"""The Initializer base: a callable ``(shape, dtype) -> tensor`` with a config for saving."""

from __future__ import annotations


class Initializer:
    """Base of all initializers: subclasses implement ``__call__`` and, when they take arguments, ``get_config``.

    Example:
        >>> class Halves(Initializer):
        ...     def __call__(self, shape, dtype=None):
        ...         return lamina.ops.full(shape, 0.5, dtype=dtype)
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(f"{type(self).__name__} must implement `__call__(shape, dtype=None)`.")

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        return cls(**config)

    def clone(self) -> Initializer:
        return self.__class__.from_config(self.get_config())
