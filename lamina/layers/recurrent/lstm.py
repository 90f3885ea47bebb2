"""LSTM: the Long Short-Term Memory layer (Hochreiter & Schmidhuber, 1997), on the engine's fused kernel
when its configuration allows (torch's LSTM kernel, cuDNN on GPU; a hoisted-projection scan on JAX)."""

from __future__ import annotations

from lamina import activations, backend, initializers, ops
from lamina.layers.recurrent.base_rnn import RecurrentCell, RecurrentLayer, cell_attribute


class LSTMCell(RecurrentCell):
    """One LSTM step. Weights in Keras' layout, gates in the order input, forget, cell, output:
    ``kernel (input_dim, 4 * units)``, ``recurrent_kernel (units, 4 * units)``, ``bias (4 * units,)``.

    Args:
        units: dimensionality of the output and of both states ``[h, c]``.
        activation: activation of the cell candidate and the output (default tanh).
        recurrent_activation: activation of the gates (default sigmoid).
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers (recurrent: orthogonal).
        unit_forget_bias: add 1 to the forget gate's bias at initialization (and use zeros for the
            rest), as Jozefowicz et al. (2015) recommend.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout, recurrent_dropout: fractions dropped from the inputs and from ``h`` during training.
        seed: an int seed for the dropout masks.

    Call arguments:
        inputs: ``(batch, features)``; states: ``[h, c]``, each ``(batch, units)``; training: a bool.

    Example:
        >>> tuple(RNN(LSTMCell(4))(np.ones((2, 5, 3), "float32")).shape)
        (2, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 seed=None, **kwargs):
        super().__init__(
            units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)

    @property
    def state_size(self) -> list:
        return [self.units, self.units]

    def build(self, input_shape):
        bias_initializer = None
        if self.unit_forget_bias:
            units, base = self.units, self.bias_initializer

            def bias_initializer(shape, dtype=None):
                return ops.concatenate([base((units,), dtype=dtype), initializers.Ones()((units,), dtype=dtype),
                                        base((2 * units,), dtype=dtype)])

        self._add_cell_weights(input_shape, gates=4, bias_shape=(4 * self.units,), bias_initializer=bias_initializer)

    def call(self, inputs, states, training=False):
        h, c = states[0], states[1]
        inputs, h = self._dropped(inputs, h, training)
        z = ops.add(ops.matmul(inputs, self.kernel), ops.matmul(h, self.recurrent_kernel))
        if self.bias is not None:
            z = ops.add(z, self.bias)
        i, f, g, o = ops.split(z, 4, axis=-1)
        c = self.recurrent_activation(f) * c + self.recurrent_activation(i) * self.activation(g)
        h = self.recurrent_activation(o) * self.activation(c)
        return h, [h, c]

    def get_config(self) -> dict:
        config = super().get_config()
        config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["unit_forget_bias"] = self.unit_forget_bias
        return config


class LSTM(RecurrentLayer):
    """Long Short-Term Memory layer.

    Runs the engine's fused LSTM kernel (torch's, cuDNN on GPU; a scan with the input projection hoisted
    on JAX) when ``activation`` is tanh, ``recurrent_activation`` sigmoid, ``recurrent_dropout`` 0 and
    ``unroll`` False (on torch also: no mask, or a right-padded mask without ``go_backwards``); the
    generic cell-by-cell scan otherwise. Both compute the same numbers.

    Args:
        units, activation, recurrent_activation, use_bias, initializers, unit_forget_bias, regularizers,
            constraints, dropout, recurrent_dropout, seed: as ``LSTMCell``.
        activity_regularizer: a regularizer of the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: as ``RNN``.
        use_cudnn: ``"auto"`` (the fused kernel when the configuration allows), True (require it) or
            False (always the generic scan).

    Input shape: ``(batch, timesteps, features)``. Output shape: ``(batch, units)``, or
    ``(batch, timesteps, units)`` with ``return_sequences``; with ``return_state`` followed by ``h, c``.

    Example:
        >>> output, h, c = LSTM(4, return_state=True)(np.ones((2, 5, 3), "float32"))
        >>> tuple(output.shape), tuple(c.shape)
        ((2, 4), (2, 4))
    """

    fused = True

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, use_cudnn="auto", **kwargs):
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, implementation=kwargs.pop("implementation", 2),
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True), name="lstm_cell")
        super().__init__(cell, use_cudnn=use_cudnn, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)

    recurrent_activation = cell_attribute("recurrent_activation")
    unit_forget_bias = cell_attribute("unit_forget_bias")

    def _fused_call(self, sequences, initial_state, mask):
        cell = self.cell
        return backend.rnn.lstm(sequences, initial_state[0], initial_state[1], cell.kernel, cell.recurrent_kernel,
                                cell.bias, **self._fused_options(mask))
