"""Adafactor: Adam-like steps with factored (row and column) second moments, for large matrices."""

from __future__ import annotations

from lamina import ops
from lamina.optimizers.optimizer import Optimizer


def _rms(x):
    return ops.sqrt(ops.mean(ops.square(x)))


class Adafactor(Optimizer):
    """Shazeer & Stern's Adafactor. A variable of rank >= 2 keeps, instead of a full second moment, its row
    means ``r`` (last axis reduced) and column means ``c`` (second-last axis reduced), whose outer product
    estimates it. Updates are clipped by their RMS and scaled by the variable's RMS.

    Args:
        learning_rate: float, schedule or callable. Defaults to 0.001.
        beta_2_decay: the second-moment decay is ``1 - t**beta_2_decay``. Defaults to -0.8.
        epsilon_1: added to the squared gradients. Defaults to 1e-30.
        epsilon_2: floor of the variable RMS used to scale the step. Defaults to 1e-3.
        clip_threshold: the update's RMS is clipped to this. Defaults to 1.0.
        relative_step: with a float learning rate, cap it at ``1 / sqrt(t)``. Defaults to True.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> optimizer = Adafactor(learning_rate=0.01)
    """

    _hyperparameters = ("beta_2_decay", "epsilon_1", "epsilon_2", "clip_threshold", "relative_step")

    def __init__(self, learning_rate=0.001, beta_2_decay: float = -0.8, epsilon_1: float = 1e-30,
                 epsilon_2: float = 1e-3, clip_threshold: float = 1.0, relative_step: bool = True,
                 name: str = "adafactor", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._r, self._c, self._v = [], [], []
        for variable in variables:
            shape = tuple(variable.shape)
            if len(shape) < 2:  # not factored: scalar placeholders keep the state layout regular
                self._r.append(self.add_variable((), dtype="int32", name=variable.name))
                self._c.append(self.add_variable((), dtype="int32", name=variable.name))
            else:
                self._r.append(self.add_variable(shape[:-1], dtype=variable.dtype, name=variable.name))
                self._c.append(self.add_variable(shape[:-2] + shape[-1:], dtype=variable.dtype, name=variable.name))
            self._v.append(self.add_variable_from_reference(variable, "velocity"))

    def multi_update_step(self, grads, variables, learning_rate) -> None:
        # Factored moments need per-variable reductions, so this optimizer updates one variable at a time.
        step = self._local_step()
        rho = ops.minimum(learning_rate, 1 / ops.sqrt(step))
        beta = 1 - ops.power(step, self.beta_2_decay)
        for grad, variable in zip(grads, variables):
            i = self._index[id(variable)]
            r, c, v = self._r[i], self._c[i], self._v[i]
            alpha = ops.maximum(self.epsilon_2, _rms(variable)) * rho
            squares = ops.square(grad) + self.epsilon_1
            if len(variable.shape) >= 2:
                r.assign(beta * r.value + (1 - beta) * ops.mean(squares, axis=-1))
                c.assign(beta * c.value + (1 - beta) * ops.mean(squares, axis=-2))
                row_share = r.value / ops.mean(r.value, axis=-1, keepdims=True)
                v.assign(ops.expand_dims(row_share, -1) * ops.expand_dims(c.value, -2))
            else:
                v.assign(beta * v.value + (1 - beta) * squares)
            update = grad / ops.sqrt(v.value)
            update = update / ops.maximum(1.0, _rms(update) / self.clip_threshold)
            variable.assign(variable.value - alpha * update)
