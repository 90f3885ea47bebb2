"""Keras 1's ``SReLU`` (S-shaped ReLU; Keras 3 has none): identity between two learned thresholds, learned
slopes outside them."""

from __future__ import annotations

from lamina import initializers, layers, ops
from lamina.legacy.initializations import modern_initializer
from lamina.legacy.layers.translated import legacy_layer
from lamina.serialization.keras1_arguments import INITIALIZERS


class _SReLU(layers.Layer):
    """``t_l + a_l (x - t_l)`` below ``t_l``, ``x`` between, ``t_r + a_r (x - t_r)`` above ``t_r = t_l + |t_right|``;
    one parameter per feature, shared along ``shared_axes``. Weights in Keras 1's order ``[t_left, a_left,
    t_right, a_right]`` and Keras 1's initializers."""

    _PARAMETERS = ("t_left", "a_left", "t_right", "a_right")

    def __init__(self, t_left_init="zero", a_left_init="glorot_uniform", t_right_init="glorot_uniform",
                 a_right_init="one", shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.inits = (t_left_init, a_left_init, t_right_init, a_right_init)
        self.shared_axes = [shared_axes] if isinstance(shared_axes, int) else list(shared_axes or [])

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for axis in self.shared_axes:
            shape[axis - 1] = 1
        for name, init in zip(self._PARAMETERS, self.inits):
            init = INITIALIZERS.get(init, init) if isinstance(init, str) else modern_initializer(init)
            setattr(self, name, self.add_weight(tuple(shape), initializers.get(init), name=name))

    def call(self, x):
        t_left, a_left, a_right = self.t_left, self.a_left, self.a_right
        t_right = t_left + ops.abs(self.t_right)
        below = ops.minimum(x - t_left, 0.0)
        above = ops.maximum(x - t_right, 0.0)
        return ops.minimum(ops.maximum(x, t_left), t_right) + a_left * below + a_right * above

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), **dict(zip(("t_left_init", "a_left_init", "t_right_init", "a_right_init"),
                                                   self.inits)), "shared_axes": self.shared_axes}


SReLU = legacy_layer("SReLU", _SReLU, __name__)
