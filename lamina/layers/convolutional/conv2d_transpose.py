"""Conv2DTranspose: transposed convolution over 2 spatial dimensions (upsampling images)."""

from __future__ import annotations

from lamina.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv2DTranspose(BaseConvTranspose):
    """2D transposed convolution (sometimes called deconvolution); arguments as ``BaseConvTranspose``.

    Example:
        >>> layer = Conv2DTranspose(8, 2, strides=2, padding="same")
        >>> tuple(layer(np.ones((4, 7, 7, 3), "float32")).shape)
        (4, 14, 14, 8)
    """

    rank = 2
