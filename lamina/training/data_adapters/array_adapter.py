"""Batches of in-memory arrays: moved to the device whole, once, then sliced there.

Without shuffling a batch is a contiguous slice (``backend.core.slice_rows``: a view on torch, one compiled
slice for every start on JAX). With shuffling each epoch draws one host permutation and every batch
gathers its rows with one ``take_rows`` per array: on the CPU this measured 10-13 ms per epoch for
60000x784 float32 in batches of 128, against 60-72 ms for gathering the whole permuted array first
(and it needs no second copy of the data on the device).
"""

from __future__ import annotations

import math

import numpy as np

from lamina import backend, tree
from lamina.training.data_adapters.class_weights import ClassWeighting
from lamina.training.data_adapters.data_utils import check_num_samples, map_leaves, to_device, to_host_array


class ArrayAdapter:
    """``x``, ``y``, ``sample_weight`` (arrays, or lists/tuples/dicts of them) served in batches."""

    one_shot = False  # the data can always be read again
    restarts_each_epoch = True

    def __init__(self, x, y=None, sample_weight=None, batch_size: int | None = None, shuffle=False,
                 class_weighting: ClassWeighting | None = None):
        if shuffle not in (True, False, "batch"):
            raise ValueError("Invalid value for argument `shuffle`. Expected True, False or 'batch'. "
                             f"Received: {shuffle!r}")
        batch_size = 32 if batch_size is None else batch_size
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"Invalid value for argument `batch_size`. Expected an int >= 1. Received: {batch_size!r}")
        data = tuple(map_leaves(lambda leaf, name=name: to_host_array(leaf, name), part)
                     for name, part in zip(("x", "y", "sample_weight"), (x, y, sample_weight)))
        self.num_samples = check_num_samples(dict(zip(("x", "y", "sample_weight"), data)))
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.num_batches = math.ceil(self.num_samples / batch_size)
        self.partial_batch_rows = self.num_samples % batch_size or None  # the last batch's rows, if short
        self._class_plan = None if class_weighting is None else class_weighting.plan(data[1], report=True)
        self._class_weighting = class_weighting
        self._structure = data
        self._flat = [to_device(leaf) for leaf in tree.flatten(data)]

    def _order(self):
        """This epoch's sample order (a host array), or ``None`` for the natural order."""
        if not self.shuffle:
            return None
        n, size = self.num_samples, self.batch_size
        if self.shuffle == "batch":  # whole batches in a random order, each batch shuffled within itself
            full = n // size
            chunks = np.arange(full * size).reshape(full, size)[np.random.permutation(full)]
            order = np.concatenate([np.random.permutation(chunk) for chunk in chunks]
                                   + [np.random.permutation(np.arange(full * size, n))])
        else:
            order = np.random.permutation(n)
        return order

    def batches(self):
        """One epoch of ``(x, y, sample_weight)`` batches."""
        order = self._order()
        for start in range(0, self.num_samples, self.batch_size):
            stop = start + self.batch_size
            # String columns stay NumPy arrays on the host; the rest are device arrays.
            if order is None:
                flat = [t if t is None else t[start:stop] if isinstance(t, np.ndarray)
                        else backend.core.slice_rows(t, start, stop) for t in self._flat]
            else:
                rows = order[start:stop]
                flat = [t if t is None else t[rows] if isinstance(t, np.ndarray) else backend.core.take_rows(t, rows)
                        for t in self._flat]
            x, y, sample_weight = tree.pack_sequence_as(self._structure, flat)
            if self._class_weighting is not None:
                sample_weight = self._class_weighting.apply(self._class_plan, y, sample_weight)
            yield x, y, sample_weight

    def on_epoch_begin(self) -> None:
        pass

    def on_epoch_end(self) -> None:
        pass
