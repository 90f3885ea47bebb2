"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

from lamina import ops
from lamina.optimizers.optimizer import Optimizer, fused


class Adamax(Optimizer):
    """``m = b1 * m + (1 - b1) * g``, ``u = max(b2 * u, |g|)``, ``w -= lr / (1 - b1**t) * m / (u + epsilon)``.

    Args:
        learning_rate: float, schedule or callable. Defaults to 0.001.
        beta_1: decay of the first moment. Defaults to 0.9.
        beta_2: decay of the infinity norm. Defaults to 0.999.
        epsilon: added to the norm. Defaults to 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> optimizer = Adamax(learning_rate=0.002)
    """

    _hyperparameters = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 name: str = "adamax", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._m, self._u = self.add_optimizer_variables(variables, ["momentum", "norm"])

    def multi_update_step(self, grads, variables, learning_rate) -> None:
        m, u = self._state_of(self._m, variables), self._state_of(self._u, variables)
        fused.lerp_(m, grads, 1 - self.beta_1)
        fused.mul_(u, self.beta_2)
        fused.maximum_(u, fused.abs(grads))
        rate = learning_rate / (1 - ops.power(self.beta_1, self._local_step()))
        fused.addcdiv_(variables, m, fused.add(u, self.epsilon), -rate)
