"""Keras 0.3's ``TimeDistributedMerge(mode)``: sums, multiplies or averages a sequence over its time axis."""

from __future__ import annotations

from lamina import ops
from lamina.legacy.deprecation import warn_old_spelling
from lamina.legacy.layers.layer import Layer
from lamina.legacy.layers.translated import serializable

_REDUCTIONS = {"sum": (ops.sum, "Lambda(lambda x: ops.sum(x, axis=1))"),
               "mul": (ops.prod, "Lambda(lambda x: ops.prod(x, axis=1))"),
               "ave": (ops.mean, "GlobalAveragePooling1D()")}


@serializable
class TimeDistributedMerge(Layer):
    """``(batch, steps, ...) -> (batch, ...)`` by ``mode``: ``"sum"``, ``"mul"`` or ``"ave"``."""

    def __init__(self, mode: str = "sum", **kwargs):
        if mode not in _REDUCTIONS:
            raise ValueError(f"Invalid value for argument `mode` of TimeDistributedMerge. Expected one of "
                             f"{sorted(_REDUCTIONS)}. Received: mode={mode!r}")
        warn_old_spelling(f"TimeDistributedMerge(mode={mode!r})", _REDUCTIONS[mode][1])
        super().__init__(**kwargs)
        self.mode = mode

    def call(self, x):
        return _REDUCTIONS[self.mode][0](x, axis=1)

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}
