"""``ReduceLROnPlateau``: lower the learning rate when a monitored quantity stops improving."""

from __future__ import annotations

from lamina.callbacks.learning_rate import get_learning_rate, set_learning_rate
from lamina.callbacks.monitor import MonitorCallback
from lamina.utils.io_utils import print_msg


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by ``factor`` after ``patience`` epochs without improvement.

    Each epoch's logs gain ``learning_rate`` (so ``History`` records it).

    Args:
        monitor: the logged quantity to watch.
        factor: the multiplier, below 1.
        patience: epochs without improvement before a reduction.
        verbose: 1 prints a line at each reduction.
        mode: ``"auto"``, ``"min"`` or ``"max"`` (see ``MonitorCallback``).
        min_delta: an improvement smaller than this does not count.
        cooldown: epochs after a reduction during which no improvement is awaited.
        min_lr: the rate is never reduced below this.

    Example:
        >>> reduce_lr = ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=0.001)
        >>> model.fit(x, y, validation_split=0.2, callbacks=[reduce_lr])  # doctest: +SKIP
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10, verbose: int = 0,
                 mode: str = "auto", min_delta: float = 1e-4, cooldown: int = 0, min_lr: float = 0.0):
        super().__init__(monitor, mode, min_delta, verbose=verbose)
        if factor >= 1.0:
            raise ValueError(
                f"Invalid value for argument `factor` of ReduceLROnPlateau. Expected a float below 1. "
                f"Received: factor={factor}"
            )
        self.factor = factor
        self.patience = patience
        self.cooldown = cooldown
        self.min_lr = min_lr
        self._restart()

    def on_train_begin(self, logs=None):
        self._restart()

    def _restart(self) -> None:
        super()._restart()
        self.cooldown_counter = 0

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        logs = {} if logs is None else logs
        logs["learning_rate"] = get_learning_rate(self.model)
        self._resolve_direction()
        current = self._monitored_value(logs)
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
            return
        if self.in_cooldown():
            return
        self.wait += 1
        if self.wait < self.patience:
            return
        old_lr = logs["learning_rate"]
        if old_lr > self.min_lr:
            new_lr = max(old_lr * self.factor, self.min_lr)
            set_learning_rate(self.model, new_lr)
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
            self.cooldown_counter = self.cooldown
            self.wait = 0
