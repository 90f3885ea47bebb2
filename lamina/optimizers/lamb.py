"""Lamb: Adam's direction scaled per variable by a trust ratio, for large-batch training."""

from __future__ import annotations

from lamina import ops
from lamina.optimizers.optimizer import Optimizer, fused


class Lamb(Optimizer):
    """Layer-wise adaptive moments (You et al., 2019). With Adam's moments ``m`` and ``v``, each variable
    takes the bias-corrected step ``u = (m / (1 - b1**t)) / (sqrt(v / (1 - b2**t)) + epsilon)`` scaled by its
    trust ratio ``||w|| / ||u||`` (1 when either norm is 0): ``w -= lr * ratio * u``. The ratio gives every
    variable a step proportional to its own size, whatever the size of its gradients.

    Args:
        learning_rate: float, schedule or callable. Defaults to 0.001.
        beta_1: decay of the first moment. Defaults to 0.9.
        beta_2: decay of the second moment. Defaults to 0.999.
        epsilon: added to the root of the corrected second moment. Defaults to 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> optimizer = Lamb(learning_rate=1e-3)
    """

    _hyperparameters = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 name: str = "lamb", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])

    def multi_update_step(self, grads, variables, learning_rate) -> None:
        step = self._local_step()
        momentums = self._state_of(self._momentums, variables)
        velocities = self._state_of(self._velocities, variables)
        fused.lerp_(momentums, grads, 1 - self.beta_1)
        fused.lerp_(velocities, fused.mul(grads, grads), 1 - self.beta_2)
        corrected_m = fused.div(momentums, 1 - ops.power(self.beta_1, step))
        root_v = fused.add(fused.sqrt(fused.div(velocities, 1 - ops.power(self.beta_2, step))), self.epsilon)
        updates = fused.div(corrected_m, root_v)
        w_norms, u_norms = ops.stack(fused.norms(variables)), ops.stack(fused.norms(updates))
        ratios = ops.where(ops.logical_and(w_norms > 0, u_norms > 0), w_norms / u_norms, 1.0)
        fused.add_(variables, fused.mul(updates, ops.unstack(ratios)), -learning_rate)
