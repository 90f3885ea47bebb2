"""Adagrad: per-coordinate rates shrinking with the sum of squared gradients."""

from __future__ import annotations

from lamina import initializers
from lamina.optimizers.optimizer import Optimizer, fused


class Adagrad(Optimizer):
    """``a += g**2``; ``w -= lr * g / sqrt(a + epsilon)``.

    Args:
        learning_rate: float, schedule or callable. Defaults to 0.001.
        initial_accumulator_value: starting value of the accumulators. Defaults to 0.1.
        epsilon: added inside the square root. Defaults to 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> optimizer = Adagrad(learning_rate=0.01)
    """

    _hyperparameters = ("initial_accumulator_value", "epsilon")

    def __init__(self, learning_rate=0.001, initial_accumulator_value: float = 0.1, epsilon: float = 1e-7,
                 name: str = "adagrad", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(
            variables, "accumulator", initializers.Constant(self.initial_accumulator_value))

    def multi_update_step(self, grads, variables, learning_rate) -> None:
        accumulators = self._state_of(self._accumulators, variables)
        fused.addcmul_(accumulators, grads, grads)
        fused.addcdiv_(variables, grads, fused.sqrt(fused.add(accumulators, self.epsilon)), -learning_rate)
