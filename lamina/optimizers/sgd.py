"""Stochastic gradient descent, with optional (Nesterov) momentum."""

from __future__ import annotations

from lamina.optimizers.optimizer import Optimizer, fused


class SGD(Optimizer):
    """Gradient descent with momentum: ``m = momentum * m - lr * g``; ``w += m`` (Nesterov:
    ``w += momentum * m - lr * g``). Without momentum: ``w -= lr * g``.

    Args:
        learning_rate: float, schedule or callable. Defaults to 0.01.
        momentum: float in [0, 1] accelerating descent along consistent directions. Defaults to 0.
        nesterov: whether to apply Nesterov momentum.
        **kwargs: the base ``Optimizer`` arguments (weight_decay, clipnorm, use_ema, ...).

    Example:
        >>> optimizer = SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    """

    _hyperparameters = ("momentum", "nesterov")

    def __init__(self, learning_rate=0.01, momentum: float = 0.0, nesterov: bool = False, name: str = "SGD",
                 **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        if not isinstance(momentum, (int, float)) or not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: momentum={momentum}")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum != 0 else []

    def multi_update_step(self, grads, variables, learning_rate) -> None:
        if self.momentum == 0:
            fused.add_(variables, grads, -learning_rate)
            return
        momentums = self._state_of(self.momentums, variables)
        fused.mul_(momentums, self.momentum)
        fused.add_(momentums, grads, -learning_rate)
        if self.nesterov:
            fused.add_(variables, grads, -learning_rate)
            fused.add_(variables, momentums, self.momentum)
        else:
            fused.add_(variables, momentums)
