"""DropoutRNNCell: the dropout masks a recurrent cell reuses at every timestep of one RNN call.

Keras draws one input mask and one recurrent mask per call and applies them at every step. The ``RNN``
layer draws them before its loop (so a JAX scan body stays free of random-state updates) and forgets
them afterwards; a cell called on its own draws them on first use.
"""

from __future__ import annotations

import numbers

from lamina import ops, random


def check_dropout_rate(value, name: str, layer: str) -> float:
    """``value`` as a float in [0, 1], or a ValueError naming the layer and the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(
            f"Invalid value for argument `{name}` of {layer}. Expected a float between 0 and 1. "
            f"Received: {name}={value!r}"
        )
    return float(value)


class DropoutRNNCell:
    """Mixin for cells with ``dropout`` / ``recurrent_dropout`` rates and a ``seed_generator``."""

    dropout = 0.0
    recurrent_dropout = 0.0
    _dropout_mask = None
    _recurrent_dropout_mask = None

    def _make_seed_generator(self, seed):
        """A SeedGenerator when the cell drops anything (None otherwise: no random state to carry)."""
        self.seed_generator = random.SeedGenerator(seed) if self.dropout or self.recurrent_dropout else None

    def get_dropout_mask(self, step_input):
        """The input dropout mask (shape of one timestep's input) for the current call, in the compute dtype
        (integer or bool inputs, such as the classic one-hot char windows, get a float mask)."""
        if self._dropout_mask is None and self.dropout > 0:
            self._dropout_mask = random.dropout(ops.ones_like(step_input, dtype=self.compute_dtype), self.dropout,
                                                seed=self.seed_generator)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_state):
        """The recurrent dropout mask (shape of the carried output) for the current call."""
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = random.dropout(ops.ones_like(step_state), self.recurrent_dropout,
                                                          seed=self.seed_generator)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self) -> None:
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        self._recurrent_dropout_mask = None
