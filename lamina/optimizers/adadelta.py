"""Adadelta: steps scaled by the ratio of recent update and gradient magnitudes."""

from __future__ import annotations

from lamina.optimizers.optimizer import Optimizer, fused


class Adadelta(Optimizer):
    """``G = rho * G + (1 - rho) * g**2``; ``d = sqrt(D + eps) / sqrt(G + eps) * g``;
    ``D = rho * D + (1 - rho) * d**2``; ``w -= lr * d``.

    Args:
        learning_rate: float, schedule or callable. Defaults to 0.001.
        rho: decay rate of both averages. Defaults to 0.95.
        epsilon: added inside the square roots. Defaults to 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> optimizer = Adadelta(learning_rate=1.0)
    """

    _hyperparameters = ("rho", "epsilon")

    def __init__(self, learning_rate=0.001, rho: float = 0.95, epsilon: float = 1e-7, name: str = "adadelta",
                 **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            variables, ["accumulated_grad", "accumulated_delta_var"])

    def multi_update_step(self, grads, variables, learning_rate) -> None:
        rho, epsilon = self.rho, self.epsilon
        grad_averages = self._state_of(self._accumulated_grads, variables)
        delta_averages = self._state_of(self._accumulated_delta_vars, variables)
        fused.mul_(grad_averages, rho)
        fused.addcmul_(grad_averages, grads, grads, 1 - rho)
        rms_deltas = fused.sqrt(fused.add(delta_averages, epsilon))
        deltas = fused.mul(fused.div(rms_deltas, fused.sqrt(fused.add(grad_averages, epsilon))), grads)
        fused.mul_(delta_averages, rho)
        fused.addcmul_(delta_averages, deltas, deltas, 1 - rho)
        fused.add_(variables, deltas, -learning_rate)
