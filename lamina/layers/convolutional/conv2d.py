"""Conv2D: convolution over two spatial dimensions (images)."""

from __future__ import annotations

from lamina.layers.convolutional.base_conv import BaseConv


class Conv2D(BaseConv):
    """2D convolution over images ``(batch, height, width, channels)`` (channels_last); arguments as ``BaseConv``.

    Example:
        >>> layer = Conv2D(32, (3, 3), activation="relu")
        >>> tuple(layer(np.ones((4, 28, 28, 1), "float32")).shape)
        (4, 26, 26, 32)
    """

    rank = 2
