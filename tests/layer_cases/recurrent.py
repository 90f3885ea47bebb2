import numpy as np

from lamina import layers
from layer_cases import F, floats


def _cell_inputs(*state_sizes):
    """A cell's call arguments: one timestep's inputs and its list of states."""
    return floats(2, 4), [np.full((2, size), 0.1, F) for size in state_sizes]


CASES = {
    "RNN": (dict(cell=layers.SimpleRNNCell(3), return_sequences=True, go_backwards=True), lambda: floats(2, 5, 4)),
    "SimpleRNN": (dict(units=3, dropout=0.2, recurrent_initializer="glorot_uniform"), lambda: floats(2, 5, 4)),
    "LSTM": (dict(units=3, return_sequences=True, unit_forget_bias=False, kernel_regularizer="l2"),
             lambda: floats(2, 5, 4)),
    "GRU": (dict(units=3, reset_after=False, go_backwards=True), lambda: floats(2, 5, 4)),
    "StackedRNNCells": (dict(cells=[layers.LSTMCell(3), layers.GRUCell(2)]),
                        lambda: (floats(2, 4), [_cell_inputs(3, 3)[1], _cell_inputs(2)[1]])),
    "SimpleRNNCell": (dict(units=3), lambda: _cell_inputs(3)),
    "LSTMCell": (dict(units=3, recurrent_activation="hard_sigmoid"), lambda: _cell_inputs(3, 3)),
    "GRUCell": (dict(units=3, reset_after=True), lambda: _cell_inputs(3)),
    "TimeDistributed": (dict(layer=layers.Dense(3, activation="tanh")), lambda: floats(2, 3, 4)),
    "Bidirectional": (dict(layer=layers.LSTM(3, return_sequences=True), merge_mode="ave"),
                      lambda: floats(2, 4, 3)),
    "ConvLSTM1D": (dict(filters=2, kernel_size=2, padding="same", data_format="channels_last",
                        return_sequences=True), lambda: floats(2, 3, 5, 3)),
    "ConvLSTM2D": (dict(filters=2, kernel_size=(2, 3), strides=(1, 2), data_format="channels_first"),
                   lambda: floats(2, 3, 2, 4, 5)),
    "ConvLSTM3D": (dict(filters=2, kernel_size=2, dilation_rate=(1, 2, 1), data_format="channels_last"),
                   lambda: floats(2, 2, 3, 4, 3, 1)),
}
