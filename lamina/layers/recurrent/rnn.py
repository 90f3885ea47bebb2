"""RNN: runs a recurrent cell over the time axis of its input, with Keras 3's options and contract.

A cell is any object (usually a Layer) with ``state_size`` (an int, or a list with one entry per state),
optionally ``output_size``, and ``call(inputs, states[, training]) -> (output, new_states)`` where
``states`` is a list of tensors of shape ``(batch, size)``; ``get_initial_state(batch_size)`` is optional.
The time loop is the engine's (``lamina.backend.rnn.rnn``: a ``lax.scan`` on JAX, a Python loop on
torch); subclasses (LSTM, GRU) override ``inner_loop`` to use the engine's fused kernels when they can.
"""

from __future__ import annotations

from lamina import backend, ops, serialization, tree
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.recurrent.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.recurrent.stacked_rnn_cells import StackedRNNCells, cell_output_size, check_cell, takes_training


def state_sizes(cell) -> list:
    """The size of each of ``cell``'s states: ``LSTMCell(4)`` -> ``[4, 4]``; a list per cell when stacked."""
    if isinstance(cell, StackedRNNCells):
        return [state_sizes(inner) for inner in cell.cells]
    size = cell.state_size
    return [size] if isinstance(size, int) else list(size)


class RNN(Layer):
    """Base class for recurrent layers: applies ``cell`` step by step along axis 1 of its input.

    Args:
        cell: a cell instance (see the module docstring), or a list of cells, stacked into
            ``StackedRNNCells``.
        return_sequences: return the output of every timestep ``(batch, timesteps, units)`` instead of
            the last one ``(batch, units)``.
        return_state: also return the final states, after the output (``output, *states``).
        go_backwards: process the sequence backwards (the outputs come in processing order).
        stateful: keep the final states of each batch as the initial states of the next (the batch
            size must be fixed); ``reset_states()`` zeroes them.
        unroll: unroll the loop (JAX: a fully unrolled scan); needs a known number of timesteps.
        zero_output_for_mask: output zeros at masked timesteps instead of carrying the last output.

    Call arguments:
        sequences: a tensor ``(batch, timesteps, ...)``.
        initial_state: a tensor or list of tensors, the cell's initial states (zeros by default).
        mask: a boolean ``(batch, timesteps)`` tensor; masked timesteps leave the states (and the
            output) unchanged. Passed automatically from Embedding(mask_zero=True) or Masking.
        training: passed to the cell (dropout).

    Example:
        >>> layer = RNN(SimpleRNNCell(4), return_sequences=True)
        >>> tuple(layer(np.ones((2, 5, 3), "float32")).shape)
        (2, 5, 4)
    """

    def __init__(self, cell, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 zero_output_for_mask: bool = False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        check_cell(cell, type(self).__name__)
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.states = None
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)
        self._cell_takes_training = takes_training(cell)

    # -- shapes and state ------------------------------------------------------------------------
    def build(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        if len(sequences_shape) < 3:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) expects inputs of rank >= 3 "
                f"(batch, timesteps, features). Received: input_shape={sequences_shape}"
            )
        step_shape = (sequences_shape[0],) + sequences_shape[2:]
        if isinstance(self.cell, Layer) and not self.cell.built:
            with backend.name_scope(self.name):
                self.cell.build(step_shape)
        if self.stateful:
            if sequences_shape[0] is None:
                raise ValueError(
                    f"Layer '{self.name}': a stateful RNN needs a fixed batch size. Pass `batch_size` to "
                    f"Input (or `batch_input_shape` to the first layer). Received: input_shape={sequences_shape}"
                )
            if self.states is None:
                self.states = tree.map_structure(
                    lambda size: self.add_weight((sequences_shape[0], size), initializer="zeros",
                                                 trainable=False, name="rnn_state"),
                    state_sizes(self.cell))

    def get_initial_state(self, batch_size) -> list:
        """The cell's initial states for ``batch_size`` sequences (zeros unless the cell says otherwise)."""
        if callable(getattr(self.cell, "get_initial_state", None)):
            states = self.cell.get_initial_state(batch_size=batch_size)
            return list(states) if tree.is_nested(states) else [states]
        return tree.map_structure(lambda size: ops.zeros((batch_size, size), dtype=self.compute_dtype),
                                  state_sizes(self.cell))

    def reset_state(self) -> None:
        """Zero the kept states of a stateful layer."""
        if self.states is not None:
            for variable in tree.flatten(self.states):
                variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    reset_states = reset_state

    # -- calling ---------------------------------------------------------------------------------
    def call(self, sequences, initial_state=None, mask=None, training=False):
        if tree.is_nested(mask):
            mask = mask[0]
        if self.unroll and ops.shape(sequences)[1] is None:
            raise ValueError(f"Layer '{self.name}': cannot unroll an RNN over an unknown number of timesteps.")
        if initial_state is None:
            # A copy: the stored states are overwritten below, after autograd may have saved them.
            initial_state = (tree.map_structure(ops.copy, self.states) if self.stateful
                             else self.get_initial_state(ops.shape(sequences)[0]))
        initial_state = list(initial_state) if tree.is_nested(initial_state) else [initial_state]
        expected = len(tree.flatten(state_sizes(self.cell)))
        if len(tree.flatten(initial_state)) != expected:
            raise ValueError(
                f"Layer '{self.name}' expects {expected} initial state(s) (state_size={self.cell.state_size}). "
                f"Received: {len(tree.flatten(initial_state))} initial state(s)"
            )
        self._draw_dropout_masks(self.cell, sequences, initial_state, training)
        try:
            last_output, outputs, states = self.inner_loop(sequences, initial_state, mask, training)
        finally:
            _forget_dropout_masks(self.cell)
        if self.stateful:
            for variable, value in zip(tree.flatten(self.states), tree.flatten(states)):
                variable.assign(ops.stop_gradient(value))
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """``(last_output, outputs, final_states)`` of the cell run over ``sequences`` (the generic scan)."""
        cell_call = self.cell.call
        cell_kwargs = {"training": training} if self._cell_takes_training else {}

        def step(inputs, states):
            output, new_states = cell_call(inputs, states, **cell_kwargs)
            return output, (list(new_states) if tree.is_nested(new_states) else [new_states])

        return backend.rnn.rnn(step, sequences, initial_state, go_backwards=self.go_backwards, mask=mask,
                               unroll=self.unroll, zero_output_for_mask=self.zero_output_for_mask,
                               return_all_outputs=self.return_sequences)

    def _draw_dropout_masks(self, cell, sequences, initial_state, training):
        """Draw the cells' per-call dropout masks before the loop (a JAX scan body must not draw them)."""
        if not training:
            return
        if isinstance(cell, StackedRNNCells):
            inputs = sequences[:, 0]
            for inner, state in zip(cell.cells, initial_state):
                inner_state = list(state) if tree.is_nested(state) else [state]
                self._draw_dropout_masks(inner, ops.expand_dims(inputs, 1), inner_state, training)
                inputs = ops.zeros((ops.shape(inputs)[0], cell_output_size(inner)), dtype=self.compute_dtype)
        elif isinstance(cell, DropoutRNNCell):
            cell.get_dropout_mask(sequences[:, 0])
            cell.get_recurrent_dropout_mask(tree.flatten(initial_state)[0])

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, timesteps = sequences_shape[0], sequences_shape[1]
        output_shape = ((batch, timesteps) if self.return_sequences else (batch,)) + (cell_output_size(self.cell),)
        if not self.return_state:
            return output_shape
        return (output_shape, *tree.map_structure(lambda size: (batch, size), state_sizes(self.cell)))

    def compute_mask(self, inputs, mask=None):
        if tree.is_nested(mask):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(tree.flatten(state_sizes(self.cell)))
        return output_mask

    # -- serialization ---------------------------------------------------------------------------
    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialization.serialize(self.cell),
        })
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["cell"] = serialization.deserialize(config["cell"], kind="layer")
        return super().from_config(config)


def _forget_dropout_masks(cell) -> None:
    if isinstance(cell, StackedRNNCells):
        for inner in cell.cells:
            _forget_dropout_masks(inner)
    elif isinstance(cell, DropoutRNNCell):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
