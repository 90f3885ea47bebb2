"""GroupNormalization: normalizes each example over groups of channels (and all other non-batch axes)."""

from __future__ import annotations

from lamina import ops
from lamina.layers.input_spec import InputSpec
from lamina.layers.normalization.base_normalization import (
    AffineNormalization,
    check_axis,
    resolve_axes,
)


class GroupNormalization(AffineNormalization):
    """Splits the channels (``axis``) into ``groups`` and normalizes each example within each group, over
    the group's channels and every other non-batch axis; then applies a per-channel ``gamma`` and ``beta``.
    ``groups=1`` is layer normalization over all features, ``groups=channels`` instance normalization.

    Args:
        groups: the number of groups; must divide the number of channels.
        axis: the channel axis (``-1`` for channels_last, ``1`` for channels_first).
        epsilon: added to the variance before the square root.
        center, scale, beta_*, gamma_*: the learned offset and scale (see ``AffineNormalization``).

    Example:
        >>> tuple(GroupNormalization(groups=2)(np.random.rand(2, 5, 4)).shape)
        (2, 5, 4)
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(center=center, scale=scale, beta_initializer=beta_initializer,
                         gamma_initializer=gamma_initializer, beta_regularizer=beta_regularizer,
                         gamma_regularizer=gamma_regularizer, beta_constraint=beta_constraint,
                         gamma_constraint=gamma_constraint, **kwargs)
        if isinstance(groups, bool) or not isinstance(groups, int) or groups <= 0:
            raise ValueError("Invalid value for argument `groups` of GroupNormalization. Expected a positive "
                             f"integer. Received: groups={groups!r}")
        self.groups = groups
        self.axis = check_axis(axis, "GroupNormalization", allow_list=False)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        self._axis = resolve_axes(self.axis, input_shape, self)[0]
        channels = input_shape[self._axis]
        if self._axis == 0 or channels < self.groups or channels % self.groups:
            problem = ("the channel axis cannot be the batch axis" if self._axis == 0 else
                       f"the number of groups ({self.groups}) must divide the number of channels ({channels})")
            raise ValueError(f"Layer '{self.name}' (GroupNormalization): {problem}. Received input shape: "
                             f"{tuple(input_shape)}")
        if self.scale:
            self._add_gamma((channels,))
        if self.center:
            self._add_beta((channels,))
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self._axis: channels})

    def call(self, inputs):
        dtype = ops.dtype(inputs)
        x = ops.cast(inputs, "float32") if dtype in ("float16", "bfloat16") else inputs
        shape = tuple(ops.shape(x))
        axis, channels = self._axis, shape[self._axis]
        grouped = ops.reshape(x, shape[:axis] + (self.groups, channels // self.groups) + shape[axis + 1:])
        reduced = [a for a in range(1, len(shape) + 1) if a != axis]
        mean, variance = ops.moments(grouped, reduced, keepdims=True)
        normalized = ops.reshape((grouped - mean) * ops.rsqrt(variance + self.epsilon), shape)
        broadcast = [channels if a == axis else 1 for a in range(len(shape))]
        if self.gamma is not None:
            normalized = normalized * ops.reshape(self.gamma, broadcast)
        if self.beta is not None:
            normalized = normalized + ops.reshape(self.beta, broadcast)
        return ops.cast(normalized, dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"groups": self.groups, "axis": self.axis, "epsilon": self.epsilon})
        return config
