"""``ModelCheckpoint``: save the model (or its weights) during ``fit``, atomically."""

from __future__ import annotations

import os

from lamina.callbacks.monitor import MonitorCallback
from lamina.utils.io_utils import print_msg


class ModelCheckpoint(MonitorCallback):
    """Saves the model or its weights every epoch (or every ``save_freq`` batches).

    ``filepath`` may hold ``str.format`` fields filled from the epoch (1-based), the batch (1-based, with
    an integer ``save_freq``) and the logs: ``"ckpt/{epoch:02d}-{val_loss:.2f}.keras"``. Unlike Keras,
    any file name is accepted. The savers write each file under a temporary name in the same folder and
    rename it when complete, so an interrupted save leaves the previous checkpoint.

    Args:
        filepath: where to save (a format string, see above).
        monitor: the logged quantity that decides what is best (with ``save_best_only``).
        verbose: 1 prints a line per save decision.
        save_best_only: save only when ``monitor`` improves on the best value so far.
        save_weights_only: ``model.save_weights(path)`` instead of ``model.save(path)``.
        mode: ``"auto"``, ``"min"`` or ``"max"`` (see ``MonitorCallback``).
        save_freq: ``"epoch"``, or a number of training batches between saves.
        initial_value_threshold: the value a first save (with ``save_best_only``) must beat.

    Example:
        >>> checkpoint = ModelCheckpoint("best.keras", save_best_only=True)
        >>> model.fit(x, y, validation_split=0.2, epochs=10, callbacks=[checkpoint])  # doctest: +SKIP
    """

    def __init__(self, filepath, monitor: str = "val_loss", verbose: int = 0, save_best_only: bool = False,
                 save_weights_only: bool = False, mode: str = "auto", save_freq: str | int = "epoch",
                 initial_value_threshold: float | None = None):
        super().__init__(monitor, mode, initial_best=initial_value_threshold, verbose=verbose)
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(
                f"Invalid value for argument `save_freq` of ModelCheckpoint. Expected 'epoch' or a positive "
                f"integer. Received: save_freq={save_freq!r}"
            )
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._current_epoch = 0
        self._batches_since_save = 0
        self._last_batch = -1

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        # Batch indices may jump (several steps per call); a smaller index means a new epoch began.
        steps = batch + 1 if batch <= self._last_batch else batch - self._last_batch
        self._last_batch = batch
        self._batches_since_save += steps
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _save(self, epoch: int, batch: int | None, logs) -> None:
        logs = dict(logs or {})  # a lazy batch mapping is read once, here
        filepath = self._filepath(epoch, batch, logs)
        if not self._should_save(epoch, filepath, logs):
            return
        save = self.model.save_weights if self.save_weights_only else self.model.save
        if os.path.isdir(filepath):
            raise IsADirectoryError(
                f"ModelCheckpoint needs a file path, not an existing directory. Received: filepath={filepath}"
            )
        os.makedirs(os.path.dirname(os.path.abspath(filepath)), exist_ok=True)
        save(filepath)  # the savers write atomically themselves

    def _should_save(self, epoch: int, filepath: str, logs: dict) -> bool:
        if not self.save_best_only:
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        self._resolve_direction()
        current = self._monitored_value(logs)
        if current is None:
            return True  # as Keras: without the quantity, every checkpoint is kept
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to {current:.5f}, "
                      f"saving model to {filepath}")
            self.best = current
            return True
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
        return False

    def _filepath(self, epoch: int, batch: int | None, logs: dict) -> str:
        fields = dict(logs, epoch=epoch + 1)
        if batch is not None and "batch" not in logs:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as error:
            raise KeyError(
                f'Failed to format the ModelCheckpoint filepath "{self.filepath}": no value for {error}. '
                f"Available: {sorted(fields)}"
            ) from None
