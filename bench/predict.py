"""Inference cost of the MLP (mlp.py): bulk predict of 60000 rows in batches of 1024, and one-row latency
through ``model(x)`` and ``predict``. lamina on each engine against a bare torch module and a jitted JAX
function, each part in its own process (see harness.py); both one-row rows compare with the bare one-row call.
Run: .venv/bin/python bench/predict.py [--quick] [--rounds N] [--engines torch,jax]
"""

from __future__ import annotations

import contextlib

import harness
import mlp
import numpy as np
from common import median_seconds, mnist_flat, quick_rows

BATCH = 1024
SINGLE_CALLS, QUICK_SINGLE_CALLS = 2000, 200
REPEATS, QUICK_REPEATS = 5, 3
ROWS = ("bulk predict", "one-row model(x)", "one-row predict")


def torch_functions(x):
    """(bulk predict, one-row call) of a bare torch.nn.Module."""
    import torch

    net = torch.nn.Sequential(mlp.torch_net(), torch.nn.Softmax(-1)).eval()
    xt = torch.from_numpy(x)
    row = xt[:1]

    def bulk():
        with torch.no_grad():
            return torch.cat([net(xt[i:i + BATCH]) for i in range(0, len(xt), BATCH)]).numpy()

    def one_row():
        with torch.no_grad():
            return net(row)

    return bulk, one_row, one_row  # the bare call stands for both model(x) and predict


def jax_functions(x):
    """(bulk predict, one-row call) of a jitted JAX function: batches dispatched, then copied to the host."""
    import jax
    import jax.numpy as jnp

    params = mlp.jax_params()
    forward = jax.jit(lambda p, xb: jax.nn.softmax(mlp.jax_forward(p, xb)))
    row = jnp.asarray(x[:1])

    def bulk():
        outputs = [forward(params, x[i:i + BATCH]) for i in range(0, len(x), BATCH)]
        return np.concatenate([np.asarray(o) for o in outputs])

    def one_row():
        return forward(params, row).block_until_ready()

    return bulk, one_row, one_row


def lamina_functions(x, model):
    """(bulk predict, one-row model(x), one-row predict) of lamina; model(x) waits for its result."""
    import lamina

    torch_engine = lamina.backend.backend() == "torch"
    if torch_engine:
        import torch
    row = lamina.ops.convert_to_tensor(x[:1])

    def call():
        with torch.no_grad() if torch_engine else contextlib.nullcontext():
            y = model(row)
        return y.block_until_ready() if hasattr(y, "block_until_ready") else y

    return (lambda: model.predict(x, batch_size=BATCH, verbose=0), call,
            lambda: model.predict(x[:1], verbose=0))


class PredictWorkload:
    name, script, rows = "predict", __file__, ROWS

    def measure(self, part: str, quick: bool, epochs: int) -> dict:
        """Seconds per bulk predict and per one-row call, after one warm-up call of each (see ``harness``)."""
        x, _, source = mnist_flat()
        x = x[:quick_rows(len(x), quick)]
        calls, repeats = (QUICK_SINGLE_CALLS, QUICK_REPEATS) if quick else (SINGLE_CALLS, REPEATS)
        model = mlp.lamina_model() if harness.runs_model(part) else None
        functions = lamina_functions(x, model) if model else (torch_functions if part == "torch" else
                                                              jax_functions)(x)
        seconds = {}  # a loop's one-row call serves both one-row rows: timed once
        for function, single in zip(functions, (False, True, True)):
            if function not in seconds:
                function()
                seconds[function] = median_seconds(lambda f=function: [f() for _ in range(calls)], repeats) / \
                    calls if single else median_seconds(function, repeats)
        return {"rows": {row: {"seconds": seconds[f]} for row, f in zip(ROWS, functions)},
                "compiles": harness.compile_counts(model) if model else None,
                "data": f"{source}, {len(x)} rows, batch {BATCH}; one row {calls} calls x {repeats}"}


WORKLOAD = PredictWorkload()

if __name__ == "__main__":
    harness.main([WORKLOAD], __doc__)
