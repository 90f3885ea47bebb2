"""``LearningRateScheduler``: set the learning rate at the start of each epoch from a function."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from lamina.callbacks.callback import Callback
from lamina.callbacks.learning_rate import get_learning_rate, set_learning_rate
from lamina.utils.io_utils import print_msg


def _takes_two_arguments(function: Callable) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature: assume the modern form
        return True
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate to ``schedule(epoch, lr)`` (or ``schedule(epoch)``) each epoch.

    ``epoch`` is 0-based and ``lr`` is the current rate. Each epoch's logs gain ``learning_rate``.

    Args:
        schedule: a function of the epoch (and the current rate) returning the new rate as a float.
        verbose: 1 prints the new rate at each epoch.

    Example:
        >>> def schedule(epoch, lr):
        ...     return lr if epoch < 10 else lr * 0.9
        >>> model.fit(x, y, epochs=15, callbacks=[LearningRateScheduler(schedule)])  # doctest: +SKIP
    """

    def __init__(self, schedule: Callable, verbose: int = 0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose
        self._pass_rate = _takes_two_arguments(schedule)

    def on_epoch_begin(self, epoch, logs=None):
        if self._pass_rate:
            rate = self.schedule(epoch, get_learning_rate(self.model))
        else:
            rate = self.schedule(epoch)
        try:
            rate = float(rate)
        except (TypeError, ValueError):
            raise ValueError(
                f"The output of the `schedule` function of LearningRateScheduler should be a float. Got: {rate!r}"
            ) from None
        set_learning_rate(self.model, rate)
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {rate}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(self.model)
