"""Progress output: Keras' line format; one clean line per epoch to a pipe; a live bar on a terminal."""

import contextlib
import io
import re
from collections.abc import Mapping

import pytest

from lamina.callbacks import CallbackList
from lamina.utils import progbar as progbar_module
from lamina.utils.progbar import Progbar, resolve_verbose

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
STEP_TIME = r"\d+(us|ms|s)/step"


@pytest.fixture
def pipe(monkeypatch):
    """stdout as a pipe would be: not a terminal, whatever the environment running the tests says."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def terminal(monkeypatch):
    """stdout as a terminal: rich treats the stream as one when TTY_COMPATIBLE=1."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that rich does not wrap the line
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@contextlib.contextmanager
def stdout():
    """What is written to stdout inside the block (pytest's own capture swaps stdout after fixtures)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        yield buffer


class CountingLogs(Mapping):
    """A lazy log mapping that counts how often a value is read (each read is a host sync in fit)."""

    def __init__(self, values):
        self._values = dict(values)
        self.reads = 0

    def __getitem__(self, key):
        self.reads += 1
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)


def run_epochs(verbose, epochs=3, steps=20, batch_logs=None):
    model = type("Model", (), {})()
    cbs = CallbackList([], add_history=True, add_progbar=True, model=model, verbose=verbose, epochs=epochs,
                       steps=steps)
    cbs.on_train_begin()
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        for batch in range(steps):
            cbs.on_train_batch_begin(batch)
            cbs.on_train_batch_end(batch, batch_logs if batch_logs is not None else {"loss": 9.0})
        cbs.on_epoch_end(epoch, {"accuracy": 0.5 + epoch / 10, "loss": 1.0 / (epoch + 1), "val_loss": 1e-4})
    cbs.on_train_end()


def test_pipe_gets_one_clean_line_per_epoch(engine, pipe):
    logs = CountingLogs({"loss": 9.0})
    with stdout() as out:
        run_epochs(1, batch_logs=logs)
    text = out.getvalue()
    assert not re.search(r"[\r\b\x1b]", text), "no control characters in a pipe"
    lines = text.splitlines()
    assert len(lines) == 6
    for epoch in range(3):
        assert lines[2 * epoch] == f"Epoch {epoch + 1}/3"
        expected = (rf"20/20 ━{{20}} \d+s {STEP_TIME} - accuracy: {0.5 + epoch / 10:.4f} - "
                    rf"loss: {1.0 / (epoch + 1):.4f} - val_loss: 1\.0000e-04")
        assert re.fullmatch(expected, lines[2 * epoch + 1]), lines[2 * epoch + 1]
    assert logs.reads == 0, "a pipe shows only epoch-end values: batch logs are never read"


def test_verbose_2_and_auto_on_a_pipe(engine, pipe):
    with stdout() as out:
        run_epochs("auto", epochs=2)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Epoch 1/2"
    assert re.fullmatch(rf"20/20 - \d+s - {STEP_TIME} - accuracy: 0\.5000 - loss: 1\.0000 - val_loss: 1\.0000e-04",
                        lines[1]), lines[1]
    assert len(lines) == 4
    assert resolve_verbose("auto") == 2


def test_verbose_0_is_silent_and_one_epoch_has_no_header(engine, pipe):
    with stdout() as out:
        run_epochs(0)
    assert out.getvalue() == ""
    with stdout() as out:
        run_epochs(1, epochs=1)
    assert out.getvalue().splitlines()[0].startswith("20/20 ━")


def test_terminal_gets_a_live_bar_read_only_when_redrawn(engine, terminal, monkeypatch):
    clock = iter(range(0, 10_000, 1))  # one second per call of the clock: every update is due

    monkeypatch.setattr(progbar_module.time, "monotonic", lambda: float(next(clock)))
    logs = CountingLogs({"loss": 9.0})
    with stdout() as out:
        run_epochs(1, epochs=1, steps=5, batch_logs=logs)
    text = out.getvalue()
    assert "\r" in text and "\x1b[" in text, "a terminal gets redraws in place, with colors"
    plain = ANSI.sub("", text)
    assert re.search(r"3/5 ━{12}━{8} \d+s 1s/step - loss: 9\.0000", plain), plain
    assert re.search(r"5/5 ━{20} \d+s 1s/step - accuracy: 0\.5000 - loss: 1\.0000 - val_loss: 1\.0000e-04\n",
                     plain), plain
    assert re.findall(r"\x1b\[\?25[lh]", text)[-1] == "\x1b[?25h", "the cursor is not left hidden"
    assert logs.reads == 5, "one read per redraw"


def test_terminal_redraws_at_most_once_per_interval(engine, terminal):
    logs = CountingLogs({"loss": 9.0})
    with stdout():
        bar = Progbar(1000, interval=3600)
        for step in range(1, 1001):
            bar.update(step, logs)
    assert logs.reads == 2, "the first update and the final one"


def test_values_averaged_unless_stateful(engine, terminal):
    with stdout() as out:
        bar = Progbar(10, interval=0, stateful_metrics=["acc"])
        bar.update(1, [("loss", 1.0), ("acc", 0.25)])
        bar.update(3, [("loss", 4.0), ("acc", 0.75)])
    last = ANSI.sub("", out.getvalue()).split("\r")[-1]
    assert last.endswith("- loss: 3.0000 - acc: 0.7500"), last  # (1*1 + 4*2) / 3


def test_formats(engine):
    assert progbar_module._format_clock(3725) == "1:02:05"
    assert progbar_module._format_clock(125) == "2:05"
    assert progbar_module._format_clock(42.4) == "42s"
    assert progbar_module._format_step_time(0.004, "step") == " 4ms/step"
    assert progbar_module._format_step_time(4e-5, "sample") == " 40us/sample"
    assert progbar_module._format_step_time(2.4, "step") == " 2s/step"
    assert progbar_module._format_value(0.28714) == "0.2871"
    assert progbar_module._format_value(-2e-5) == "-2.0000e-05"
    assert progbar_module._format_value("n/a") == "n/a"
    with pytest.raises(ValueError, match="verbose"):
        Progbar(10, verbose=3)
    with pytest.raises(ValueError, match="verbose"):
        resolve_verbose("loud")
