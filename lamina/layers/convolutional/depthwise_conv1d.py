"""DepthwiseConv1D: per-channel convolution over 1 spatial dimension."""

from __future__ import annotations

from lamina.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution: each input channel convolved with its own filters; arguments as
    ``BaseDepthwiseConv``.

    Example:
        >>> layer = DepthwiseConv1D(3, depth_multiplier=2)
        >>> tuple(layer(np.ones((4, 10, 3), "float32")).shape)
        (4, 8, 6)
    """

    rank = 1
