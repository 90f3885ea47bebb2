"""ConvLSTM2D: an LSTM whose input and recurrent transforms are 2D convolutions."""

from __future__ import annotations

from lamina.layers.recurrent.conv_lstm import ConvLSTM


class ConvLSTM2D(ConvLSTM):
    """A 2D convolutional LSTM over sequences of 2D feature maps; arguments as ``ConvLSTM``.

    Input shape: ``(batch, time, rows, cols, channels)`` (channels_last) or
    ``(batch, time, channels, rows, cols)`` (channels_first).

    Output shape: ``(batch, [time,] new_rows, new_cols, filters)`` (channels_last) or
    ``(batch, [time,] filters, new_rows, new_cols)`` (channels_first); then ``h`` and ``c`` (shaped like one
    output step) with ``return_state``.

    Example:
        >>> layer = ConvLSTM2D(4, 3, data_format="channels_last")
        >>> tuple(layer(np.ones((2, 5, 8, 8, 3), "float32")).shape)
        (2, 6, 6, 4)
    """

    rank = 2
