"""ConvLSTM1D: an LSTM whose input and recurrent transforms are 1D convolutions."""

from __future__ import annotations

from lamina.layers.recurrent.conv_lstm import ConvLSTM


class ConvLSTM1D(ConvLSTM):
    """A 1D convolutional LSTM over sequences of 1D feature maps; arguments as ``ConvLSTM``.

    Input shape: ``(batch, time, steps, channels)`` (channels_last) or
    ``(batch, time, channels, steps)`` (channels_first).

    Output shape: ``(batch, [time,] new_steps, filters)`` (channels_last) or
    ``(batch, [time,] filters, new_steps)`` (channels_first); then ``h`` and ``c`` (shaped like one
    output step) with ``return_state``.

    Example:
        >>> layer = ConvLSTM1D(4, 3, data_format="channels_last")
        >>> tuple(layer(np.ones((2, 5, 8, 3), "float32")).shape)
        (2, 6, 4)
    """

    rank = 1
