"""SeparableConv1D: depthwise then pointwise convolution over 1 spatial dimension."""

from __future__ import annotations

from lamina.layers.convolutional.base_depthwise_conv import BaseSeparableConv


class SeparableConv1D(BaseSeparableConv):
    """1D depthwise separable convolution: fewer weights than a full convolution for the same window;
    arguments as ``BaseSeparableConv``.

    Example:
        >>> layer = SeparableConv1D(8, 3)
        >>> tuple(layer(np.ones((4, 10, 3), "float32")).shape)
        (4, 8, 8)
    """

    rank = 1
