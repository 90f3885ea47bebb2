"""``EarlyStopping``: stop ``fit`` when a monitored quantity stops improving."""

from __future__ import annotations

from lamina.callbacks.monitor import MonitorCallback
from lamina.utils.io_utils import print_msg


class EarlyStopping(MonitorCallback):
    """Stops training after ``patience`` epochs without improvement of ``monitor`` (Keras 3 semantics).

    Args:
        monitor: the logged quantity to watch.
        min_delta: an improvement smaller than this does not count.
        patience: epochs without improvement to allow before stopping.
        verbose: 1 prints a line when stopping or restoring weights.
        mode: ``"auto"``, ``"min"`` or ``"max"`` (see ``MonitorCallback``).
        baseline: if given, epochs that do not beat it do not reset the patience count, so training
            stops after ``patience`` epochs unless the baseline is beaten.
        restore_best_weights: at the end of training (stopped early or not) set the weights of the best
            epoch seen; the best of the epochs seen is restored even if none beat ``baseline``.
        start_from_epoch: epochs of warm-up during which the quantity is not watched.

    Example:
        >>> callback = EarlyStopping(monitor="loss", patience=3)
        >>> history = model.fit(x, y, epochs=10, callbacks=[callback], verbose=0)  # doctest: +SKIP
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0, patience: int = 0, verbose: int = 0,
                 mode: str = "auto", baseline: float | None = None, restore_best_weights: bool = False,
                 start_from_epoch: int = 0):
        super().__init__(monitor, mode, min_delta, verbose=verbose)
        self.patience = patience
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self._restart()

    def on_train_begin(self, logs=None):
        self._restart()

    def _restart(self) -> None:
        super()._restart()
        self.stopped_epoch = 0
        self.best_epoch = 0
        self.best_weights = None

    def on_epoch_end(self, epoch, logs=None):
        self._resolve_direction()
        current = self._monitored_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        self.wait += 1
        improved = self._is_improvement(current, self.best)
        if improved or (self.restore_best_weights and self.best_weights is None):
            self._remember(epoch)  # with no best yet, the first watched epoch's weights are the best
        if improved:
            self.best = current
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def _remember(self, epoch: int) -> None:
        self.best_epoch = epoch
        if self.restore_best_weights:
            self.best_weights = self.model.get_weights()
