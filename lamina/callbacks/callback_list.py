"""``CallbackList``: the callbacks of one ``fit``/``evaluate``/``predict`` call, behind one set of hooks."""

from __future__ import annotations

from lamina import tree
from lamina.callbacks.callback import HOOKS, Callback, overrides
from lamina.callbacks.history import History
from lamina.callbacks.progbar_logger import ProgbarLogger


class CallbackList(Callback):
    """Calls each hook on every callback that implements it, in order.

    Args:
        callbacks: a list (possibly nested) of ``Callback`` instances.
        add_history: append a ``History`` unless one is in ``callbacks``.
        add_progbar: append a ``ProgbarLogger`` unless one is in ``callbacks``.
        model: the model, given to every callback (``set_model``).
        **params: the loop's parameters (``epochs``, ``steps``, ``verbose``), given to every callback.

    The callbacks that implement each hook are worked out at the start of a loop (``on_train_begin``,
    ``on_test_begin``, ``on_predict_begin``), so a per-batch hook nobody implements costs one empty loop.

    Example:
        >>> model = lamina.Sequential([lamina.Input((2,)), Dense(1)])
        >>> callbacks = CallbackList([lamina.callbacks.EarlyStopping()], add_history=True, model=model, epochs=3,
        ...                          steps=10, verbose=0)
        >>> callbacks.on_train_begin()
    """

    def __init__(self, callbacks=None, add_history: bool = False, add_progbar: bool = False, model=None,
                 **params):
        super().__init__()
        self.callbacks: list[Callback] = tree.flatten(callbacks) if callbacks else []
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    "CallbackList expects `keras.callbacks.Callback` instances. "
                    f"Received: {callback!r} of type {type(callback).__name__}"
                )
        self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        self.set_model(model)
        self.set_params(params)
        self._collect_handlers()

    def append(self, callback: Callback) -> None:
        self.callbacks.append(callback)
        self._collect_handlers()

    def set_params(self, params: dict) -> None:
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model) -> None:
        if model is None:
            return
        self.model = model
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _collect_handlers(self) -> None:
        self._handlers = {
            hook: [getattr(c, hook) for c in self.callbacks if overrides(c, hook)] for hook in HOOKS
        }

    def _call(self, hook: str, logs, *position) -> None:
        logs = {} if logs is None else logs
        for handler in self._handlers[hook]:
            handler(*position, logs)

    def on_batch_begin(self, batch, logs=None):
        self._call("on_batch_begin", logs, batch)

    def on_batch_end(self, batch, logs=None):
        self._call("on_batch_end", logs, batch)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", logs, epoch)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", logs, epoch)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", logs, batch)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", logs, batch)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", logs, batch)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", logs, batch)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", logs, batch)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", logs, batch)

    def on_train_begin(self, logs=None):
        self._collect_handlers()
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_test_begin(self, logs=None):
        self._collect_handlers()
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._collect_handlers()
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)
