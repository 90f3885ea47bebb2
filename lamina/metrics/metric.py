"""The Metric base: state in non-trainable lamina Variables, updated on the device batch after batch.

``update_state`` must not synchronize with the host (no ``.item()``, no NumPy, no Python branch on a
tensor value): the training loop calls it every step, and values reach the host only when ``result()``
is shown.
"""

from __future__ import annotations

from lamina import backend, initializers, ops
from lamina.backend.common.naming import to_snake_case, uniquify
from lamina.backend.common.scopes import name_scope


class Metric:
    """Base class of stateful metrics (Keras 3 API).

    Subclasses create their state with ``add_variable`` in ``__init__`` (or lazily on the first
    ``update_state`` when it depends on the input shape) and implement ``update_state`` and ``result``.

    Args:
        name: the metric's name; defaults to the snake_case class name, made unique.
        dtype: the dtype of the state and the result; defaults to ``floatx``.

    Example:
        >>> m = lamina.metrics.Mean()
        >>> m.update_state([1.0, 3.0])
        >>> float(m.result())
        2.0
    """

    _direction: str | None = None  # "up" or "down": which way is better (EarlyStopping's mode="auto")

    # False for metrics whose state cannot live in fixed-shape Variables (e.g. exact AUC's growing buffers):
    # a compiled (JAX) step then leaves their update outside the compiled function.
    traceable = True

    def __init__(self, name: str | None = None, dtype=None):
        self.name = name or uniquify(to_snake_case(type(self).__name__))
        self._dtype = backend.standardize_dtype(dtype or backend.floatx())
        self._variables = []

    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def variables(self) -> list:
        """The metric's state, as lamina Variables."""
        return list(self._variables)

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation: str = "sum",
                     name: str | None = None):
        """Create a non-trainable state Variable named ``<metric name>/<name>``."""
        initializer = initializers.get(initializer)
        with name_scope(self.name.replace("/", ">")):
            variable = backend.Variable(initializer, shape=tuple(shape), dtype=dtype or self._dtype,
                                        trainable=False, aggregation=aggregation, name=name)
        self._variables.append(variable)
        return variable

    add_weight = add_variable

    def update_state(self, *args, **kwargs) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement `update_state`.")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must implement `result`.")

    def reset_state(self) -> None:
        """Set every state variable back to zero."""
        for variable in self._variables:
            variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    def __call__(self, *args, **kwargs):
        """Update the state with one batch and return the running result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
