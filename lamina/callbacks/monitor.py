"""``MonitorCallback``: the shared logic of callbacks that watch one logged quantity for improvement."""

from __future__ import annotations

import math
import warnings

from lamina.callbacks.callback import Callback


def _metrics_of(model):
    """All metrics reachable from ``model.metrics``, containers and their members alike."""
    stack = list(getattr(model, "metrics", None) or ())
    while stack:
        metric = stack.pop()
        yield metric
        stack.extend(getattr(metric, "metrics", None) or ())


class MonitorCallback(Callback):
    """Base of ``EarlyStopping``, ``ModelCheckpoint`` and ``ReduceLROnPlateau``.

    ``mode="auto"`` picks the direction when the first value is seen: ``loss`` (and ``val_loss``, and any
    ``*_loss``) is minimized; a metric of the model that declares ``_direction`` ("up"/"down") follows it;
    a name containing ``acc`` is maximized. Otherwise the mode must be given.

    Args:
        monitor: the key of the logs to watch, e.g. ``"val_loss"``.
        mode: ``"auto"``, ``"min"`` or ``"max"``.
        min_delta: how much a value must beat the reference by to count as an improvement.
        initial_best: the value the first one must beat; ``None`` for the worst possible value.
        verbose: 1 prints a line when the callback acts.
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "auto", min_delta: float = 0.0,
                 initial_best: float | None = None, verbose: int = 0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.", stacklevel=3)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(min_delta)
        self.best = initial_best
        self.verbose = verbose
        self.wait = 0
        self._minimize: bool | None = None

    def _restart(self) -> None:
        """Forget a previous ``fit``: no best value yet, no epochs waited."""
        self.best = None
        self.wait = 0

    def _direction_is_min(self) -> bool:
        if self.mode != "auto":
            return self.mode == "min"
        name = self.monitor.removeprefix("val_")
        if name == "loss" or name.endswith("_loss"):
            return True
        for metric in _metrics_of(self.model):
            if getattr(metric, "name", None) == name and hasattr(metric, "_direction"):
                return metric._direction != "up"
        if "acc" in name:
            return False
        raise ValueError(
            f"{type(self).__name__} callback received monitor={self.monitor}, but cannot tell whether that "
            "quantity should be maximized or minimized. Pass `mode='max'` to follow its highest value, or "
            "`mode='min'` to follow its lowest."
        )

    def _resolve_direction(self) -> None:
        """Fix the direction (once the model's metrics exist) and start ``best`` at the worst value."""
        if self._minimize is None:
            self._minimize = self._direction_is_min()
        if self.best is None:
            self.best = self._worst()

    def _worst(self) -> float:
        return math.inf if self._minimize else -math.inf

    def _is_improvement(self, value: float, reference: float | None) -> bool:
        """Whether ``value`` beats ``reference`` by more than ``min_delta`` in the monitored direction."""
        if reference is None:
            return True
        if self._minimize:
            return value < reference - self.min_delta
        return value > reference + self.min_delta

    def _monitored_value(self, logs) -> float | None:
        """The monitored value from ``logs``, or ``None`` (with a warning) when it is missing."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"{type(self).__name__} is conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(logs)}",
                stacklevel=3,
            )
            return None
        return float(value)
