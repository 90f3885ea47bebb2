"""MLP epoch time: lamina against a hand-written loop on the same engine, in the same run.

Model: Dense(512, relu) -> Dropout(0.2) -> Dense(512, relu) -> Dense(10, softmax) on 60000 x 784 inputs,
RMSprop, sparse categorical crossentropy, accuracy, batch 128, shuffled. On torch the reference is a plain
PyTorch loop; on JAX (LAMINA_BACKEND=jax) a plain jax.jit loop (bench/mlp_reference_jax.py). Epochs
alternate between the two so machine noise hits both; prints the first epoch (which includes compiling on
JAX), per-epoch medians and the ratio lamina / hand-written.
Run: .venv/bin/python bench/mlp.py [epochs_each]     LAMINA_BACKEND=jax .venv/bin/python bench/mlp.py
"""

from __future__ import annotations

import sys
import time

import lamina
from common import median_seconds, mnist_flat

BATCH = 128


def lamina_model():
    model = lamina.Sequential([
        lamina.Input(shape=(784,)),
        lamina.layers.Dense(512, activation="relu"),
        lamina.layers.Dropout(0.2),
        lamina.layers.Dense(512, activation="relu"),
        lamina.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=lamina.optimizers.RMSprop(), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def torch_epoch_function(x, y):
    """The loop a PyTorch user writes by hand, with the same work (accuracy kept on the device)."""
    import torch

    net = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10),
    )
    optimizer = torch.optim.RMSprop(net.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def epoch():
        net.train()
        correct = torch.zeros((), dtype=torch.int64)
        total_loss = torch.zeros(())
        order = torch.randperm(len(xt))
        xs, ys = xt[order], yt[order]
        for start in range(0, len(xs), BATCH):
            xb, yb = xs[start:start + BATCH], ys[start:start + BATCH]
            logits = net(xb)
            loss = loss_fn(logits, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                total_loss += loss.detach() * len(xb)
                correct += (logits.argmax(-1) == yb).sum()
        return float(total_loss) / len(xs), float(correct) / len(xs)

    return epoch


def reference_epoch_function(x, y):
    if lamina.backend.backend() == "jax":
        from mlp_reference_jax import epoch_function

        return epoch_function(x, y), "hand-written jax.jit"
    return torch_epoch_function(x, y), "hand-written torch"


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    x, y, source = mnist_flat()
    model = lamina_model()
    reference_epoch, reference_name = reference_epoch_function(x, y)
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)  # first epoch: compiling on JAX, allocations
    lamina_first = time.perf_counter() - start
    start = time.perf_counter()
    reference_epoch()
    reference_first = time.perf_counter() - start
    lamina_times, reference_times = [], []
    for _ in range(epochs):
        lamina_times.append(median_seconds(lambda: model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0), 1))
        reference_times.append(median_seconds(reference_epoch, 1))
    lamina_s = sorted(lamina_times)[len(lamina_times) // 2]
    reference_s = sorted(reference_times)[len(reference_times) // 2]
    print(f"MLP on {lamina.backend.backend()}, {source} (60000 x 784, batch {BATCH}): first epoch lamina "
          f"{lamina_first:.2f} s, {reference_name} {reference_first:.2f} s; epoch median of {epochs}: "
          f"{reference_name} {reference_s:.2f} s, lamina {lamina_s:.2f} s, ratio {lamina_s / reference_s:.2f}x")


if __name__ == "__main__":
    main()
