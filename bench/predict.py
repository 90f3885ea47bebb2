"""Inference cost: bulk predict on 60000 rows, and single-row latency through `model(x)` and `predict`,
against a bare torch.nn.Module with the same weights, in the same run.
Run: .venv/bin/python bench/predict.py
"""

from __future__ import annotations

import torch
from common import median_seconds, mnist_flat
from mlp import lamina_model

BATCH = 32  # Keras' default predict batch size; the bare loop uses the same
SINGLE_CALLS = 2000


def bare_module_like(model):
    """torch.nn.Sequential holding a copy of the lamina model's weights."""
    dense = [layer for layer in model.layers if type(layer).__name__ == "Dense"]
    net = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512),
                              torch.nn.ReLU(), torch.nn.Linear(512, 10), torch.nn.Softmax(-1))
    with torch.no_grad():
        for linear, layer in zip([net[0], net[2], net[4]], dense):
            kernel, bias = layer.get_weights()
            linear.weight.copy_(torch.from_numpy(kernel.T))
            linear.bias.copy_(torch.from_numpy(bias))
    return net.eval()


def main():
    x, _, source = mnist_flat()
    model = lamina_model()
    net = bare_module_like(model)
    xt = torch.from_numpy(x)

    def bare_predict():
        with torch.no_grad():
            return torch.cat([net(xt[i:i + BATCH]) for i in range(0, len(xt), BATCH)]).numpy()

    model.predict(x[:BATCH], verbose=0)
    bare_s = median_seconds(bare_predict, 5)
    lamina_s = median_seconds(lambda: model.predict(x, batch_size=BATCH, verbose=0), 5)
    print(f"bulk predict on {source} (60000 rows, batch {BATCH}): bare module {bare_s:.3f} s, "
          f"lamina {lamina_s:.3f} s, ratio {lamina_s / bare_s:.2f}x")

    row_np, row = x[:1], xt[:1]

    def repeat(fn):
        return lambda: [fn() for _ in range(SINGLE_CALLS)]

    with torch.no_grad():
        bare_row = median_seconds(repeat(lambda: net(row)), 5) / SINGLE_CALLS * 1e6
        call_row = median_seconds(repeat(lambda: model(row)), 5) / SINGLE_CALLS * 1e6
    predict_row = median_seconds(repeat(lambda: model.predict(row_np, verbose=0)), 5) / SINGLE_CALLS * 1e6
    print(f"one row: bare module {bare_row:.1f} us; lamina model(x) {call_row:.1f} us "
          f"({call_row / bare_row:.2f}x); predict {predict_row:.1f} us ({predict_row / bare_row:.2f}x)")


if __name__ == "__main__":
    main()
