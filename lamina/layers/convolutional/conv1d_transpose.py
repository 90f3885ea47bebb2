"""Conv1DTranspose: transposed convolution over 1 spatial dimension (upsampling sequences)."""

from __future__ import annotations

from lamina.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv1DTranspose(BaseConvTranspose):
    """1D transposed convolution (sometimes called deconvolution); arguments as ``BaseConvTranspose``.

    Example:
        >>> layer = Conv1DTranspose(8, 2, strides=2, padding="same")
        >>> tuple(layer(np.ones((4, 10, 3), "float32")).shape)
        (4, 20, 8)
    """

    rank = 1
