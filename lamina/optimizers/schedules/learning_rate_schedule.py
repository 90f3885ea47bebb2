"""Learning-rate schedules (Keras 3 names, arguments and formulas): functions of the optimizer step.

A schedule is called with the step (an int Variable such as ``optimizer.iterations``, a tensor or a Python
int) and returns a 0-d tensor. The formulas are branch-free ``lamina.ops`` so that evaluating a schedule
never waits on the device.
"""

from __future__ import annotations

import math

from lamina import ops


class LearningRateSchedule:
    """Base class: subclasses implement ``__call__(step)`` and ``get_config()`` (or list in ``_config_keys``
    the attributes, named as the constructor's arguments, that make up their config)."""

    _config_keys: tuple = ()

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override `__call__(step)`.")

    def get_config(self) -> dict:
        if not self._config_keys:
            raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override `get_config()`.")
        return {key: getattr(self, key) for key in self._config_keys}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


def _check_positive(name: str, value) -> None:
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


def _start(initial_learning_rate, step):
    """The initial rate as a tensor, and the step cast to its dtype."""
    initial = ops.convert_to_tensor(initial_learning_rate)
    return initial, ops.cast(step, ops.dtype(initial))


def _progress(step, decay_steps, staircase: bool):
    """``step / decay_steps``, floored if ``staircase``."""
    p = step / decay_steps
    return ops.floor(p) if staircase else p


class _RateDecay(LearningRateSchedule):
    """Shared state of the schedules driven by ``decay_rate`` over ``decay_steps`` (optionally staircased).

    ``name`` defaults to the class name, as Keras names these schedules.
    """

    _config_keys = ("initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name")

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float, staircase: bool = False,
                 name: str | None = None):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name or type(self).__name__


