"""What SimpleRNN, LSTM and GRU share: the cell's arguments and weights, and the layer that wraps a cell.

``RecurrentCell`` holds the arguments every built-in cell takes (units, activation, initializers,
regularizers, constraints, dropout rates, seed) and creates ``kernel``, ``recurrent_kernel`` and ``bias``
with one block per gate, in Keras' layout. ``RecurrentLayer`` is the ``RNN`` over such a cell whose
config is the cell's arguments plus the RNN options, and which runs the engine's fused kernel when its
configuration matches the kernel.
"""

from __future__ import annotations

from collections.abc import Mapping

from lamina import activations, ops, regularizers
from lamina.layers.layer import Layer
from lamina.layers.recurrent.dropout_rnn_cell import DropoutRNNCell, check_dropout_rate
from lamina.layers.recurrent.rnn import RNN
from lamina.layers.weight_options import WeightOptions

_BASE_CONFIG_KEYS = ("name", "trainable", "dtype")
# kernel, recurrent_kernel (options named ``recurrent_*``) and bias of every built-in cell
CELL_WEIGHTS = WeightOptions("kernel", "recurrent", "bias")


def check_units(units, owner: str) -> int:
    if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
        raise ValueError(
            f"Invalid value for argument `units` of {owner}. Expected a positive integer. Received: units={units!r}"
        )
    return units


def check_implementation(implementation, owner: str) -> int:
    """Keras' ``implementation`` (0, 1 or 2) only chose how the matmuls were batched; all compute the same,
    so it is accepted and kept (Keras does not serialize it)."""
    if isinstance(implementation, bool) or implementation not in (0, 1, 2):
        raise ValueError(
            f"Invalid value for argument `implementation` of {owner}. Expected 0, 1 or 2. "
            f"Received: implementation={implementation!r}"
        )
    return implementation


def store_cell_options(cell, owner: str, arguments: Mapping) -> None:
    """Set the options every recurrent cell takes, read from ``arguments`` (its constructor's ``locals()``):
    those of its three weights (``CELL_WEIGHTS``), its dropout rates and its seed."""
    CELL_WEIGHTS.store(cell, arguments, owner)
    cell.dropout = check_dropout_rate(arguments["dropout"], "dropout", owner)
    cell.recurrent_dropout = check_dropout_rate(arguments["recurrent_dropout"], "recurrent_dropout", owner)
    cell.seed = arguments["seed"]
    cell._make_seed_generator(cell.seed)


def cell_options_config(cell) -> dict:
    """``store_cell_options``' options in Keras' config form."""
    return {**CELL_WEIGHTS.config(cell), "dropout": cell.dropout, "recurrent_dropout": cell.recurrent_dropout,
            "seed": cell.seed}


class RecurrentCell(Layer, DropoutRNNCell):
    """Base of the built-in cells: stores the shared arguments and creates the gate-blocked weights."""

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 seed=None, **kwargs):
        owner = type(self).__name__
        implementation = check_implementation(kwargs.pop("implementation", 2), owner)
        super().__init__(**kwargs)
        self.implementation = implementation
        self.units = check_units(units, owner)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        store_cell_options(self, owner, locals())

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self) -> int:
        return self.units

    def _add_cell_weights(self, input_shape, gates: int, bias_shape: tuple, bias_initializer=None) -> None:
        """``kernel (input_dim, gates * units)``, ``recurrent_kernel (units, gates * units)``, ``bias``."""
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"The last dimension of the inputs to {type(self).__name__} '{self.name}' should be defined. "
                f"Found None. Full input shape received: {tuple(input_shape)}"
            )
        self.kernel = CELL_WEIGHTS.add(self, "kernel", (input_dim, gates * self.units))
        self.recurrent_kernel = CELL_WEIGHTS.add(self, "recurrent", (self.units, gates * self.units),
                                                 name="recurrent_kernel")
        self.bias = None
        if self.use_bias:
            self.bias = CELL_WEIGHTS.add(self, "bias", bias_shape, initializer=bias_initializer)

    def _dropped(self, inputs, h, training):
        """``inputs`` and ``h`` with this call's dropout masks applied when training."""
        if training and self.dropout > 0:
            inputs = inputs * self.get_dropout_mask(inputs)
        if training and self.recurrent_dropout > 0:
            h = h * self.get_recurrent_dropout_mask(h)
        return inputs, h

    def get_initial_state(self, batch_size=None) -> list:
        sizes = [self.state_size] if isinstance(self.state_size, int) else self.state_size
        return [ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in sizes]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            **cell_options_config(self),
        })
        return config


class RecurrentLayer(RNN):
    """An ``RNN`` over a built-in cell: exposes the cell's arguments and serializes them flat, as Keras.

    Subclasses with a fused kernel set ``fused = True`` and implement ``_fused_call``; the kernel runs when
    the configuration is the kernel's (tanh/sigmoid activations, no recurrent dropout, not unrolled) and
    ``use_cudnn`` is not False.
    """

    fused = None  # True where the engine has a fused kernel for the cell

    def __init__(self, cell, use_cudnn="auto", **kwargs):
        if use_cudnn not in ("auto", True, False):
            raise ValueError(
                f"Invalid value for argument `use_cudnn` of {type(self).__name__}. Expected 'auto', True or "
                f"False. Received: use_cudnn={use_cudnn!r}"
            )
        super().__init__(cell, **kwargs)
        self.use_cudnn = use_cudnn

    def _fusable(self) -> bool:
        cell = self.cell
        return bool(
            self.fused is not None
            and self.use_cudnn is not False
            and not self.unroll
            and cell.recurrent_dropout == 0
            and cell.activation is activations.tanh
            and getattr(cell, "recurrent_activation", activations.sigmoid) is activations.sigmoid
        )

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if self._fusable():
            cell = self.cell
            if training and cell.dropout > 0:
                sequences = sequences * ops.expand_dims(cell.get_dropout_mask(sequences[:, 0]), 1)
            result = self._fused_call(sequences, initial_state, mask)
            if result is not None:
                return result
        elif self.use_cudnn is True:
            raise ValueError(
                f"Layer '{self.name}': use_cudnn=True needs the fused kernel's configuration (activation tanh, "
                "recurrent_activation sigmoid, recurrent_dropout 0, unroll False). Use use_cudnn='auto'."
            )
        return super().inner_loop(sequences, initial_state, mask, training)

    def _fused_call(self, sequences, initial_state, mask):
        """The engine's fused kernel on ``sequences``: ``(last_output, outputs, states)``, or None when the
        engine cannot run this case."""
        return None

    def _fused_options(self, mask) -> dict:
        return dict(mask=mask, go_backwards=self.go_backwards, zero_output_for_mask=self.zero_output_for_mask,
                    return_sequences=self.return_sequences, final_states=self.return_state or self.stateful)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["cell"]
        cell_config = {k: v for k, v in self.cell.get_config().items() if k not in _BASE_CONFIG_KEYS}
        config.update(cell_config)
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if self.fused is not None:
            config["use_cudnn"] = self.use_cudnn
        return config

    @classmethod
    def from_config(cls, config: dict):
        return Layer.from_config.__func__(cls, config)


def cell_attribute(name: str):
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's ``{name}``.")


for _name in ("units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
              "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
              "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed", "implementation"):
    setattr(RecurrentLayer, _name, cell_attribute(_name))
