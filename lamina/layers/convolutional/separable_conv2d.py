"""SeparableConv2D: depthwise then pointwise convolution over 2 spatial dimensions."""

from __future__ import annotations

from lamina.layers.convolutional.base_depthwise_conv import BaseSeparableConv


class SeparableConv2D(BaseSeparableConv):
    """2D depthwise separable convolution: fewer weights than a full convolution for the same window;
    arguments as ``BaseSeparableConv``.

    Example:
        >>> layer = SeparableConv2D(8, 3)
        >>> tuple(layer(np.ones((4, 7, 7, 3), "float32")).shape)
        (4, 5, 5, 8)
    """

    rank = 2
