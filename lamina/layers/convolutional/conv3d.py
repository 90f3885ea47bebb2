"""Conv3D: convolution over three spatial dimensions (volumes, video)."""

from __future__ import annotations

from lamina.layers.convolutional.base_conv import BaseConv


class Conv3D(BaseConv):
    """3D convolution over volumes ``(batch, depth, height, width, channels)`` (channels_last); arguments as
    ``BaseConv``.

    Example:
        >>> layer = Conv3D(8, 3)
        >>> tuple(layer(np.ones((2, 6, 6, 6, 1), "float32")).shape)
        (2, 4, 4, 4, 8)
    """

    rank = 3
