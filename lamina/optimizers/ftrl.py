"""FTRL-Proximal ("follow the regularized leader"), for large sparse linear models."""

from __future__ import annotations

from lamina import initializers
from lamina.optimizers.optimizer import Optimizer, fused


class Ftrl(Optimizer):
    """McMahan et al.'s FTRL-Proximal with L1/L2 regularisation, L2 shrinkage and the ``beta`` smoothing term.

    Per step: ``n' = n + g**2``; ``z += g' - (n'**-p - n**-p) / lr * w`` with ``g' = g + 2 * l2_shrinkage * w``
    and ``p = learning_rate_power``; ``w = (clip(z, -l1, l1) - z) / (n'**-p / lr + 2 * (l2 + beta / (2 * lr)))``.

    Args:
        learning_rate: float, schedule or callable. Defaults to 0.001.
        learning_rate_power: <= 0; how the rate decays with the accumulated squares. Defaults to -0.5.
        initial_accumulator_value: >= 0, start of ``n``. Defaults to 0.1.
        l1_regularization_strength: >= 0. Defaults to 0.
        l2_regularization_strength: >= 0. Defaults to 0.
        l2_shrinkage_regularization_strength: >= 0, a magnitude penalty on the gradient. Defaults to 0.
        beta: the smoothing term of the FTRL paper. Defaults to 0.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> optimizer = Ftrl(learning_rate=0.05, l1_regularization_strength=0.001)
    """

    _hyperparameters = ("learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
                        "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta")

    def __init__(self, learning_rate=0.001, learning_rate_power: float = -0.5, initial_accumulator_value: float = 0.1,
                 l1_regularization_strength: float = 0.0, l2_regularization_strength: float = 0.0,
                 l2_shrinkage_regularization_strength: float = 0.0, beta: float = 0.0, name: str = "ftrl",
                 **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        for argument, value in (("initial_accumulator_value", initial_accumulator_value),
                                ("l1_regularization_strength", l1_regularization_strength),
                                ("l2_regularization_strength", l2_regularization_strength),
                                ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)):
            if value < 0.0:
                raise ValueError(f"`{argument}` needs to be positive or zero. Received: {argument}={value}.")
        if learning_rate_power > 0.0:
            raise ValueError("`learning_rate_power` needs to be negative or zero. "
                             f"Received: learning_rate_power={learning_rate_power}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulators, self._linears = self.add_optimizer_variables(
            variables, ["accumulator", "linear"], [initializers.Constant(self.initial_accumulator_value), "zeros"])

    def multi_update_step(self, grads, variables, learning_rate) -> None:
        power = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)
        accumulators = self._state_of(self._accumulators, variables)
        linears = self._state_of(self._linears, variables)
        new_accumulators = fused.add(accumulators, fused.mul(grads, grads))
        new_powers = fused.pow(new_accumulators, power)
        sigmas = fused.div(fused.add(new_powers, fused.pow(accumulators, power), alpha=-1.0), learning_rate)
        if self.l2_shrinkage_regularization_strength:
            grads = fused.add(grads, variables, alpha=2 * self.l2_shrinkage_regularization_strength)
        fused.add_(linears, grads)
        fused.addcmul_(linears, sigmas, variables, -1.0)
        quadratics = fused.add(fused.div(new_powers, learning_rate), 2 * l2)
        fused.assign_(variables, fused.div(fused.add(fused.clip(linears, -l1, l1), linears, alpha=-1.0), quadratics))
        fused.assign_(accumulators, new_accumulators)
