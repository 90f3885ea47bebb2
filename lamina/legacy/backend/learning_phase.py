"""The learning phase: Keras 1/2's global train/test flag, fed to ``K.function`` or fixed once.

``learning_phase()`` is a symbolic scalar; fed among a ``K.function``'s inputs, its value (0 or 1) is the
``training`` flag every layer of that run sees. ``set_learning_phase`` fixes it instead, as Keras did (then
``learning_phase()`` returns the fixed int). ``in_train_phase`` reads the flag of the call in progress.
"""

from __future__ import annotations

from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers import call_context
from lamina.legacy.backend.variable_reads import over_variables
from lamina.ops.op import op
from lamina.ops.spec import same_rule

LEARNING_PHASE = SymbolicTensor((), "uint8", name="keras_learning_phase")
_fixed = {"phase": None}


def learning_phase():
    """The learning-phase tensor to feed to ``K.function`` (0: test, 1: train), or the fixed int."""
    return LEARNING_PHASE if _fixed["phase"] is None else _fixed["phase"]


def set_learning_phase(value: int) -> None:
    """Fix the learning phase to 0 (test) or 1 (train)."""
    if value not in (0, 1):
        raise ValueError(f"Expected learning phase to be 0 or 1. Received: value={value!r}")
    _fixed["phase"] = int(value)


def reset_learning_phase() -> None:
    _fixed["phase"] = None


def current_phase() -> bool:
    """True when the layer call (or ``K.function`` run) in progress trains, else the fixed phase, else test."""
    training = call_context.state.training
    if training is None:
        training = _fixed["phase"]
    return bool(training)


@over_variables
@op(same_rule)
def _by_phase(x, alt):
    """``x`` while training, ``alt`` otherwise: decided when the graph runs, not when it is built."""
    return x if current_phase() else alt


def in_train_phase(x, alt, training=None):
    """``x`` in the training phase, ``alt`` otherwise; either may be a callable (Keras 2). ``training``
    (a Python bool or 0/1) decides at once; None (or the learning-phase tensor) decides when the graph runs."""
    if training is None or training is LEARNING_PHASE:
        if _fixed["phase"] is not None:
            training = _fixed["phase"]
        else:
            return _by_phase(x() if callable(x) else x, alt() if callable(alt) else alt)
    chosen = x if training else alt
    return chosen() if callable(chosen) else chosen


def in_test_phase(x, alt, training=None):
    """``x`` in the test phase, ``alt`` otherwise (see ``in_train_phase``)."""
    return in_train_phase(alt, x, training=training)


__all__ = ["learning_phase", "set_learning_phase", "in_train_phase", "in_test_phase"]
