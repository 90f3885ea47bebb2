"""Keras 1's ``keras.callbacks``: lamina's callbacks, with Keras 1's arguments where they differ.

``EarlyStopping`` counts patience as Keras 1 did: it stopped once more than ``patience`` epochs in a row had
not improved (Keras 2 and 3 stop once ``patience`` have), so it is Keras 3's with ``patience + 1``.
``ModelCheckpoint(period=n)`` saves every ``n`` epochs; ``ReduceLROnPlateau(epsilon=...)`` is ``min_delta``.
``{epoch}`` in a checkpoint's file name counts from 1, as in Keras 2 (Keras 1 counted from 0).
"""

from __future__ import annotations

from lamina import callbacks
from lamina.callbacks import (  # Keras 1's names, unchanged
    Callback,
    CallbackList,
    CSVLogger,
    History,
    LambdaCallback,
    LearningRateScheduler,
    ProgbarLogger,
    TerminateOnNaN,
)
from lamina.legacy.deprecation import warn_old_spelling


class EarlyStopping(callbacks.EarlyStopping):
    """``EarlyStopping(monitor='val_loss', min_delta=0, patience=0, verbose=0, mode='auto')``, stopping after
    ``patience + 1`` epochs without improvement as Keras 1 did (``self.patience`` holds Keras 3's count)."""

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0, patience: int = 0, verbose: int = 0,
                 mode: str = "auto", **kwargs):
        super().__init__(monitor=monitor, min_delta=min_delta, patience=patience + 1, verbose=verbose, mode=mode,
                         **kwargs)


class ModelCheckpoint(callbacks.ModelCheckpoint):
    """``ModelCheckpoint(filepath, monitor='val_loss', verbose=0, save_best_only=False, save_weights_only=False,
    mode='auto', period=1)``: ``period`` is the number of epochs between checkpoints."""

    def __init__(self, filepath, monitor: str = "val_loss", verbose: int = 0, save_best_only: bool = False,
                 save_weights_only: bool = False, mode: str = "auto", period: int | None = None, **kwargs):
        if period is not None:
            warn_old_spelling("ModelCheckpoint(period=...)", "ModelCheckpoint(save_freq=...)")
        super().__init__(filepath, monitor=monitor, verbose=verbose, save_best_only=save_best_only,
                         save_weights_only=save_weights_only, mode=mode, **kwargs)
        self.period = period or 1
        self._epochs_since_save = 0

    def on_epoch_end(self, epoch, logs=None):
        self._epochs_since_save += 1
        if self._epochs_since_save >= self.period:
            self._epochs_since_save = 0
            super().on_epoch_end(epoch, logs)


class ReduceLROnPlateau(callbacks.ReduceLROnPlateau):
    """``ReduceLROnPlateau(monitor='val_loss', factor=0.1, patience=10, verbose=0, mode='auto', epsilon=1e-4,
    cooldown=0, min_lr=0)``: Keras 1's ``epsilon`` is ``min_delta``."""

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10, verbose: int = 0,
                 mode: str = "auto", epsilon: float | None = None, cooldown: int = 0, min_lr: float = 0.0,
                 **kwargs):
        if epsilon is not None:
            warn_old_spelling("ReduceLROnPlateau(epsilon=...)", "ReduceLROnPlateau(min_delta=...)")
            kwargs["min_delta"] = epsilon
        super().__init__(monitor=monitor, factor=factor, patience=patience, verbose=verbose, mode=mode,
                         cooldown=cooldown, min_lr=min_lr, **kwargs)


__all__ = ["Callback", "CallbackList", "CSVLogger", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau", "TerminateOnNaN"]
