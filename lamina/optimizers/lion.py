"""Lion: sign-based updates with a single momentum (Chen et al., 2023)."""

from __future__ import annotations

from lamina.optimizers.optimizer import Optimizer, fused


class Lion(Optimizer):
    """``w -= lr * sign(b1 * m + (1 - b1) * g)``; then ``m = b2 * m + (1 - b2) * g``.

    Lion's steps have unit size per coordinate, so it wants a 3-10x smaller learning rate than AdamW.

    Args:
        learning_rate: float, schedule or callable. Defaults to 0.001.
        beta_1: interpolation of the update direction, in (0, 1]. Defaults to 0.9.
        beta_2: decay of the momentum. Defaults to 0.99.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> optimizer = Lion(learning_rate=1e-4, weight_decay=0.01)
    """

    _hyperparameters = ("beta_1", "beta_2")

    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.99, name: str = "lion", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(f"Argument for `beta_1` must be in range (0, 1]. Received: beta_1={beta_1}.")
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums = self.add_optimizer_variables(variables, "momentum")

    def multi_update_step(self, grads, variables, learning_rate) -> None:
        momentums = self._state_of(self._momentums, variables)
        fused.add_(variables, fused.sign(fused.lerp(momentums, grads, 1 - self.beta_1)), -learning_rate)
        fused.lerp_(momentums, grads, 1 - self.beta_2)
