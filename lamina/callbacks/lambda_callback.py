"""``LambdaCallback``: a callback built from plain functions."""

from __future__ import annotations

from collections.abc import Callable

from lamina.callbacks.callback import HOOKS, Callback


class LambdaCallback(Callback):
    """Calls the given functions at the matching hooks.

    Epoch hooks receive ``(epoch, logs)``, batch hooks ``(batch, logs)``, begin/end hooks ``(logs)``. Other
    hooks (``on_test_begin=...``, ...) may be passed by name as keyword arguments.

    Example:
        >>> print_epoch = LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))
    """

    def __init__(self, on_epoch_begin: Callable | None = None, on_epoch_end: Callable | None = None,
                 on_train_begin: Callable | None = None, on_train_end: Callable | None = None,
                 on_train_batch_begin: Callable | None = None, on_train_batch_end: Callable | None = None,
                 **kwargs: Callable):
        super().__init__()
        unknown = sorted(set(kwargs) - set(HOOKS))
        if unknown:
            raise ValueError(f"LambdaCallback got unknown hooks {unknown}. Expected names among {list(HOOKS)}")
        functions = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end, on_train_begin=on_train_begin,
                         on_train_end=on_train_end, on_train_batch_begin=on_train_batch_begin,
                         on_train_batch_end=on_train_batch_end, **kwargs)
        for hook, function in functions.items():
            if function is not None:
                setattr(self, hook, function)
