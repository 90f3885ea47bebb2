"""``EpochIterator``: the training loops' one view of their data, an epoch of ``(x, y, sample_weight)`` at a time.

Arrays restart at their first sample every epoch (reshuffled when asked). Streams (generators, ``PyDataset``,
data loaders) given ``steps_per_epoch`` continue where the previous epoch stopped, as in Keras; a re-readable
stream starts over once it has been read to its end. A generator that runs dry cannot start over: the epoch
ends there and ``exhausted`` turns True, so the loop can stop training. Running out of data before
``steps_per_epoch`` batches warns, with Keras's advice.
"""

from __future__ import annotations

import warnings

from lamina import config
from lamina.training.data_adapters import get_data_adapter


class EpochIterator:
    """Batches of ``x`` (and ``y``, ``sample_weight``), one epoch per ``enumerate_epoch()``.

    Args:
        x: arrays (NumPy, engine tensors, pandas, lists of numbers, or lists/tuples/dicts of those), a generator
            or iterator, a ``lamina.utils.PyDataset`` or the engine's data loader.
        y, sample_weight: arrays, with array ``x`` only (streams yield them in their batches).
        batch_size: samples per batch for arrays (default 32).
        steps_per_epoch: batches per epoch; default: the whole data (until a generator is exhausted).
        shuffle: for arrays, ``True`` (a new order every epoch), ``False`` or ``"batch"`` (batch-sized chunks).
        class_weight: ``{class: weight}``, or ``{output_name: {class: weight}}`` for several outputs.
        output_names: the model's output names (to place ``class_weight`` on list-structured targets).
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size: int | None = None,
                 steps_per_epoch: int | None = None, shuffle=False, class_weight: dict | None = None,
                 output_names: list[str] | None = None):
        if steps_per_epoch is not None and (not isinstance(steps_per_epoch, int) or steps_per_epoch < 1):
            raise ValueError(
                f"Invalid value for argument `steps_per_epoch`. Expected an int >= 1 or None. "
                f"Received: steps_per_epoch={steps_per_epoch!r}"
            )
        cap = config.max_steps_per_epoch()  # a debugging cap (``config.set_max_steps_per_epoch``)
        if cap and (steps_per_epoch is None or cap < steps_per_epoch):
            warnings.warn(f"Limiting steps_per_epoch to {cap}", stacklevel=3)
            steps_per_epoch = cap
        self.adapter = get_data_adapter(x, y, sample_weight, batch_size, shuffle, class_weight, output_names)
        self.steps_per_epoch = steps_per_epoch
        self.exhausted = False  # a one-shot source (generator, iterator) has run dry
        self._stream = None  # the open pass over the data, kept between epochs of a continuing stream
        self._read = 0  # batches read from the open pass
        self._warned = False

    @property
    def num_batches(self) -> int | None:
        """Batches per epoch: ``steps_per_epoch``, else the data's own count (None when unknown)."""
        return self.steps_per_epoch or self.adapter.num_batches

    @property
    def partial_batch_rows(self) -> int | None:
        """The rows of the epoch's short last batch, where known ahead (arrays read whole); else None."""
        if self.steps_per_epoch is not None and self.steps_per_epoch < (self.adapter.num_batches or 0):
            return None
        return getattr(self.adapter, "partial_batch_rows", None)

    def reset(self) -> None:
        """Start over from the first batch (a generator cannot: it continues)."""
        self._stream = None
        self._read = 0

    def enumerate_epoch(self):
        """Yield ``(step, (x, y, sample_weight))`` for one epoch; ``y`` and ``sample_weight`` may be None."""
        adapter = self.adapter
        if self._stream is None or self.steps_per_epoch is None or adapter.restarts_each_epoch:
            self._stream, self._read = adapter.batches(), 0
        adapter.on_epoch_begin()
        step = 0
        try:
            while self.steps_per_epoch is None or step < self.steps_per_epoch:
                batch = next(self._stream, None)
                if batch is None:
                    self._ran_out(step)
                    break
                self._read += 1
                yield step, batch
                step += 1
            if adapter.num_batches is not None and self._read >= adapter.num_batches:
                self._stream = None  # read to its end: a re-readable source starts over next epoch
        finally:
            adapter.on_epoch_end()

    def _ran_out(self, step: int) -> None:
        self._stream = None
        self.exhausted = self.adapter.one_shot
        short = self.steps_per_epoch is not None or (self.exhausted and step == 0)
        if short and not self._warned:
            self._warned = True
            warnings.warn(
                "Your input ran out of data; interrupting training. Make sure that your dataset or generator can "
                "generate at least `steps_per_epoch * epochs` batches.",
                stacklevel=3,
            )
