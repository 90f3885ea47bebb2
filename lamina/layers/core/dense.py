"""Dense: the densely connected layer, ``output = activation(inputs @ kernel + bias)``."""

from __future__ import annotations

from lamina import activations, ops, regularizers
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.lora import LoRA, lora_weight
from lamina.layers.weight_options import WeightOptions

_WEIGHTS = WeightOptions("kernel", "bias")


class Dense(LoRA, Layer):
    """A fully connected layer applied on the last axis of its input.

    Args:
        units: dimensionality of the output.
        activation: activation function (name or callable); None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the kernel ``(input_dim, units)`` and bias.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints applied after optimizer updates.
        lora_rank: if set, the layer starts with LoRA enabled at this rank (see ``enable_lora``).
        lora_alpha: the LoRA update is scaled by ``lora_alpha / lora_rank`` (default ``lora_rank``).

    Input shape: ``(batch_size, ..., input_dim)``. Output shape: ``(batch_size, ..., units)``.

    Example:
        >>> layer = Dense(4, activation="relu")
        >>> tuple(layer(np.ones((2, 3))).shape)
        (2, 4)
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank: int | None = None, lora_alpha: float | None = None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"Invalid value for argument `units` of Dense. Expected a positive integer. Received: units={units}"
            )
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        _WEIGHTS.store(self, locals())
        self._init_lora(lora_rank, lora_alpha)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"The last dimension of the inputs to Dense layer '{self.name}' should be defined. Found None. "
                f"Full input shape received: {tuple(input_shape)}"
            )
        self._kernel = _WEIGHTS.add(self, "kernel", (input_dim, self.units))
        self.bias = _WEIGHTS.add(self, "bias", (self.units,)) if self.use_bias else None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self._build_lora()

    kernel = lora_weight("kernel")

    def call(self, inputs):
        outputs = ops.nn.biased_matmul(inputs, self.kernel, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            **_WEIGHTS.config(self),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            **self._lora_config(),
        })
        return config
