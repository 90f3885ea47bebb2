"""Shared by the benchmarks: the datasets (real data from ../shared/datasets when present, else synthetic
stand-ins of the same shapes), a median-of-repeats timer and the lamina-against-hand-written epoch timer."""

from __future__ import annotations

import csv
import os
import statistics
import time

import numpy as np

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets")
SHARED_MNIST = os.path.join(SHARED, "mnist.npz")
VOCABULARY = 60  # the seeds' character models embed 60 symbols; id 0 is padding and unknown characters


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


def compare_epochs(workload: str, model, x, y, batch_size: int, reference_epoch, reference_name: str,
                   epochs: int, data_note: str) -> None:
    """Time lamina's ``fit`` against a hand-written epoch, alternating so machine noise hits both; print the
    first epochs (they include compiling on JAX), the per-epoch medians and the ratio lamina / hand-written."""
    import lamina

    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    lamina_first = time.perf_counter() - start
    start = time.perf_counter()
    reference_epoch()
    reference_first = time.perf_counter() - start
    lamina_times, reference_times = [], []
    for _ in range(epochs):
        lamina_times.append(median_seconds(lambda: model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0), 1))
        reference_times.append(median_seconds(reference_epoch, 1))
    lamina_s, reference_s = statistics.median(lamina_times), statistics.median(reference_times)
    print(f"{workload} on {lamina.backend.backend()}, {data_note}, batch {batch_size}: first epoch lamina "
          f"{lamina_first:.2f} s, {reference_name} {reference_first:.2f} s; epoch median of {epochs}: "
          f"{reference_name} {reference_s:.2f} s, lamina {lamina_s:.2f} s, ratio {lamina_s / reference_s:.2f}x")
