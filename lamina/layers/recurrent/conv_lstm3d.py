"""ConvLSTM3D: an LSTM whose input and recurrent transforms are 3D convolutions."""

from __future__ import annotations

from lamina.layers.recurrent.conv_lstm import ConvLSTM


class ConvLSTM3D(ConvLSTM):
    """A 3D convolutional LSTM over sequences of 3D feature maps; arguments as ``ConvLSTM``.

    Input shape: ``(batch, time, dim1, dim2, dim3, channels)`` (channels_last) or
    ``(batch, time, channels, dim1, dim2, dim3)`` (channels_first).

    Output shape: ``(batch, [time,] new_dim1, new_dim2, new_dim3, filters)`` (channels_last) or
    ``(batch, [time,] filters, new_dim1, new_dim2, new_dim3)`` (channels_first); then ``h`` and ``c`` (shaped like one
    output step) with ``return_state``.

    Example:
        >>> layer = ConvLSTM3D(4, 3, data_format="channels_last")
        >>> tuple(layer(np.ones((2, 5, 6, 6, 6, 3), "float32")).shape)
        (2, 4, 4, 4, 4)
    """

    rank = 3
