"""Nadam: Adam with Nesterov momentum."""

from __future__ import annotations

from lamina import ops
from lamina.optimizers.optimizer import Optimizer, fused


class Nadam(Optimizer):
    """Adam whose step looks ahead along the momentum, with Dozat's momentum schedule
    ``u_t = b1 * (1 - 0.5 * 0.96**t)`` and its running product.

    Args:
        learning_rate: float, schedule or callable. Defaults to 0.001.
        beta_1: decay of the first moment. Defaults to 0.9.
        beta_2: decay of the second moment. Defaults to 0.999.
        epsilon: added to the root of the second moment. Defaults to 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> optimizer = Nadam(learning_rate=0.002)
    """

    _hyperparameters = ("beta_1", "beta_2", "epsilon")
    _momentum_decay = 0.96  # the base of Dozat's schedule (Keras 1/2 raised it to ``schedule_decay``)

    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 name: str = "nadam", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        dtype = variables[0].dtype if variables else None
        self._u_product = self.add_variable((), "ones", dtype=dtype, name="u_product")

    def multi_update_step(self, grads, variables, learning_rate) -> None:
        step = self._local_step(self._u_product.dtype)
        u_t = self.beta_1 * (1.0 - 0.5 * ops.power(self._momentum_decay, step))
        u_next = self.beta_1 * (1.0 - 0.5 * ops.power(self._momentum_decay, step + 1))
        self._u_product.assign(ops.multiply(self._u_product, u_t))
        u_product = self._u_product.value
        momentums = self._state_of(self._momentums, variables)
        velocities = self._state_of(self._velocities, variables)
        fused.lerp_(momentums, grads, 1 - self.beta_1)
        fused.mul_(velocities, self.beta_2)
        fused.addcmul_(velocities, grads, grads, 1 - self.beta_2)
        # m_hat = u_next * m / (1 - prod u up to t+1) + (1 - u_t) * g / (1 - prod u up to t)
        m_hat = fused.add(fused.mul(momentums, u_next / (1 - u_product * u_next)), grads,
                          alpha=(1 - u_t) / (1 - u_product))
        v_hat = fused.mul(velocities, 1 / (1 - ops.power(self.beta_2, step)))
        fused.addcdiv_(variables, m_hat, fused.add(fused.sqrt(v_hat), self.epsilon), -learning_rate)
