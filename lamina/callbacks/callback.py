"""``Callback``: the base class of objects that ``fit``, ``evaluate`` and ``predict`` call at fixed points.

Every hook does nothing here; subclasses override the ones they need. ``CallbackList`` calls only the
hooks a callback overrides, so an unused per-batch hook costs nothing on the training hot path.
"""

from __future__ import annotations

# Hooks whose old Keras name is still honoured: overriding ``on_batch_end`` means ``on_train_batch_end``.
TRAIN_BATCH_ALIASES = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


class Callback:
    """Base class for training callbacks (Keras' ``keras.callbacks.Callback``).

    Attributes:
        model: the model being trained, evaluated or run (set by ``set_model``).
        params: the loop's parameters: ``{"epochs": ..., "steps": ..., "verbose": ...}``.

    Batch-end ``logs`` in ``fit`` are a lazy mapping: reading a value copies it from the device (a host
    sync), so a callback should read them only when it needs them. Epoch-end logs hold plain floats and
    may be edited (``ReduceLROnPlateau`` adds ``learning_rate``).

    Example:
        >>> class PrintLoss(Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         print(epoch, logs["loss"])
    """

    def __init__(self):
        self.model = None
        self.params: dict = {}

    def set_params(self, params: dict) -> None:
        self.params = params

    def set_model(self, model) -> None:
        self.model = model

    def on_batch_begin(self, batch: int, logs=None) -> None:
        """Old name of ``on_train_batch_begin``, called from it."""

    def on_batch_end(self, batch: int, logs=None) -> None:
        """Old name of ``on_train_batch_end``, called from it."""

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        """At the start of epoch ``epoch`` (0-based) of ``fit``."""

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        """At the end of an epoch of ``fit``; ``logs`` holds the epoch's metrics (``val_`` ones included)."""

    def on_train_batch_begin(self, batch: int, logs=None) -> None:
        """Before a training step."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs=None) -> None:
        """After a training step; ``logs`` holds the running metrics."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs=None) -> None:
        """Before an evaluation step (``evaluate``, or validation in ``fit``)."""

    def on_test_batch_end(self, batch: int, logs=None) -> None:
        """After an evaluation step."""

    def on_predict_batch_begin(self, batch: int, logs=None) -> None:
        """Before a prediction step."""

    def on_predict_batch_end(self, batch: int, logs=None) -> None:
        """After a prediction step; ``logs`` holds ``{"outputs": ...}``."""

    def on_train_begin(self, logs=None) -> None:
        """At the start of ``fit``."""

    def on_train_end(self, logs=None) -> None:
        """At the end of ``fit``, whether it ran all epochs or was stopped."""

    def on_test_begin(self, logs=None) -> None:
        """At the start of ``evaluate`` or of a validation pass."""

    def on_test_end(self, logs=None) -> None:
        """At the end of ``evaluate`` or of a validation pass."""

    def on_predict_begin(self, logs=None) -> None:
        """At the start of ``predict``."""

    def on_predict_end(self, logs=None) -> None:
        """At the end of ``predict``."""


HOOKS = tuple(name for name in vars(Callback) if name.startswith("on_"))


def overrides(callback: Callback, hook: str) -> bool:
    """Whether ``callback`` does something in ``hook`` (a method override or an instance attribute)."""
    if hook in vars(callback) or getattr(type(callback), hook) is not getattr(Callback, hook):
        return True
    alias = TRAIN_BATCH_ALIASES.get(hook)
    return alias is not None and overrides(callback, alias)
