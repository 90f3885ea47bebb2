"""What every convolution layer shares, and the plain convolution (Conv1D/2D/3D) built on it.

``BaseConvolution`` holds the window geometry (kernel size, strides, padding, dilation, data format), the
bias and the activation. Each family declares its weight roles (``weight_options``, whose initializer,
regularizer and constraint arguments it stores), says how it convolves (``_convolve``) and which weights it
creates; the
output shape comes from running ``_convolve`` on symbolic tensors, so it always agrees with ``call``.
"""

from __future__ import annotations

from lamina import activations, config, ops, regularizers
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.lora import LoRA, lora_weight
from lamina.layers.weight_options import WeightOptions


def standardize_tuple(value, n: int, name: str, layer: str, allow_zero: bool = False) -> tuple:
    """An int or a sequence of ``n`` ints (positive, or non-negative with ``allow_zero``) as an ``n``-tuple."""
    values = (value,) * n if isinstance(value, int) and not isinstance(value, bool) else value
    try:
        values = tuple(values)
    except TypeError:
        values = ()
    low = 0 if allow_zero else 1
    if len(values) != n or not all(isinstance(v, int) and not isinstance(v, bool) and v >= low for v in values):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(
            f"Invalid value for argument `{name}` of {layer}. Expected a {kind} int or a tuple of {n} {kind} "
            f"ints. Received: {name}={value!r}"
        )
    return values


def check_positive_int(value, name: str, layer: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"Invalid value for argument `{name}` of {layer}. Expected a positive integer. Received: {name}={value!r}"
        )
    return value


class BaseConvolution(Layer):
    """Shared base of the convolution layers of rank ``rank`` (set by each concrete class)."""

    rank: int = 0
    paddings = ("valid", "same")
    weight_options = WeightOptions("kernel", "bias")  # the family's weight roles

    def __init__(self, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation=None, use_bias=True, activity_regularizer=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        layer = type(self).__name__
        self.kernel_size = standardize_tuple(kernel_size, self.rank, "kernel_size", layer)
        self.strides = standardize_tuple(strides, self.rank, "strides", layer)
        self.dilation_rate = standardize_tuple(dilation_rate, self.rank, "dilation_rate", layer)
        self.padding = str(padding).lower()
        if self.padding not in self.paddings:
            raise ValueError(
                f"Invalid value for argument `padding` of {layer}. Expected one of {self.paddings}. "
                f"Received: padding={padding!r}"
            )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"Invalid arguments of {layer}: `strides > 1` is not supported together with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.data_format = config.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    # -- weights -----------------------------------------------------------------------------------
    def _add_role_weight(self, role: str, shape, name: str):
        return self.weight_options.add(self, role, shape, name)

    def _build_bias(self, size: int) -> None:
        self.bias = self._add_role_weight("bias", (size,), "bias") if self.use_bias else None

    # -- shapes ------------------------------------------------------------------------------------
    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def _input_channels(self, input_shape) -> int:
        """The channel count of ``input_shape``, checked: right rank, channels known."""
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Input of layer {type(self).__name__} '{self.name}' must have rank {self.rank + 2} "
                f"(batch, {self.rank} spatial dims, channels). Received input shape {input_shape}"
            )
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                f"The channel dimension of the inputs to {type(self).__name__} '{self.name}' should be defined "
                f"({self.data_format}). Received input shape {input_shape}"
            )
        return channels

    def _kernel_shapes(self, channels: int) -> tuple:
        """The shapes of the tensors ``_convolve`` takes besides the inputs, for ``channels`` input channels."""
        raise NotImplementedError

    def _convolve(self, inputs, *kernels):
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        channels = self._input_channels(input_shape)
        dtype = self.compute_dtype
        kernels = [SymbolicTensor(shape, dtype) for shape in self._kernel_shapes(channels)]
        try:
            return self._convolve(SymbolicTensor(tuple(input_shape), dtype), *kernels).shape
        except ValueError as error:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' cannot take inputs of shape {tuple(input_shape)}: {error}"
            ) from error

    def _check_build_shape(self, input_shape) -> int:
        """Validate ``input_shape`` (its output must be non-empty), fix the channels, return them."""
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})
        return channels

    # -- computation -------------------------------------------------------------------------------
    def _activate(self, outputs):
        """Apply the activation, if any."""
        return outputs if self.activation is None else self.activation(outputs)

    def _finish(self, outputs):
        """Add the bias (broadcast along the channel axis) and apply the activation."""
        if self.bias is not None:
            bias = self.bias
            if self.data_format == "channels_first":
                bias = ops.reshape(bias, (-1,) + (1,) * self.rank)
            outputs = ops.add(outputs, bias)
        return self._activate(outputs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            **self.weight_options.config(self),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
        })
        return config


