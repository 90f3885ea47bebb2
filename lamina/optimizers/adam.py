"""Adam: adaptive moment estimation."""

from __future__ import annotations

from lamina import ops
from lamina.optimizers.optimizer import Optimizer, fused


class Adam(Optimizer):
    """``m = b1 * m + (1 - b1) * g``, ``v = b2 * v + (1 - b2) * g**2``,
    ``w -= lr * sqrt(1 - b2**t) / (1 - b1**t) * m / (sqrt(v) + epsilon)`` (Keras' form: epsilon outside the
    root, bias correction folded into the rate). ``amsgrad`` divides by the running maximum of ``v``.

    Args:
        learning_rate: float, schedule or callable. Defaults to 0.001.
        beta_1: decay of the first moment. Defaults to 0.9.
        beta_2: decay of the second moment. Defaults to 0.999.
        epsilon: added to the root of the second moment. Defaults to 1e-7.
        amsgrad: use the AMSGrad variant.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> optimizer = Adam(learning_rate=3e-4)
    """

    _hyperparameters = ("beta_1", "beta_2", "epsilon", "amsgrad")

    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 amsgrad: bool = False, name: str = "adam", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat") if self.amsgrad else []

    def multi_update_step(self, grads, variables, learning_rate) -> None:
        step = self._local_step()
        alpha = learning_rate * ops.sqrt(1 - ops.power(self.beta_2, step)) / (1 - ops.power(self.beta_1, step))
        momentums = self._state_of(self._momentums, variables)
        velocities = self._state_of(self._velocities, variables)
        fused.lerp_(momentums, grads, 1 - self.beta_1)
        fused.mul_(velocities, self.beta_2)
        fused.addcmul_(velocities, grads, grads, 1 - self.beta_2)
        if self.amsgrad:
            velocity_hats = self._state_of(self._velocity_hats, variables)
            fused.maximum_(velocity_hats, velocities)
            velocities = velocity_hats
        fused.addcdiv_(variables, momentums, fused.add(fused.sqrt(velocities), self.epsilon), -alpha)
