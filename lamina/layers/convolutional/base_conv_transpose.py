"""Transposed convolutions (Conv1DTranspose/2DTranspose/3DTranspose): the shared base."""

from __future__ import annotations

from lamina import ops
from lamina.layers.convolutional.base_conv import (
    BaseConvolution,
    check_positive_int,
    standardize_tuple,
)


class BaseConvTranspose(BaseConvolution):
    """A transposed convolution (the gradient of a convolution with respect to its input), used to upsample.

    Args:
        filters: number of output channels.
        kernel_size, strides, data_format, dilation_rate, activation, use_bias: as for ``BaseConv``.
        padding: "valid" or "same". With ``output_padding=None`` the output has ``size * stride`` cells for
            "same" and ``size * stride + max(window - stride, 0)`` for "valid".
        output_padding: None, or the extra cells (one int, or one per spatial dim, each below its stride)
            added to the output: ``(size - 1) * stride + window - 2 * pad + output_padding``, with
            ``pad = window // 2`` for "same" and 0 for "valid".
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as for Dense.

    Weights: ``kernel`` of shape ``kernel_size + (filters, input_channels)``, then ``bias`` ``(filters,)``.
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                         activity_regularizer, **kwargs)
        layer = type(self).__name__
        self.filters = check_positive_int(filters, "filters", layer)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = standardize_tuple(output_padding, self.rank, "output_padding", layer,
                                                    allow_zero=True)
            if any(extra >= stride for extra, stride in zip(self.output_padding, self.strides)):
                raise ValueError(
                    f"Invalid value for argument `output_padding` of {layer}. Expected values smaller than the "
                    f"strides {self.strides}. Received: output_padding={output_padding!r}"
                )
        self.weight_options.store(self, locals())

    def _kernel_shapes(self, channels):
        return (self.kernel_size + (self.filters, channels),)

    def build(self, input_shape):
        (kernel_shape,) = self._kernel_shapes(self._check_build_shape(input_shape))
        self.kernel = self._add_role_weight("kernel", kernel_shape, "kernel")
        self._build_bias(self.filters)

    def _convolve(self, inputs, kernel, bias=None):
        """The transposed convolution, with ``bias`` added in the same engine call (as ``BaseConv``)."""
        return ops.nn.biased_conv_transpose(inputs, kernel, bias, strides=self.strides, padding=self.padding,
                                            output_padding=self.output_padding, data_format=self.data_format,
                                            dilation_rate=self.dilation_rate)

    def call(self, inputs):
        return self._activate(self._convolve(inputs, self.kernel, self.bias))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"filters": self.filters, "output_padding": self.output_padding})
        return config
