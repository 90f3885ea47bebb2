"""Conv3DTranspose: transposed convolution over 3 spatial dimensions (upsampling volumes)."""

from __future__ import annotations

from lamina.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution (sometimes called deconvolution); arguments as ``BaseConvTranspose``.

    Example:
        >>> layer = Conv3DTranspose(8, 2, strides=2, padding="same")
        >>> tuple(layer(np.ones((2, 3, 3, 3, 3), "float32")).shape)
        (2, 6, 6, 6, 8)
    """

    rank = 3
