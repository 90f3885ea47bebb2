"""SimpleRNN: the fully connected recurrent layer,
``h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)``."""

from __future__ import annotations

from lamina import ops
from lamina.layers.recurrent.base_rnn import RecurrentCell, RecurrentLayer


class SimpleRNNCell(RecurrentCell):
    """One step of SimpleRNN: its output is also its only state.

    Args:
        units: dimensionality of the output (and state).
        activation: activation function (default tanh; None means linear).
        use_bias: whether to add a bias vector.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers of ``kernel
            (input_dim, units)``, ``recurrent_kernel (units, units)`` (default orthogonal) and ``bias (units,)``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: regularizers of those weights.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints of those weights.
        dropout: fraction of the inputs dropped (one mask per sequence) during training.
        recurrent_dropout: fraction of the previous output dropped during training.
        seed: an int seed for the dropout masks.

    Call arguments:
        inputs: ``(batch, features)``; states: ``[h]`` with ``h`` ``(batch, units)``; training: a bool.

    Example:
        >>> rnn = RNN(SimpleRNNCell(4))
        >>> tuple(rnn(np.ones((2, 5, 3), "float32")).shape)
        (2, 4)
    """

    def build(self, input_shape):
        self._add_cell_weights(input_shape, gates=1, bias_shape=(self.units,))

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        inputs, h = self._dropped(inputs, states[0] if nested else states, training)
        outputs = ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        outputs = self.activation(ops.add(outputs, ops.matmul(h, self.recurrent_kernel)))
        return outputs, ([outputs] if nested else outputs)


class SimpleRNN(RecurrentLayer):
    """A fully connected RNN whose output is fed back as the next step's state.

    Args:
        units, activation, use_bias, initializers, regularizers, constraints, dropout, recurrent_dropout,
            seed: as ``SimpleRNNCell``.
        activity_regularizer: a regularizer of the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: as ``RNN``.

    Input shape: ``(batch, timesteps, features)``. Output shape: ``(batch, units)``, or
    ``(batch, timesteps, units)`` with ``return_sequences``.

    Example:
        >>> layer = SimpleRNN(4, return_sequences=True)
        >>> tuple(layer(np.ones((2, 5, 3), "float32")).shape)
        (2, 5, 4)
    """

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, seed=None, **kwargs):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, implementation=kwargs.pop("implementation", 2),
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True), name="simple_rnn_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
