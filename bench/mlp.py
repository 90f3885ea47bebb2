"""MLP epoch time: lamina against a hand-written loop on the same engine, in the same run.

Model: Dense(512, relu) -> Dropout(0.2) -> Dense(512, relu) -> Dense(10, softmax) on 60000 x 784 inputs,
RMSprop, sparse categorical crossentropy, accuracy, batch 128, shuffled. On torch the reference is a plain
PyTorch loop; on JAX (LAMINA_BACKEND=jax) a plain jax.jit loop. Prints the first epoch (which includes
compiling on JAX), per-epoch medians and the ratio lamina / hand-written.
Run: .venv/bin/python bench/mlp.py [epochs_each]     LAMINA_BACKEND=jax .venv/bin/python bench/mlp.py
"""

from __future__ import annotations

import sys

from common import compare_epochs, mnist_flat

import lamina

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


def torch_reference(x, y):
    import torch
    import torch_reference

    net = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10),
    )
    return torch_reference.epoch_function(net, torch.nn.CrossEntropyLoss(), x, y, BATCH)


def jax_reference(x, y):
    import jax
    import jax_reference as ref

    keys = jax.random.split(jax.random.key(0), 3)
    sizes = [(784, 512), (512, 512), (512, 10)]
    params = [(ref.glorot(k, s, *s), ref.zeros(s[1])) for k, s in zip(keys, sizes)]

    def forward(params, x, key):
        (w1, b1), (w2, b2), (w3, b3) = params
        h = ref.dropout(jax.nn.relu(x @ w1 + b1), 0.2, key)
        return jax.nn.relu(h @ w2 + b2) @ w3 + b3

    return ref.epoch_function(params, forward, ref.sparse_crossentropy, x, y.astype("int32"), BATCH)


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    x, y, source = mnist_flat()
    if lamina.backend.backend() == "jax":
        reference, name = jax_reference(x, y), "hand-written jax.jit"
    else:
        reference, name = torch_reference(x, y), "hand-written torch"
    compare_epochs("MLP", lamina_model(), x, y, BATCH, reference, name, epochs, f"{source} (60000 x 784)")


if __name__ == "__main__":
    main()
