"""``ProgbarLogger``: the progress bar of ``fit``, ``evaluate`` and ``predict``."""

from __future__ import annotations

from lamina.callbacks.callback import Callback
from lamina.utils.io_utils import print_msg
from lamina.utils.progbar import Progbar, resolve_verbose

# Seconds between two redraws of a live bar: each redraw reads the running metrics from the device.
REFRESH_INTERVAL = 0.2


class ProgbarLogger(Callback):
    """Shows one ``Progbar`` per epoch (``Epoch 3/10`` above it when there are several epochs).

    Validation inside ``fit`` shows no bar of its own: its metrics appear on the epoch's last line.

    Args:
        verbose: 0, 1, 2 or ``"auto"`` (1 on a terminal or notebook, 2 for a pipe or file). ``None`` takes
            the ``verbose`` of the loop's params.
    """

    def __init__(self, verbose: int | str | None = None):
        super().__init__()
        self._requested_verbose = verbose
        self.verbose = 1 if verbose is None else resolve_verbose(verbose)
        self.epochs = 1
        self.target: int | None = None
        self.progbar: Progbar | None = None
        self.seen = 0
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1) if self._requested_verbose is None else self._requested_verbose
        self.verbose = resolve_verbose(verbose)
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._start_bar()
        if self.verbose and self.epochs > 1:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._advance(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._finish(logs)

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._start_bar()

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._advance(batch, logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finish(logs)

    def on_predict_begin(self, logs=None):
        self._start_bar()

    def on_predict_batch_end(self, batch, logs=None):
        self._advance(batch, None)  # predictions are not metrics

    def on_predict_end(self, logs=None):
        self._finish(None)

    def _start_bar(self) -> None:
        self.seen = 0
        self.progbar = Progbar(self.target, verbose=self.verbose, interval=REFRESH_INTERVAL, unit_name="step")

    def _advance(self, batch: int, logs) -> None:
        self.seen = batch + 1
        self.progbar.update(self.seen, logs, finalize=False)

    def _finish(self, logs) -> None:
        if self.target is None:  # learnt from the first pass, kept for the next epochs
            self.target = self.progbar.target = self.seen
        self.progbar.update(self.progbar.target, logs, finalize=True)