class BaseConv(LoRA, BaseConvolution):
    """A convolution with ``filters`` output channels, optionally grouped (``groups`` independent convolutions
    over as many slices of the input channels).

    Args:
        filters: number of output channels.
        kernel_size: size of the convolution window, an int or one int per spatial dim.
        strides: step of the window; strides > 1 cannot be combined with dilation_rate > 1.
        padding: "valid" (no padding) or "same" (output size ``ceil(size / stride)``; an odd total pad puts
            the extra zero last); Conv1D also takes "causal" (zeros on the left only, so output ``t`` sees
            inputs ``<= t``).
        data_format: "channels_last" ``(batch, spatial..., channels)`` or "channels_first"
            ``(batch, channels, spatial...)``; defaults to ``lamina.config.image_data_format()``.
        dilation_rate: spacing between kernel taps (atrous convolution).
        groups: number of groups; input channels and ``filters`` must both be divisible by it.
        activation: activation applied to the output (None: linear).
        use_bias: whether to add a bias of shape ``(filters,)``.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as for Dense.
        lora_rank, lora_alpha: as for Dense (the factors are ``kernel.shape[:-1] + (rank,)`` and
            ``(rank, filters)``).

    Weights: ``kernel`` of shape ``kernel_size + (input_channels // groups, filters)``, then ``bias``.
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank: int | None = None, lora_alpha: float | None = None, **kwargs):
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                         activity_regularizer, **kwargs)
        layer = type(self).__name__
        self.filters = check_positive_int(filters, "filters", layer)
        self.groups = check_positive_int(groups, "groups", layer)
        if filters % groups:
            raise ValueError(
                f"Invalid value for argument `groups` of {layer}. Expected a divisor of filters={filters}. "
                f"Received: groups={groups}"
            )
        self.weight_options.store(self, locals())
        self._init_lora(lora_rank, lora_alpha)

    def _kernel_shapes(self, channels):
        if channels % self.groups:
            raise ValueError(
                f"The input channels of {type(self).__name__} '{self.name}' must be divisible by groups="
                f"{self.groups}. Received {channels} input channels."
            )
        return (self.kernel_size + (channels // self.groups, self.filters),)

    def build(self, input_shape):
        (kernel_shape,) = self._kernel_shapes(self._check_build_shape(input_shape))
        self._kernel = self._add_role_weight("kernel", kernel_shape, "kernel")
        self._build_bias(self.filters)
        self._build_lora()

    kernel = lora_weight("kernel")

    def _convolve(self, inputs, kernel, bias=None, relu=False):
        """The convolution, with ``bias`` added (and, with ``relu``, the ReLU applied) in the same engine call
        (one fused oneDNN kernel on torch's CPU)."""
        return ops.nn.biased_conv(inputs, kernel, bias, strides=self.strides, padding=self.padding,
                                  data_format=self.data_format, dilation_rate=self.dilation_rate, relu=relu)

    def call(self, inputs):
        if self.activation is activations.relu:  # the usual conv activation: fused into the convolution
            return self._convolve(inputs, self.kernel, self.bias, relu=True)
        return self._activate(self._convolve(inputs, self.kernel, self.bias))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"filters": self.filters, "groups": self.groups, **self._lora_config()})
        return config
