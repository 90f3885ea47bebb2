"""DepthwiseConv2D: per-channel convolution over 2 spatial dimensions."""

from __future__ import annotations

from lamina.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution: each input channel convolved with its own filters; arguments as
    ``BaseDepthwiseConv``.

    Example:
        >>> layer = DepthwiseConv2D(3, depth_multiplier=2)
        >>> tuple(layer(np.ones((4, 7, 7, 3), "float32")).shape)
        (4, 5, 5, 6)
    """

    rank = 2
