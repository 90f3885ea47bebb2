"""Conv1D: convolution over one spatial dimension (sequences), with Keras's "causal" padding."""

from __future__ import annotations

from lamina import ops
from lamina.layers.convolutional.base_conv import BaseConv


class Conv1D(BaseConv):
    """1D convolution (temporal convolution) over inputs ``(batch, steps, channels)`` (channels_last).

    Takes the arguments of ``BaseConv``; ``padding`` may also be "causal": the input is padded with
    ``dilation_rate * (kernel_size - 1)`` zeros at the start only, so output step ``t`` depends on inputs
    up to ``t`` (for autoregressive models such as WaveNet).

    Example:
        >>> layer = Conv1D(32, 10, activation="relu")
        >>> tuple(layer(np.ones((4, 400, 16), "float32")).shape)
        (4, 391, 32)
    """

    rank = 1
    paddings = ("valid", "same", "causal")

    def _convolve(self, inputs, kernel, bias=None, relu=False):
        if self.padding != "causal":
            return super()._convolve(inputs, kernel, bias, relu)
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        widths = [(0, 0), (left, 0), (0, 0)] if self.data_format == "channels_last" else [(0, 0), (0, 0), (left, 0)]
        return ops.nn.biased_conv(ops.pad(inputs, widths), kernel, bias, strides=self.strides, padding="valid",
                                  data_format=self.data_format, dilation_rate=self.dilation_rate, relu=relu)
