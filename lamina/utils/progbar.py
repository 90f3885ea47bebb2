"""``Progbar``: Keras' progress bar, drawn with ``rich``.

The text is Keras 3's: during an epoch ``234/469 ━━━━━━━━━━━━━━━━━━━━ 1s 4ms/step - loss: 0.2871`` (the
clock is the ETA), at its end the elapsed time instead (``469/469 ━━━━━━━━━━━━━━━━━━━━ 2s 4ms/step - ...``);
``verbose=2`` prints only the end of epoch line ``469/469 - 2s - 4ms/step - loss: 0.2871``.

Where the text goes decides how it is drawn. A terminal, or a Jupyter notebook with ``ipywidgets``, gets
a live bar redrawn in place at most once per ``interval`` seconds. Anything else (a pipe, a log file, a
notebook without widgets) gets exactly one plain line per bar, when it finishes: no ``\\r``, ``\\b`` or
ANSI escape codes; after ``config.disable_interactive_logging()`` that line goes to the ``lamina`` logger.
Values are read only when a line is drawn: reading a training log is a host sync.
"""

from __future__ import annotations

import importlib.util
import math
import time
from collections.abc import Iterable, Mapping

import numpy as np

from lamina import config
from lamina.utils.io_utils import print_msg

# rich is imported where a bar is first drawn, not with lamina: it costs ~0.1-0.2 s to import.

_BAR = "━"


def _live_display_possible(console) -> bool:
    """Whether ``console`` can redraw a line in place: a real terminal, or a notebook with widgets."""
    if console.is_jupyter:
        return importlib.util.find_spec("ipywidgets") is not None
    return console.is_terminal and not console.is_dumb_terminal


def resolve_verbose(verbose: int | str) -> int:
    """``fit``'s verbosity as a number: ``"auto"`` is 1 (live bar) on a terminal or notebook, 2 elsewhere."""
    if verbose == "auto":
        from rich.console import Console

        return 1 if _live_display_possible(Console()) else 2
    if verbose not in (0, 1, 2):
        raise ValueError("Invalid value for argument `verbose`. Expected 0, 1, 2 or 'auto'. "
                         f"Received: verbose={verbose!r}")
    return int(verbose)


def _format_step_time(seconds: float, unit_name: str) -> str:
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def _format_clock(seconds: float) -> str:
    if seconds > 3600:
        return f"{seconds // 3600:.0f}:{(seconds % 3600) // 60:02.0f}:{seconds % 60:02.0f}"
    if seconds > 60:
        return f"{seconds // 60:.0f}:{seconds % 60:02.0f}"
    return f"{seconds:.0f}s"


def _format_value(value) -> str:
    """A metric as Keras shows it: 4 decimals, scientific notation for tiny magnitudes."""
    try:
        number = float(value)
    except TypeError:
        try:
            number = float(np.mean(np.asarray(value)))
        except (TypeError, ValueError):
            return str(value)
    except ValueError:
        return str(value)
    return f"{number:.4f}" if abs(number) > 1e-3 else f"{number:.4e}"


