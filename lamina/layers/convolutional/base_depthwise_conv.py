"""Depthwise and separable convolutions: the shared bases.

A depthwise convolution convolves each input channel with its own ``depth_multiplier`` filters (no mixing
across channels); a separable convolution follows it with a pointwise (1x1) convolution that mixes them.
Both keep the depthwise kernel as ``kernel_size + (input_channels, depth_multiplier)``, as Keras does.
"""

from __future__ import annotations

from lamina import ops
from lamina.layers.convolutional.base_conv import BaseConvolution, check_positive_int
from lamina.layers.weight_options import WeightOptions


class BaseDepthwiseConv(BaseConvolution):
    """A depthwise convolution: ``input_channels * depth_multiplier`` output channels.

    Args:
        kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias: as for ``BaseConv``.
        depth_multiplier: filters per input channel.
        depthwise_initializer, bias_initializer, depthwise_regularizer, bias_regularizer, activity_regularizer,
        depthwise_constraint, bias_constraint: for the depthwise kernel and the bias.

    Weights: ``kernel`` of shape ``kernel_size + (input_channels, depth_multiplier)`` (Keras's name), then
    ``bias`` of shape ``(input_channels * depth_multiplier,)``.
    """

    weight_options = WeightOptions("depthwise", "bias")

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                         activity_regularizer, **kwargs)
        self.depth_multiplier = check_positive_int(depth_multiplier, "depth_multiplier", type(self).__name__)
        self.weight_options.store(self, locals())

    def _kernel_shapes(self, channels):
        return (self.kernel_size + (channels, self.depth_multiplier),)

    def build(self, input_shape):
        channels = self._check_build_shape(input_shape)
        (kernel_shape,) = self._kernel_shapes(channels)
        self.kernel = self._add_role_weight("depthwise", kernel_shape, "kernel")
        self._build_bias(channels * self.depth_multiplier)

    def _convolve(self, inputs, kernel):
        return ops.depthwise_conv(inputs, kernel, strides=self.strides, padding=self.padding,
                                  data_format=self.data_format, dilation_rate=self.dilation_rate)

    def call(self, inputs):
        return self._finish(self._convolve(inputs, self.kernel))

    def get_config(self) -> dict:
        config = super().get_config()
        config["depth_multiplier"] = self.depth_multiplier
        return config


class BaseSeparableConv(BaseConvolution):
    """A depthwise convolution followed by a pointwise convolution to ``filters`` channels.

    Args:
        filters: number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier, activation, use_bias:
            as for ``BaseDepthwiseConv``.
        depthwise_initializer, pointwise_initializer, bias_initializer, depthwise_regularizer,
        pointwise_regularizer, bias_regularizer, activity_regularizer, depthwise_constraint,
        pointwise_constraint, bias_constraint: for each weight.

    Weights: ``depthwise_kernel`` ``kernel_size + (input_channels, depth_multiplier)``, ``pointwise_kernel``
    ``(1,) * rank + (input_channels * depth_multiplier, filters)``, then ``bias`` ``(filters,)``.
    """

    weight_options = WeightOptions("depthwise", "pointwise", "bias")

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                         activity_regularizer, **kwargs)
        layer = type(self).__name__
        self.filters = check_positive_int(filters, "filters", layer)
        self.depth_multiplier = check_positive_int(depth_multiplier, "depth_multiplier", layer)
        self.weight_options.store(self, locals())

    def _kernel_shapes(self, channels):
        return (self.kernel_size + (channels, self.depth_multiplier),
                (1,) * self.rank + (channels * self.depth_multiplier, self.filters))

    def build(self, input_shape):
        depthwise_shape, pointwise_shape = self._kernel_shapes(self._check_build_shape(input_shape))
        self.depthwise_kernel = self._add_role_weight("depthwise", depthwise_shape, "depthwise_kernel")
        self.pointwise_kernel = self._add_role_weight("pointwise", pointwise_shape, "pointwise_kernel")
        self._build_bias(self.filters)

    def _convolve(self, inputs, depthwise_kernel, pointwise_kernel):
        return ops.separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=self.strides,
                                  padding=self.padding, data_format=self.data_format,
                                  dilation_rate=self.dilation_rate)

    def call(self, inputs):
        return self._finish(self._convolve(inputs, self.depthwise_kernel, self.pointwise_kernel))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"filters": self.filters, "depth_multiplier": self.depth_multiplier})
        return config
