"""Shared by the benchmarks: the datasets (real data from ../shared/datasets when present, else synthetic
stand-ins of the same shapes), a median-of-repeats timer and ``TrainingWorkload``, the epoch timer of lamina's
``fit`` and of the hand-written loops. lamina, torch and JAX are imported only by the part that uses them."""

from __future__ import annotations

import csv
import dataclasses
import os
import statistics
import time
from collections.abc import Callable

import harness
import numpy as np

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets")
SHARED_MNIST = os.path.join(SHARED, "mnist.npz")
VOCABULARY = 60  # the seeds' character models embed 60 symbols; id 0 is padding and unknown characters
QUICK_FRACTION = 10  # quick mode keeps one row in this many


def mnist_flat():
    """(x (60000, 784) float32 in [0, 1], y (60000,) int64) and where they came from."""
    if os.path.exists(SHARED_MNIST):
        with np.load(SHARED_MNIST) as data:
            x, y = data["x_train"], data["y_train"]
        return x.reshape(len(x), -1).astype("float32") / 255.0, y.astype("int64"), "mnist.npz"
    rng = np.random.default_rng(0)
    return rng.random((60000, 784), dtype="float32"), rng.integers(0, 10, 60000), "synthetic"


def mnist_images(rows: int):
    """(x (rows, 28, 28, 1) float32 in [0, 1], y (rows,) int64) and where they came from."""
    x, y, source = mnist_flat()
    return x[:rows].reshape(rows, 28, 28, 1), y[:rows], source


def _char_ids(text: str, alphabet: str) -> np.ndarray:
    table = {c: i + 1 for i, c in enumerate(alphabet[:VOCABULARY - 1])}
    return np.array([table.get(c, 0) for c in text], "int32")


def toxic_comment_chars(length: int):
    """Jigsaw comments as (x (5000, length) int32 character ids, zero-padded; y (5000, 1) float32 "is_bad")."""
    path = os.path.join(SHARED, "jigsaw-toxic-sample", "train_5k.csv")
    if not os.path.exists(path):
        rng = np.random.default_rng(0)
        return (rng.integers(0, VOCABULARY, (5000, length)).astype("int32"),
                rng.integers(0, 2, (5000, 1)).astype("float32"), "synthetic")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 .,;:!?'\"-()/\n"
    x = np.zeros((len(rows), length), "int32")
    for i, row in enumerate(rows):
        ids = _char_ids(row["comment_text"].lower()[:length], alphabet)
        x[i, :len(ids)] = ids
    y = np.array([[row["is_bad"] == "True"] for row in rows], "float32")
    return x, y, "jigsaw train_5k"


def nietzsche_windows(length: int, step: int):
    """Next-character windows of nietzsche.txt, as Keras' text-generation example cuts them:
    (x (n, length) int32 character ids, y (n,) int64 id of the following character)."""
    path = os.path.join(SHARED, "nietzsche.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            text, source = f.read().lower(), "nietzsche.txt"
    else:
        rng = np.random.default_rng(0)
        text, source = "".join(rng.choice(list("abcdefghij .,"), 600000)), "synthetic"
    ids = _char_ids(text, "".join(sorted(set(text))))
    starts = np.arange(0, len(ids) - length, step)
    x = ids[starts[:, None] + np.arange(length)]
    return x, ids[starts + length].astype("int64"), source


def median_seconds(fn, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def quick_rows(count: int, quick: bool) -> int:
    """How many rows a run uses: all, or a tenth in quick mode (a smoke check)."""
    return max(1, count // QUICK_FRACTION) if quick else count


def _lamina_epoch_times(model, x, y, batch_size: int, epochs: int) -> list:
    """Seconds of each epoch of one ``fit``: the first from the call (setup and compiling included), the
    others from one epoch's end to the next."""
    import lamina

    ends = []

    class EpochClock(lamina.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            ends.append(time.perf_counter())

    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=[EpochClock()])
    return [end - previous for previous, end in zip([start] + ends, ends)]


@dataclasses.dataclass(frozen=True)
class TrainingWorkload:
    """Epoch time of one model trained by lamina's ``fit`` and by hand-written torch and JAX loops.

    ``data()`` returns (x, y, where they came from); ``lamina_model()`` a compiled lamina model;
    ``torch_loop(x, y)`` and ``jax_loop(x, y)`` a function running one hand-written epoch.
    """

    name: str
    script: str
    data: Callable
    lamina_model: Callable
    torch_loop: Callable
    jax_loop: Callable
    batch_size: int

    @property
    def rows(self) -> tuple:
        return (self.name,)

    def measure(self, part: str, quick: bool, epochs: int) -> dict:
        """One part's first epoch, median epoch and compile counts (see ``harness``)."""
        x, y, source = self.data()
        rows = quick_rows(len(x), quick)
        x, y = x[:rows], y[:rows]
        if harness.runs_model(part):
            model = self.lamina_model()
            times = _lamina_epoch_times(model, x, y, self.batch_size, 1 + epochs)
            compiles = harness.compile_counts(model)
        else:
            epoch = (self.torch_loop if part == "torch" else self.jax_loop)(x, y)
            times = [median_seconds(epoch, 1) for _ in range(1 + epochs)]
            compiles = getattr(epoch, "compiles", lambda: None)()
        return {"rows": {self.name: {"first_s": times[0], "seconds": statistics.median(times[1:])}},
                "compiles": compiles, "data": f"{source}, {' x '.join(map(str, x.shape))}, batch {self.batch_size}"}