class Progbar:
    """A progress bar for a loop of ``target`` steps (Keras' ``keras.utils.Progbar``).

    Args:
        target: total number of steps, or ``None`` if unknown.
        width: width of the bar in characters.
        verbose: 0 (silent), 1 (a bar; live where the output allows it) or 2 (one line at the end).
        interval: the least time in seconds between two redraws of a live bar.
        stateful_metrics: names of values shown as given; other values passed as ``(name, value)`` pairs
            are averaged over the steps seen.
        unit_name: the name of a step in the time per step (``"step"``, ``"sample"``).

    Example:
        >>> bar = Progbar(100)
        >>> for step in range(100):  # doctest: +SKIP
        ...     bar.update(step + 1, [("loss", 0.5)])
    """

    def __init__(self, target: int | None, width: int = 20, verbose: int = 1, interval: float = 0.05,
                 stateful_metrics: Iterable[str] | None = None, unit_name: str = "step"):
        if verbose not in (0, 1, 2):
            raise ValueError("Invalid value for argument `verbose` of Progbar. Expected 0, 1 or 2. "
                             f"Received: verbose={verbose!r}")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.stateful_metrics = set(stateful_metrics or ())
        self.unit_name = unit_name
        if verbose == 1:
            from rich.console import Console

            self._console = Console(highlight=False)
        else:
            self._console = None
        self._redraws = (self._console is not None and config.is_interactive_logging_enabled()
                         and _live_display_possible(self._console))
        self._live = None
        self._sums: dict[str, list] = {}  # name -> [weighted sum or latest value, weight]
        self._logs: Mapping = {}
        self._seen_so_far = 0
        self._start = time.monotonic()
        self._last_update = -math.inf
        self._time_after_first_step: float | None = None

    def update(self, current: int, values: Iterable[tuple[str, object]] | Mapping | None = None,
               finalize: bool | None = None) -> None:
        """Record that ``current`` steps are done, and redraw if it is time to.

        Args:
            current: the number of steps done.
            values: ``(name, value)`` pairs for the last step (averaged over steps unless the name is in
                ``stateful_metrics``), or a mapping of current values such as ``fit``'s logs, shown as they
                are and read only when a line is drawn.
            finalize: whether this is the last update; defaults to ``current >= target``.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if isinstance(values, Mapping):
            self._logs = values
        elif values:
            self._accumulate(current, values, finalize)
        now = time.monotonic()
        time_per_unit = self._step_duration(current, now)
        self._seen_so_far = current
        if self.verbose == 0 or not (finalize or (self._redraws and now - self._last_update >= self.interval)):
            return
        self._last_update = now
        self._draw(self._line(current, now, time_per_unit, finalize), finalize)

    def add(self, n: int, values: Iterable[tuple[str, object]] | Mapping | None = None) -> None:
        """Advance by ``n`` steps."""
        self.update(self._seen_so_far + n, values)

    def _accumulate(self, current: int, values: Iterable[tuple[str, object]], finalize: bool) -> None:
        for name, value in values:
            if name in self.stateful_metrics or finalize:
                self._sums[name] = [value, 1]
            else:
                steps = max(current - self._seen_so_far, 1)
                total = self._sums.setdefault(name, [0.0, 0])
                total[0] = total[0] + value * steps
                total[1] += steps

    def _step_duration(self, current: int, now: float) -> float:
        """Seconds per step, leaving out the first step (compilation, warm-up) once there are others."""
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            duration = (now - self._time_after_first_step) / (current - 1)
        else:
            duration = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return duration

    def _metric_items(self):
        for name, (total, weight) in self._sums.items():
            if name not in self._logs:
                yield name, total / weight if weight != 1 else total
        yield from self._logs.items()

    def _count(self, current: int) -> str:
        if not self.target:
            return f"{current:7d}/Unknown"
        digits = int(math.log10(self.target)) + 1
        return f"{current:{digits}d}/{self.target}"

    def _line(self, current: int, now: float, time_per_unit: float, finalize: bool):
        from rich.text import Text

        line = Text()
        if self.verbose == 2:
            line.append(f"{self._count(current)} - {now - self._start:.0f}s -")
        else:
            line.append(self._count(current), style="bold")
            if self.target:
                done = min(int(self.width * current / self.target), self.width)
                line.append(" ")
                line.append(_BAR * done, style="green")
                line.append(_BAR * (self.width - done), style="bright_black")
            if self.target and not finalize:
                clock = _format_clock(time_per_unit * (self.target - current))
            else:
                clock = f"{now - self._start:.0f}s"
            line.append(" ")
            line.append(clock, style="bold")
        line.append(_format_step_time(time_per_unit, self.unit_name))
        for name, value in self._metric_items():
            line.append(f" - {name}: {_format_value(value)}")
        return line

    def _draw(self, line, finalize: bool) -> None:
        if not self._redraws:
            print_msg(line.plain)
            return
        if self._live is None:
            from rich.live import Live

            self._live = Live(console=self._console, auto_refresh=False, redirect_stdout=False,
                              redirect_stderr=False)
            self._live.start()
            # Live hides the cursor until it stops; an interrupted fit must not leave the terminal without one.
            self._console.show_cursor(True)
        # Stopping redraws the last line on a terminal, but not in a notebook.
        self._live.update(line, refresh=not finalize or self._console.is_jupyter)
        if finalize:
            self._live.stop()
            self._live = None
