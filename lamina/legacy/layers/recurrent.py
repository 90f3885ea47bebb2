"""``keras.layers.recurrent`` of Keras 1/2: ``SimpleRNN``, ``GRU``, ``LSTM`` taking ``output_dim``, ``init``,
``inner_init``, ``inner_activation``, ``dropout_W``/``dropout_U``, ... With Keras 1/2's defaults: ``hard_sigmoid``
(0.2x + 0.5) gates and, for GRU, the reset gate applied before the recurrent matmul (``reset_after=False``)."""

from __future__ import annotations

from lamina import layers as _modern
from lamina.legacy.layers.translated import legacy_layer

SimpleRNN = legacy_layer("SimpleRNN", _modern.SimpleRNN, __name__)
GRU = legacy_layer("GRU", _modern.GRU, __name__)
LSTM = legacy_layer("LSTM", _modern.LSTM, __name__)

__all__ = ["SimpleRNN", "GRU", "LSTM"]
