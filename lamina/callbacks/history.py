"""``History``: records each epoch's logs; ``fit`` returns it."""

from __future__ import annotations

from lamina.callbacks.callback import Callback


class History(Callback):
    """Collects the epoch-end logs of ``fit``.

    Attributes:
        history: ``{"loss": [epoch 1, epoch 2, ...], "val_loss": [...], ...}``.
        epoch: the (0-based) indices of the epochs recorded.

    Example:
        >>> history = model.fit(x, y, epochs=3, verbose=0)  # doctest: +SKIP
        >>> history.history["loss"]  # doctest: +SKIP
        [0.52, 0.31, 0.22]
    """

    def __init__(self):
        super().__init__()
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
        self.model.history = self
