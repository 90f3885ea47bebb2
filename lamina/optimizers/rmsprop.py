"""RMSprop: gradients divided by a moving root mean square of recent gradients."""

from __future__ import annotations

from lamina.optimizers.optimizer import Optimizer, fused


class RMSprop(Optimizer):
    """``v = rho * v + (1 - rho) * g**2``; ``w -= lr * g / sqrt(v + epsilon)``. ``centered`` also tracks the mean
    gradient ``a`` and divides by ``sqrt(v - a**2 + epsilon)``; ``momentum`` accumulates the steps.

    Args:
        learning_rate: float, schedule or callable. Defaults to 0.001.
        rho: discount factor of the squared-gradient average. Defaults to 0.9.
        momentum: momentum of the steps. Defaults to 0.
        epsilon: added inside the square root. Defaults to 1e-7.
        centered: normalise by the gradient variance instead of its second moment.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> optimizer = RMSprop(learning_rate=0.01, centered=True)
    """

    _hyperparameters = ("rho", "momentum", "epsilon", "centered")

    def __init__(self, learning_rate=0.001, rho: float = 0.9, momentum: float = 0.0, epsilon: float = 1e-7,
                 centered: bool = False, name: str = "rmsprop", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum > 0 else []
        self._average_gradients = self.add_optimizer_variables(variables, "average_gradient") if self.centered else []

    def multi_update_step(self, grads, variables, learning_rate) -> None:
        rho = self.rho
        velocities = self._state_of(self._velocities, variables)
        fused.mul_(velocities, rho)
        fused.addcmul_(velocities, grads, grads, 1 - rho)
        if self.centered:
            averages = self._state_of(self._average_gradients, variables)
            fused.lerp_(averages, grads, 1 - rho)
            denominators = fused.add(fused.add(velocities, fused.mul(averages, averages), alpha=-1.0), self.epsilon)
        else:
            denominators = fused.add(velocities, self.epsilon)
        roots = fused.sqrt(denominators)
        if self.momentum > 0:
            momentums = self._state_of(self._momentums, variables)
            fused.mul_(momentums, self.momentum)
            fused.addcdiv_(momentums, grads, roots, learning_rate)
            fused.add_(variables, momentums, -1.0)
        else:
            fused.addcdiv_(variables, grads, roots, -learning_rate)
