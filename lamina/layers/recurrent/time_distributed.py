"""TimeDistributed: applies one layer, with one set of weights, to every temporal slice of its input."""

from __future__ import annotations

from lamina import ops, tree
from lamina.layers.core.wrapper import Wrapper
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.shapes import map_shapes


class TimeDistributed(Wrapper):
    """Applies ``layer`` to every slice ``inputs[:, t]`` of a ``(batch, time, ...)`` input.

    The time axis is folded into the batch axis, ``layer`` runs once on ``(batch * time, ...)``, and the
    result is unfolded to ``(batch, time, ...)``: one call of the inner layer, whatever the number of
    timesteps, and the same weights at every timestep.

    Args:
        layer: the layer to apply to each timestep.

    Call arguments:
        inputs: a tensor of shape ``(batch, time, ...)``, at least 3D.
        training: passed on to ``layer`` when its ``call`` takes it.
        mask: a ``(batch, time)`` mask passes through to the output. A mask with more axes
            (``(batch, time, ...)``) also reaches ``layer``, folded like the inputs, when ``layer`` takes one.

    Example:
        >>> layer = TimeDistributed(Dense(8))
        >>> tuple(layer(np.ones((2, 10, 4))).shape)
        (2, 10, 8)
    """

    def __init__(self, layer: Layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)

    def _wrapped_shape(self, input_shape) -> tuple:
        """The shape ``layer`` sees for one timestep: the input shape without its time axis."""
        if len(input_shape) < 3:
            raise ValueError(
                f"Layer TimeDistributed '{self.name}' expects inputs of shape (batch, time, ...) with at least "
                f"3 dimensions. Received: input_shape={tuple(input_shape)}"
            )
        return (input_shape[0], *input_shape[2:])

    def call(self, inputs, training=None, mask=None):
        batch, steps = ops.shape(inputs)[:2]
        if mask is not None and tuple(ops.shape(mask)[:2]) != (batch, steps):
            raise ValueError(
                f"Layer TimeDistributed '{self.name}' expects a mask of shape ({batch}, {steps}, ...). "
                f"Received: mask.shape={tuple(ops.shape(mask))}"
            )
        kwargs = {}
        if self.layer._call_has_training:
            kwargs["training"] = training
        if mask is not None and len(ops.shape(mask)) > 2 and self.layer._call_has_mask:
            kwargs["mask"] = _fold(mask)
        outputs = self.layer(_fold(inputs), **kwargs)
        return tree.map_structure(lambda y: ops.reshape(y, (-1, steps, *ops.shape(y)[1:])), outputs)

    def compute_output_shape(self, input_shape):
        inner = self.layer.compute_output_shape(self._wrapped_shape(input_shape))
        return map_shapes(lambda s: (s[0], input_shape[1], *s[1:]), inner)


def _fold(x):
    """``(batch, time, ...)`` -> ``(batch * time, ...)``."""
    return ops.reshape(x, (-1, *ops.shape(x)[2:]))
