"""Runs every benchmark workload on each lamina engine and the hand-written torch and JAX loops, and writes
one markdown table (ratios to the torch loop, first epochs, compile counts, peak RSS) to stdout and --out.

Full mode takes a while (three rounds of every part); --quick uses a tenth of the rows and one round, a
smoke check whose numbers mean little. On a loaded machine add --one-thread: two-thread torch and XLA pools
stall there (the quick run took 11 minutes on a 2-core machine at load 10, under 3 with --one-thread).
Run: .venv/bin/python bench/run_all.py [--quick] [--one-thread] [--out bench/results.md]
     or: bash bench/run_all [...]
"""

from __future__ import annotations

import os

import char_cnn
import char_lstm
import harness
import image_cnn
import mlp
import predict

WORKLOADS = [mlp.WORKLOAD, char_cnn.WORKLOAD, char_lstm.WORKLOAD, image_cnn.WORKLOAD, predict.WORKLOAD]

if __name__ == "__main__":
    harness.main(WORKLOADS, __doc__, default_out=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.md"),
                 engines="torch,jax")
