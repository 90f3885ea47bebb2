"""MLP epoch time: lamina on torch against a hand-written PyTorch loop, in the same run.

Model: Dense(512, relu) -> Dropout(0.2) -> Dense(512, relu) -> Dense(10, softmax) on 60000 x 784 inputs,
RMSprop, sparse categorical crossentropy, accuracy, batch 128, shuffled. Epochs alternate between the
two so machine noise hits both; prints per-epoch medians and the ratio lamina / hand-written.
Run: .venv/bin/python bench/mlp.py [epochs_each]
"""

from __future__ import annotations

import sys

import torch

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


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    x, y, source = mnist_flat()
    model = lamina_model()
    torch_epoch = torch_epoch_function(x, y)
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)  # warm-up (allocations, first-call work)
    torch_epoch()
    lamina_times, torch_times = [], []
    for _ in range(epochs):
        lamina_times.append(median_seconds(lambda: model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0), 1))
        torch_times.append(median_seconds(torch_epoch, 1))
    lamina_s, torch_s = sorted(lamina_times)[len(lamina_times) // 2], sorted(torch_times)[len(torch_times) // 2]
    print(f"MLP epoch on {source} (60000 x 784, batch {BATCH}, torch threads {torch.get_num_threads()}): "
          f"hand-written torch {torch_s:.2f} s, lamina {lamina_s:.2f} s, ratio {lamina_s / torch_s:.2f}x "
          f"(median of {epochs})")


if __name__ == "__main__":
    main()
