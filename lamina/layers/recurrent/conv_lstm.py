"""The convolutional LSTM: ``ConvLSTMCell`` (one step) and ``ConvLSTM``, the RNN base of ConvLSTM1D/2D/3D.

A ConvLSTM is an LSTM whose input and recurrent transforms are convolutions, so its states keep their
spatial layout. Weights follow Keras: ``kernel`` ``(*kernel_size, in_channels, 4 * filters)``,
``recurrent_kernel`` ``(*kernel_size, filters, 4 * filters)``, ``bias`` ``(4 * filters,)``, gates in the
order i, f, c, o along the last axis. Each convolution covers all four gates at once (the same numbers as
four per-gate convolutions); ``ConvLSTM`` runs the input convolution once over every timestep (time folded
into the batch) before its loop, so each step does only the recurrent convolution and the gates.
"""

from __future__ import annotations

from lamina import activations, backend, config, ops, regularizers
from lamina.backend.common.conv_utils import dilated_windows
from lamina.layers.convolutional.base_conv import check_positive_int, standardize_tuple
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.recurrent.base_rnn import (
    CELL_WEIGHTS,
    cell_attribute,
    cell_options_config,
    store_cell_options,
)
from lamina.layers.recurrent.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.recurrent.rnn import RNN


class ConvLSTMCell(DropoutRNNCell, Layer):
    """One step of a ``rank``-D convolutional LSTM: ``(inputs, [h, c]) -> (h, [h, c])``.

    Args: those of ``ConvLSTM`` below the recurrence flags (``rank``, ``filters``, ``kernel_size``,
    ``strides``, ``padding``, ``data_format``, ``dilation_rate``, activations, initializers, regularizers,
    constraints, ``unit_forget_bias``, ``dropout``, ``recurrent_dropout``, ``seed``).

    Call arguments:
        inputs: one timestep, ``(batch, *spatial, channels)`` (channels_last) or
            ``(batch, channels, *spatial)`` (channels_first).
        states: ``[h, c]``, each shaped like the output of the input convolution with ``filters`` channels.
        training: whether dropout applies. One input mask and one recurrent mask serve all four gates and
            every step of a sequence (as Keras 3's LSTM cell draws them).
    """

    def __init__(self, rank: int, filters: int, kernel_size, strides=1, padding: str = "valid",
                 data_format: str | None = None, dilation_rate=1, activation="tanh",
                 recurrent_activation="sigmoid", use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias: bool = True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: int | None = None, **kwargs):
        layer = kwargs.pop("_layer_name", type(self).__name__)
        super().__init__(**kwargs)
        if rank not in (1, 2, 3):
            raise ValueError(f"Invalid value for argument `rank` of {layer}. Expected 1, 2 or 3. Received: rank={rank}")
        self.rank = rank
        self.filters = check_positive_int(filters, "filters", layer)
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size", layer)
        self.strides = standardize_tuple(strides, rank, "strides", layer)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate", layer)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"Invalid arguments of {layer}: `strides > 1` is not supported together with "
                f"`dilation_rate > 1`. Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(
                f"Invalid value for argument `padding` of {layer}. Expected one of ('valid', 'same'). "
                f"Received: padding={padding!r}"
            )
        self.data_format = config.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.unit_forget_bias = bool(unit_forget_bias)
        store_cell_options(self, layer, locals())
        self._layer_name = layer
        self._channel_axis = -1 if self.data_format == "channels_last" else 1
        self.input_spec = InputSpec(ndim=rank + 2)
        self.state_shape = None  # per-example shape of h and c, set by build

    @property
    def state_size(self) -> list:
        """The channels of ``h`` and ``c``; their spatial dims follow the input convolution (``state_shape``)."""
        return [self.filters, self.filters]

    @property
    def output_size(self) -> int:
        return self.filters

    def build(self, input_shape, states_shape=None):
        channels = input_shape[self._channel_axis]
        spatial = tuple(input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:])
        if channels is None or None in spatial:
            raise ValueError(
                f"{self._layer_name} needs inputs with known spatial and channel dimensions. "
                f"Received: the shape of one timestep={tuple(input_shape)}"
            )
        self.state_shape = self.compute_output_shape((None,) + tuple(input_shape[1:]))[1:]
        self.kernel = CELL_WEIGHTS.add(self, "kernel", self.kernel_size + (channels, 4 * self.filters))
        self.recurrent_kernel = CELL_WEIGHTS.add(self, "recurrent", self.kernel_size + (self.filters, 4 * self.filters),
                                                 name="recurrent_kernel")
        self.bias = None
        if self.use_bias:
            self.bias = CELL_WEIGHTS.add(self, "bias", (4 * self.filters,), initializer=self._bias_initializer())
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})

    def _bias_initializer(self):
        """With ``unit_forget_bias`` the forget gate's bias starts at 1, the others from ``bias_initializer``."""
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, filters = self.bias_initializer, self.filters

        def initializer(shape, dtype=None):
            return ops.concatenate([base((filters,), dtype), ops.ones((filters,), dtype),
                                    base((2 * filters,), dtype)])

        return initializer

    def call(self, inputs, states, training=False):
        if training and self.dropout > 0:
            inputs = ops.multiply(inputs, self.get_dropout_mask(inputs))
        return self.recurrent_step(self.input_transform(inputs), states, training)

    def input_transform(self, inputs):
        """The input convolution with bias, all four gates: ``(batch, *out_spatial, 4 * filters)`` (channels_last).

        It does not depend on the state, so ``ConvLSTM`` runs it once over every timestep before its loop.
        """
        z = ops.conv(inputs, self.kernel, strides=self.strides, padding=self.padding, data_format=self.data_format,
                     dilation_rate=self.dilation_rate)
        if self.bias is None:
            return z
        return ops.add(z, self.bias if self._channel_axis == -1 else ops.reshape(self.bias, (-1,) + (1,) * self.rank))

    def recurrent_step(self, z, states, training=False):
        """One step from the input transform ``z`` of this timestep and the states ``[h, c]``."""
        h, c = states[0], states[1]
        if training and self.recurrent_dropout > 0:
            h = ops.multiply(h, self.get_recurrent_dropout_mask(h))
        z = ops.add(z, ops.conv(h, self.recurrent_kernel, padding="same", data_format=self.data_format))
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=self._channel_axis)
        c = ops.add(ops.multiply(self.recurrent_activation(z_f), c),
                    ops.multiply(self.recurrent_activation(z_i), self.activation(z_c)))
        h = ops.multiply(self.recurrent_activation(z_o), self.activation(c))
        return h, [h, c]

    def compute_output_shape(self, input_shape, states_shape=None):
        """The shape of ``h`` for one step's input shape."""
        if self.data_format == "channels_last":
            spatial = input_shape[1:-1]
        else:
            spatial = input_shape[2:]
        windows = dilated_windows(self.kernel_size, self.dilation_rate)
        out = []
        for size, window, stride in zip(spatial, windows, self.strides):
            if size is None:
                out.append(None)
            elif self.padding == "same":
                out.append(-(-size // stride))
            else:
                out.append((size - window) // stride + 1)
        if any(size is not None and size <= 0 for size in out):
            raise ValueError(
                f"{self._layer_name}: the kernel (window {tuple(windows)}) does not fit the spatial input "
                f"{tuple(spatial)} with padding='valid'. Received: input_shape={tuple(input_shape)}"
            )
        if self.data_format == "channels_last":
            return (input_shape[0], *out, self.filters)
        return (input_shape[0], self.filters, *out)

    def get_initial_state(self, batch_size=None) -> list:
        shape = (batch_size,) + tuple(self.state_shape)
        return [ops.zeros(shape, self.compute_dtype), ops.zeros(shape, self.compute_dtype)]

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rank": self.rank,
            **_hyperparameters(self),
        }


def _hyperparameters(cell: ConvLSTMCell) -> dict:
    """The cell's arguments in Keras's config form (shared by the cell's and the layer's configs)."""
    return {
        "filters": cell.filters,
        "kernel_size": cell.kernel_size,
        "strides": cell.strides,
        "padding": cell.padding,
        "data_format": cell.data_format,
        "dilation_rate": cell.dilation_rate,
        "activation": activations.serialize(cell.activation),
        "recurrent_activation": activations.serialize(cell.recurrent_activation),
        "use_bias": cell.use_bias,
        "unit_forget_bias": cell.unit_forget_bias,
        **cell_options_config(cell),
    }


class ConvLSTM(RNN):
    """Base of ``ConvLSTM1D``/``2D``/``3D`` (``rank`` is set by each): an RNN over a ``ConvLSTMCell``.

    Args:
        filters: the number of output channels of the convolutions (the channels of ``h`` and ``c``).
        kernel_size: an int or a tuple of ``rank`` ints, the window of both convolutions.
        strides: an int or a tuple of ``rank`` ints, the input convolution's strides (the recurrent
            convolution always has stride 1 and "same" padding, so the state keeps its shape).
        padding: ``"valid"`` or ``"same"``, the input convolution's padding.
        data_format: ``"channels_last"`` for inputs ``(batch, time, *spatial, channels)`` or
            ``"channels_first"`` for ``(batch, time, channels, *spatial)``; defaults to
            ``lamina.config.image_data_format()``.
        dilation_rate: an int or a tuple of ``rank`` ints, the input convolution's dilation (not with
            ``strides > 1``).
        activation: the activation of the cell candidate and of the output (default ``"tanh"``).
        recurrent_activation: the gates' activation (default ``"sigmoid"``).
        use_bias: whether the gates have a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers of ``kernel``,
            ``recurrent_kernel`` and ``bias``.
        unit_forget_bias: start the forget gate's bias at 1.
        kernel_regularizer, recurrent_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout, recurrent_dropout: fractions of the inputs and of the recurrent state to drop in training.
        seed: an int seed for the dropout masks.
        return_sequences, return_state, go_backwards, stateful, unroll: as for ``RNN``.

    Call arguments:
        sequences: ``(batch, time, *spatial, channels)`` (channels_last) or ``(batch, time, channels,
            *spatial)`` (channels_first).
        initial_state: ``[h, c]``, each shaped like one output step.
        mask: a ``(batch, time)`` boolean mask; masked steps carry the states through.
        training: whether dropout applies.

    Output: ``(batch, [time,] *out_spatial, filters)`` (channels_last), then ``h`` and ``c`` with
    ``return_state``.
    """

    rank = 0

    def __init__(self, filters: int, kernel_size, strides=1, padding: str = "valid", data_format: str | None = None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias: bool = True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: int | None = None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False, **kwargs):
        cell = ConvLSTMCell(
            self.rank, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, name="conv_lstm_cell", dtype=kwargs.get("dtype"),
            _layer_name=type(self).__name__,
        )
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, activity_regularizer=activity_regularizer,
                         **kwargs)
        self.input_spec = InputSpec(ndim=self.rank + 3)

    def build(self, sequences_shape, initial_state_shape=None):
        batch = sequences_shape[0]
        if self.stateful and self.states is None and batch is not None:
            # The kept states have the spatial shape of the cell's output, which only the built cell knows.
            if not self.cell.built:
                with backend.name_scope(self.name):
                    self.cell.build((batch,) + tuple(sequences_shape[2:]))
            self.states = [self.add_weight((batch,) + self.cell.state_shape, initializer="zeros",
                                           trainable=False, name="rnn_state") for _ in range(2)]
        super().build(sequences_shape, initial_state_shape)

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """The input convolution runs once over all timesteps (time folded into the batch); the loop then
        does only the recurrent convolution and the gates."""
        cell = self.cell
        if training and cell.dropout > 0:
            sequences = ops.multiply(sequences, ops.expand_dims(cell.get_dropout_mask(sequences[:, 0]), 1))
        shape = ops.shape(sequences)
        z = cell.input_transform(ops.reshape(sequences, (-1,) + tuple(shape[2:])))
        z = ops.reshape(z, (-1, shape[1]) + tuple(ops.shape(z)[1:]))
        return backend.rnn.rnn(lambda z_t, states: cell.recurrent_step(z_t, states, training), z, initial_state,
                               go_backwards=self.go_backwards, mask=mask, unroll=self.unroll,
                               zero_output_for_mask=self.zero_output_for_mask,
                               return_all_outputs=self.return_sequences)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        state_shape = self.cell.compute_output_shape((batch,) + tuple(sequences_shape[2:]))
        output_shape = (batch, steps) + state_shape[1:] if self.return_sequences else state_shape
        return (output_shape, state_shape, state_shape) if self.return_state else output_shape

    def get_config(self) -> dict:
        config = super().get_config()
        del config["cell"]
        config.update(_hyperparameters(self.cell))
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config: dict):
        return Layer.from_config.__func__(cls, config)


for _name in ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
              "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
              "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
              "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout"):
    setattr(ConvLSTM, _name, cell_attribute(_name))
