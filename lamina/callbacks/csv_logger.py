"""``CSVLogger``: append each epoch's logs to a CSV file."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable

from lamina.callbacks.callback import Callback


def _csv_value(value):
    """Strings and scalars as they are; a sequence as ``"[a, b]"`` (quoted, Keras' form)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value
    if getattr(value, "ndim", None) == 0:
        return value
    return f"\"[{', '.join(map(str, value))}]\""


class CSVLogger(Callback):
    """Writes one CSV row per epoch: ``epoch`` (0-based) then the logs' keys in sorted order.

    When the first epoch has no ``val_`` keys (validation every few epochs), ``val_`` columns are added
    for every key, and epochs without them get ``NA``. The file is flushed after every row.

    Args:
        filename: the CSV file.
        separator: the column separator.
        append: add to an existing file (its header is kept) instead of overwriting it.

    Example:
        >>> model.fit(x, y, epochs=5, callbacks=[CSVLogger("training.csv")])  # doctest: +SKIP
    """

    def __init__(self, filename, separator: str = ",", append: bool = False):
        super().__init__()
        self.filename = os.fspath(filename)
        self.sep = separator
        self.append = append
        self.keys: list[str] | None = None
        self.csv_file = None
        self.writer = None
        self._write_header = True

    def on_train_begin(self, logs=None):
        self._write_header = True
        if self.append and os.path.exists(self.filename):
            with open(self.filename, encoding="utf-8") as existing:
                self._write_header = not existing.readline()
        self.csv_file = open(self.filename, "a" if self.append else "w", newline="", encoding="utf-8")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if not any(key.startswith("val_") for key in self.keys):
                self.keys += [f"val_{key}" for key in self.keys]
        if self.writer is None:
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch", *self.keys], delimiter=self.sep)
            if self._write_header:
                self.writer.writeheader()
        self.writer.writerow({"epoch": epoch, **{key: _csv_value(logs.get(key, "NA")) for key in self.keys}})
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        self.csv_file.close()
        self.writer = None
