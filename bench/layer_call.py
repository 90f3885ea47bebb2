"""Eager cost of one Dense(16) call on an (8, 16) input, against torch.nn.Linear, in the same run.

Prints per-call medians (microseconds) over several repeats and the ratio lamina / torch.
Run: .venv/bin/python bench/layer_call.py
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

import lamina

CALLS = 20000
REPEATS = 7


def per_call_us(fn, x) -> float:
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(CALLS):
            fn(x)
        samples.append((time.perf_counter() - start) / CALLS * 1e6)
    return statistics.median(samples)


def main():
    argparse.ArgumentParser(description=__doc__).parse_args()
    torch.set_num_threads(1)
    x_np = np.random.default_rng(0).standard_normal((8, 16)).astype("float32")
    x = torch.from_numpy(x_np)

    linear = torch.nn.Linear(16, 16)
    dense = lamina.layers.Dense(16)
    dense.build((8, 16))
    dense.set_weights([linear.weight.detach().numpy().T, linear.bias.detach().numpy()])
    assert np.allclose(lamina.ops.convert_to_numpy(dense(x)), linear(x).detach().numpy(), atol=1e-6)

    with torch.no_grad():
        for label, grad in (("no_grad", False), ("grad", True)):
            with torch.set_grad_enabled(grad):
                per_call_us(linear, x), per_call_us(dense, x)  # warm up
                torch_us = per_call_us(linear, x)
                lamina_us = per_call_us(dense, x)
                print(f"Dense(16) on (8, 16) [{label}]: torch.nn.Linear {torch_us:.2f} us, "
                      f"lamina {lamina_us:.2f} us, ratio {lamina_us / torch_us:.2f}x")


if __name__ == "__main__":
    main()
