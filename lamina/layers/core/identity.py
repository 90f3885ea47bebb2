"""Identity: returns its inputs unchanged (a placeholder, e.g. where a block is optional)."""

from __future__ import annotations

from lamina.layers.layer import Layer


class Identity(Layer):
    """Returns its inputs unchanged, masks included; any structure of tensors is accepted.

    Example:
        >>> tuple(Identity()(np.ones((2, 3))).shape)
        (2, 3)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs):
        # The inputs are their own spec: shapes *and* dtypes (an int input stays int) pass through.
        return inputs
