"""Shared by the benchmarks: the MNIST arrays (real data from ../shared/datasets when present, else a
synthetic stand-in of the same shape) and a median-of-repeats timer."""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

SHARED_MNIST = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets", "mnist.npz")


def mnist_flat():
    """(x (60000, 784) float32 in [0, 1], y (60000,) int64) and where they came from."""
    if os.path.exists(SHARED_MNIST):
        with np.load(SHARED_MNIST) as data:
            x, y = data["x_train"], data["y_train"]
        return x.reshape(len(x), -1).astype("float32") / 255.0, y.astype("int64"), "mnist.npz"
    rng = np.random.default_rng(0)
    return rng.random((60000, 784), dtype="float32"), rng.integers(0, 10, 60000), "synthetic"


def median_seconds(fn, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
