"""GRU: the Gated Recurrent Unit layer (Cho et al., 2014), on the engine's fused kernel when its
configuration allows (torch's GRU kernel, cuDNN on GPU, for ``reset_after=True``; a hoisted-projection
scan on JAX)."""

from __future__ import annotations

from lamina import activations, backend, ops
from lamina.layers.recurrent.base_rnn import RecurrentCell, RecurrentLayer, cell_attribute


class GRUCell(RecurrentCell):
    """One GRU step. Weights in Keras' layout, gates in the order update (z), reset (r), candidate (h):
    ``kernel (input_dim, 3 * units)``, ``recurrent_kernel (units, 3 * units)``, ``bias (2, 3 * units)``
    (input and recurrent biases) with ``reset_after``, else ``(3 * units,)``.

    Args:
        units: dimensionality of the output and state.
        activation: activation of the candidate (default tanh).
        recurrent_activation: activation of the gates (default sigmoid).
        use_bias, initializers, regularizers, constraints, dropout, recurrent_dropout, seed: as
            ``LSTMCell``.
        reset_after: apply the reset gate after the recurrent matmul (True, Keras' default and
            cuDNN's convention) or before it (False).

    Call arguments:
        inputs: ``(batch, features)``; states: ``[h]``; training: a bool.

    Example:
        >>> tuple(RNN(GRUCell(4))(np.ones((2, 5, 3), "float32")).shape)
        (2, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, reset_after=True, seed=None, **kwargs):
        super().__init__(
            units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)

    def build(self, input_shape):
        bias_shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
        self._add_cell_weights(input_shape, gates=3, bias_shape=bias_shape)

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        h = states[0] if nested else states
        inputs, h_dropped = self._dropped(inputs, h, training)
        units = self.units
        input_bias, recurrent_bias = self.bias, None
        if self.bias is not None and self.reset_after:
            input_bias, recurrent_bias = self.bias[0], self.bias[1]
        x = ops.matmul(inputs, self.kernel)
        if input_bias is not None:
            x = ops.add(x, input_bias)
        x_z, x_r, x_h = ops.split(x, 3, axis=-1)
        if self.reset_after:
            inner = ops.matmul(h_dropped, self.recurrent_kernel)
            if recurrent_bias is not None:
                inner = ops.add(inner, recurrent_bias)
            h_z, h_r, h_h = ops.split(inner, 3, axis=-1)
            z, r = self.recurrent_activation(x_z + h_z), self.recurrent_activation(x_r + h_r)
            candidate = self.activation(x_h + r * h_h)
        else:
            h_z, h_r = ops.split(ops.matmul(h_dropped, self.recurrent_kernel[:, :2 * units]), 2, axis=-1)
            z, r = self.recurrent_activation(x_z + h_z), self.recurrent_activation(x_r + h_r)
            candidate = self.activation(x_h + ops.matmul(r * h_dropped, self.recurrent_kernel[:, 2 * units:]))
        h = z * h + (1 - z) * candidate
        return h, ([h] if nested else h)

    def get_config(self) -> dict:
        config = super().get_config()
        config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["reset_after"] = self.reset_after
        return config


class GRU(RecurrentLayer):
    """Gated Recurrent Unit layer.

    Runs the engine's fused GRU kernel when ``activation`` is tanh, ``recurrent_activation`` sigmoid,
    ``recurrent_dropout`` 0 and ``unroll`` False (on torch also: ``reset_after=True`` and no mask, or a
    right-padded mask without ``go_backwards``); the generic cell-by-cell scan otherwise.

    Args:
        units, activation, recurrent_activation, use_bias, initializers, regularizers, constraints,
            dropout, recurrent_dropout, seed, reset_after: as ``GRUCell``.
        activity_regularizer: a regularizer of the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: as ``RNN``.
        use_cudnn: ``"auto"``, True (require the fused kernel) or False (always the generic scan).

    Input shape: ``(batch, timesteps, features)``. Output shape: ``(batch, units)``, or
    ``(batch, timesteps, units)`` with ``return_sequences``; with ``return_state`` followed by ``h``.

    Example:
        >>> tuple(GRU(4, return_sequences=True)(np.ones((2, 5, 3), "float32")).shape)
        (2, 5, 4)
    """

    fused = True

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 return_sequences=False, return_state=False, go_backwards=False, stateful=False, unroll=False,
                 reset_after=True, use_cudnn="auto", **kwargs):
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            reset_after=reset_after, seed=seed, implementation=kwargs.pop("implementation", 2),
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True), name="gru_cell")
        super().__init__(cell, use_cudnn=use_cudnn, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)

    recurrent_activation = cell_attribute("recurrent_activation")
    reset_after = cell_attribute("reset_after")

    def _fused_call(self, sequences, initial_state, mask):
        cell = self.cell
        return backend.rnn.gru(sequences, initial_state[0], cell.kernel, cell.recurrent_kernel, cell.bias,
                               reset_after=cell.reset_after, **self._fused_options(mask))
