"""Weight regularizers: callables mapping a weight tensor to a scalar penalty added to the loss."""

from __future__ import annotations

import math

from lamina import config, ops


def _penalty(value, name: str) -> float:
    """``value`` as a non-negative finite float, or a ValueError naming the argument."""
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or value < 0):
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected a non-negative finite float. Received: {name}={value!r}"
        )
    return float(value)


class Regularizer:
    """Base of all regularizers: ``regularizer(weights)`` returns a scalar penalty.

    Subclasses implement ``__call__`` and ``get_config``; ``from_config`` rebuilds them from that config.

    Example:
        >>> class L1Half(Regularizer):
        ...     def __call__(self, x):
        ...         return 0.5 * lamina.ops.sum(lamina.ops.abs(x))
        ...     def get_config(self):
        ...         return {}
    """

    def __call__(self, x):
        return 0.0

    def get_config(self) -> dict:
        raise NotImplementedError(f"{type(self).__name__} does not implement `get_config()`.")

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        return cls(**config)


class L1(Regularizer):
    """L1 penalty: ``l1 * sum(abs(x))``.

    Args:
        l1: the penalty factor (default 0.01).

    Example:
        >>> layer = lamina.layers.Dense(3, kernel_regularizer=L1(0.001))
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = _penalty(0.01 if l1 is None else l1, "l1")

    def __call__(self, x):
        return self.l1 * ops.sum(ops.absolute(x))

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(Regularizer):
    """L2 penalty: ``l2 * sum(square(x))``.

    Args:
        l2: the penalty factor (default 0.01).

    Example:
        >>> layer = lamina.layers.Dense(3, kernel_regularizer=L2(0.001))
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = _penalty(0.01 if l2 is None else l2, "l2")

    def __call__(self, x):
        return self.l2 * ops.sum(ops.square(x))

    def get_config(self) -> dict:
        return {"l2": self.l2}


class L1L2(Regularizer):
    """Both penalties: ``l1 * sum(abs(x)) + l2 * sum(square(x))``; a zero factor skips its term.

    Args:
        l1: the L1 factor (default 0.0).
        l2: the L2 factor (default 0.0).

    Example:
        >>> layer = lamina.layers.Dense(3, kernel_regularizer=L1L2(l1=1e-5, l2=1e-4))
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = _penalty(0.0 if l1 is None else l1, "l1")
        self.l2 = _penalty(0.0 if l2 is None else l2, "l2")

    def __call__(self, x):
        penalty = ops.zeros((), dtype=ops.dtype(x))
        if self.l1:
            penalty = penalty + self.l1 * ops.sum(ops.absolute(x))
        if self.l2:
            penalty = penalty + self.l2 * ops.sum(ops.square(x))
        return penalty

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight towards orthogonality.

    The penalty is ``factor`` times the mean ``|cos(angle)|`` over all pairs of distinct rows
    (``mode="rows"``) or columns (``mode="columns"``): zero when they are mutually orthogonal.

    Args:
        factor: the penalty factor (default 0.01).
        mode: "rows" or "columns" (default "rows").

    Example:
        >>> layer = lamina.layers.Dense(3, kernel_regularizer=OrthogonalRegularizer(0.01, mode="columns"))
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows"):
        self.factor = _penalty(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError(
                f"Invalid value for argument `mode`. Expected 'rows' or 'columns'. Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, inputs):
        inputs = ops.convert_to_tensor(inputs)
        shape = ops.shape(inputs)
        if len(shape) != 2:
            raise ValueError(f"Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape={shape}")
        vectors = inputs if self.mode == "rows" else ops.transpose(inputs)
        square_sums = ops.sum(ops.square(vectors), axis=1, keepdims=True)
        vectors = vectors / ops.maximum(ops.sqrt(square_sums), config.epsilon())
        cosines = ops.matmul(vectors, ops.transpose(vectors))
        size = shape[0] if self.mode == "rows" else shape[1]
        off_diagonal = cosines * (1.0 - ops.eye(size, dtype=ops.dtype(cosines)))
        num_pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * ops.sum(ops.absolute(off_diagonal)) / num_pairs

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}
