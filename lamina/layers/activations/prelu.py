"""PReLU: a leaky ReLU whose negative slopes are learned."""

from __future__ import annotations

from lamina import constraints, initializers, ops, regularizers
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class PReLU(Layer):
    """``x`` for ``x >= 0``, ``alpha * x`` otherwise, with ``alpha`` a weight of the input's shape (without
    the batch axis) that is learned.

    Args:
        alpha_initializer: the initializer of ``alpha`` (zeros by default: the layer starts as a ReLU).
        alpha_regularizer: a regularizer of ``alpha``.
        alpha_constraint: a constraint on ``alpha``.
        shared_axes: the axes (1-based, as the input's) along which ``alpha`` is shared: e.g. ``[1, 2]``
            learns one slope per channel of ``(batch, height, width, channels)`` images.

    Input shape: any, with known sizes on the axes not shared. Output shape: the same as the input.

    Example:
        >>> layer = PReLU(alpha_initializer="ones", shared_axes=[1])
        >>> ops.convert_to_numpy(layer(np.array([[-2.0, 3.0]]))).tolist()
        [[-2.0, 3.0]]
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is not None:
            shared_axes = list(shared_axes) if isinstance(shared_axes, (tuple, list)) else [shared_axes]
            if not all(isinstance(a, int) and not isinstance(a, bool) and a >= 1 for a in shared_axes):
                raise ValueError(
                    "Invalid value for argument `shared_axes` of PReLU. Expected None, or axes >= 1 (the batch "
                    f"axis 0 cannot be shared). Received: shared_axes={shared_axes!r}"
                )
        self.shared_axes = shared_axes
        self.supports_masking = True

    def build(self, input_shape):
        shared = set(self.shared_axes or ())
        if shared and max(shared) >= len(input_shape):
            raise ValueError(
                f"PReLU: `shared_axes` {self.shared_axes} name axes beyond the input's rank {len(input_shape)}. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        shape = [1 if axis in shared else input_shape[axis] for axis in range(1, len(input_shape))]
        if None in shape:
            raise ValueError(
                "PReLU needs known sizes on the axes that are not in `shared_axes`. "
                f"Received: input_shape={tuple(input_shape)}, shared_axes={self.shared_axes}"
            )
        self.alpha = self.add_weight(shape=shape, initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer, constraint=self.alpha_constraint,
                                     name="alpha")
        axes = {axis: input_shape[axis] for axis in range(1, len(input_shape)) if axis not in shared}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)

    def call(self, inputs):
        return ops.relu(inputs) + self.alpha * ops.minimum(inputs, 0.0)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