class ExponentialDecay(_RateDecay):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``; the exponent is floored if ``staircase``.

    Example:
        >>> schedule = ExponentialDecay(0.1, decay_steps=1000, decay_rate=0.96)
    """

    def __call__(self, step):
        initial, step = _start(self.initial_learning_rate, step)
        p = _progress(step, self.decay_steps, self.staircase)
        return initial * ops.power(ops.cast(self.decay_rate, ops.dtype(initial)), p)


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while ``step <= boundaries[0]``, ``values[i]`` while ``boundaries[i-1] < step <= boundaries[i]``,
    ``values[-1]`` after the last boundary.

    Example:
        >>> schedule = PiecewiseConstantDecay(boundaries=[100, 200], values=[1.0, 0.5, 0.1])
    """

    _config_keys = ("boundaries", "values", "name")

    def __init__(self, boundaries: list, values: list, name: str = "PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        values = [ops.convert_to_tensor(v) for v in self.values]
        dtype = ops.dtype(values[0])
        step = ops.convert_to_tensor(step)
        # Sum over intervals of (step in interval) * value: one value survives, with no branch.
        edges = [None, *self.boundaries, None]
        result = ops.zeros((), dtype=dtype)
        for low, high, value in zip(edges[:-1], edges[1:], values):
            conditions = [ops.greater(step, low)] if low is not None else []
            if high is not None:
                conditions.append(ops.less_equal(step, high))
            inside = ops.logical_and(*conditions) if len(conditions) == 2 else conditions[0]
            result = result + ops.cast(inside, dtype) * ops.cast(value, dtype)
        return result


class PolynomialDecay(LearningRateSchedule):
    """``(initial - end) * (1 - step / decay_steps) ** power + end``, with ``step`` capped at ``decay_steps``
    (or, if ``cycle``, ``decay_steps`` stretched to the first multiple above ``step``).

    Example:
        >>> schedule = PolynomialDecay(0.1, decay_steps=10000, end_learning_rate=0.01, power=0.5)
    """

    _config_keys = ("initial_learning_rate", "decay_steps", "end_learning_rate", "power", "cycle", "name")

    def __init__(self, initial_learning_rate: float, decay_steps: int, end_learning_rate: float = 0.0001,
                 power: float = 1.0, cycle: bool = False, name: str = "PolynomialDecay"):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        initial, step = _start(self.initial_learning_rate, step)
        dtype = ops.dtype(initial)
        end = ops.cast(self.end_learning_rate, dtype)
        decay_steps = ops.cast(self.decay_steps, dtype)
        if self.cycle:
            multiplier = ops.where(ops.equal(step, 0), 1.0, ops.ceil(step / decay_steps))
            decay_steps = decay_steps * ops.cast(multiplier, dtype)
        else:
            step = ops.minimum(step, decay_steps)
        p = step / decay_steps
        return (initial - end) * ops.power(1 - p, ops.cast(self.power, dtype)) + end


class InverseTimeDecay(_RateDecay):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``; the ratio is floored if ``staircase``.

    Example:
        >>> schedule = InverseTimeDecay(0.1, decay_steps=1.0, decay_rate=0.5)
    """

    def __call__(self, step):
        initial, step = _start(self.initial_learning_rate, step)
        p = _progress(step, self.decay_steps, self.staircase)
        return initial / (1 + ops.cast(self.decay_rate, ops.dtype(initial)) * p)


def _cosine(fraction, alpha, scale=1.0):
    """``(1 - alpha) * scale * 0.5 * (1 + cos(pi * fraction)) + alpha``: a half cosine from ``scale`` to 0."""
    return (1 - alpha) * (scale * 0.5 * (1.0 + ops.cos(math.pi * fraction))) + alpha


class CosineDecay(LearningRateSchedule):
    """Cosine decay from the initial rate (or from ``warmup_target`` after a linear warmup of ``warmup_steps``
    steps) down to ``alpha`` times that rate over ``decay_steps`` steps.

    Example:
        >>> schedule = CosineDecay(0.0, decay_steps=1000, warmup_target=0.1, warmup_steps=100)
    """

    _config_keys = ("initial_learning_rate", "decay_steps", "alpha", "name", "warmup_target", "warmup_steps")

    def __init__(self, initial_learning_rate: float, decay_steps: int, alpha: float = 0.0, name: str = "CosineDecay",
                 warmup_target: float | None = None, warmup_steps: int = 0):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def __call__(self, step):
        initial, step = _start(self.initial_learning_rate, step)
        if self.warmup_target is None:
            return initial * _cosine(ops.minimum(step, self.decay_steps) / self.decay_steps, self.alpha)
        target = ops.cast(self.warmup_target, ops.dtype(initial))
        step = ops.minimum(step, self.decay_steps + self.warmup_steps)
        decayed = target * _cosine((step - self.warmup_steps) / self.decay_steps, self.alpha)
        if not self.warmup_steps:
            return decayed
        warming = (target - initial) * (step / self.warmup_steps) + initial
        return ops.where(ops.less(step, self.warmup_steps), warming, decayed)


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): the i-th period lasts ``first_decay_steps * t_mul**i`` steps
    and starts from ``initial_learning_rate * m_mul**i``.

    Example:
        >>> schedule = CosineDecayRestarts(0.1, first_decay_steps=1000)
    """

    def __init__(self, initial_learning_rate: float, first_decay_steps: int, t_mul: float = 2.0, m_mul: float = 1.0,
                 alpha: float = 0.0, name: str = "SGDRDecay"):
        _check_positive("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        initial, step = _start(self.initial_learning_rate, step)
        fraction = step / self.first_decay_steps
        t_mul = self._t_mul
        if t_mul == 1.0:
            restarts = ops.floor(fraction)
            fraction = fraction - restarts
        else:
            # Periods grow geometrically: restart i begins at fraction (1 - t_mul**i) / (1 - t_mul).
            restarts = ops.floor(ops.log(1.0 - fraction * (1.0 - t_mul)) / math.log(t_mul))
            done = (1.0 - ops.power(t_mul, restarts)) / (1.0 - t_mul)
            fraction = (fraction - done) / ops.power(t_mul, restarts)
        return initial * _cosine(fraction, self.alpha, ops.power(self._m_mul, restarts))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}
