"""Recurrent layers: SimpleRNN, LSTM, GRU, their cells, RNN, Bidirectional, TimeDistributed, ConvLSTM."""

__all__ = []
