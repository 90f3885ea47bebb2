"""Batches that arrive one at a time: Python generators and iterators, ``PyDataset``, the engine's data loader.

Each batch is ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``; its arrays move to the device on arrival
and class weights are read from its targets.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor

from lamina.training.data_adapters.class_weights import ClassWeighting
from lamina.training.data_adapters.data_utils import map_leaves, to_device, to_host_array, unpack_x_y_sample_weight


class StreamAdapter:
    """Base: subclasses provide ``_raw_batches()`` (one pass over the source) and ``num_batches``."""

    one_shot = False  # True when the source cannot be read a second time
    restarts_each_epoch = False  # with steps_per_epoch, the next epoch continues where the last one stopped
    num_batches: int | None = None

    def __init__(self, class_weighting: ClassWeighting | None = None):
        self._class_weighting = class_weighting

    def _raw_batches(self):
        raise NotImplementedError

    def _standardize(self, raw) -> tuple:
        x, y, sample_weight = unpack_x_y_sample_weight(raw)
        if self._class_weighting is not None:
            y = map_leaves(to_host_array, y)  # read the target kind on the host before the transfer
            plan = self._class_weighting.plan(y)
            x, y, sample_weight = (map_leaves(to_device, part) for part in (x, y, sample_weight))
            return x, y, self._class_weighting.apply(plan, y, sample_weight)
        return tuple(map_leaves(to_device, part) for part in (x, y, sample_weight))

    def batches(self):
        """One pass over the source, as ``(x, y, sample_weight)`` batches on the device."""
        for raw in self._raw_batches():
            yield self._standardize(raw)

    def on_epoch_begin(self) -> None:
        pass

    def on_epoch_end(self) -> None:
        pass


class GeneratorAdapter(StreamAdapter):
    """A Python generator or iterator: read once; the next epoch continues it, and it ends when exhausted."""

    one_shot = True

    def __init__(self, generator, class_weighting: ClassWeighting | None = None):
        super().__init__(class_weighting)
        self._generator = generator

    def _raw_batches(self):
        return self._generator


class IterableAdapter(StreamAdapter):
    """A re-iterable source (the engine's data loader, or any object with ``__iter__``): ``iter()`` per pass."""

    def __init__(self, iterable, class_weighting: ClassWeighting | None = None):
        super().__init__(class_weighting)
        self._iterable = iterable
        try:
            self.num_batches = len(iterable)
        except TypeError:  # an iterable without a length (a loader over an IterableDataset)
            self.num_batches = None

    def _raw_batches(self):
        return iter(self._iterable)


class PyDatasetAdapter(StreamAdapter):
    """A ``PyDataset``: batches by index, loaded ``workers`` at a time in threads when ``workers > 1``."""

    def __init__(self, dataset, class_weighting: ClassWeighting | None = None):
        super().__init__(class_weighting)
        self._dataset = dataset
        self.num_batches = dataset.num_batches

    def _indices(self):
        index = 0
        while self.num_batches is None or index < self.num_batches:
            yield index
            index += 1

    def _raw_batches(self):
        workers = self._dataset.workers
        if workers <= 1:
            for index in self._indices():
                yield self._dataset[index]
            return
        # Keep up to max_queue_size batches loading ahead, handed out in index order.
        ahead = max(self._dataset.max_queue_size, workers)
        indices = self._indices()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = deque(pool.submit(self._dataset.__getitem__, i) for _, i in zip(range(ahead), indices))
            while pending:
                batch = pending.popleft().result()
                next_index = next(indices, None)
                if next_index is not None:
                    pending.append(pool.submit(self._dataset.__getitem__, next_index))
                yield batch

    def on_epoch_begin(self) -> None:
        self._dataset.on_epoch_begin()

    def on_epoch_end(self) -> None:
        self._dataset.on_epoch_end()
