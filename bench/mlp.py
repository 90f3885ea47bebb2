"""MLP epoch time: lamina's fit on each engine against hand-written torch and JAX loops, each part in its
own process (see harness.py).

Model: Dense(512, relu) -> Dropout(0.2) -> Dense(512, relu) -> Dense(10, softmax) on 60000 x 784 inputs,
RMSprop, sparse categorical crossentropy, accuracy, batch 128, shuffled. Prints the epoch times as ratios to
the torch loop, first epochs (which include compiling on JAX), compile counts and peak RSS.
Run: .venv/bin/python bench/mlp.py [--quick] [--epochs N] [--rounds N] [--engines torch,jax]
"""

from __future__ import annotations

import harness
from common import TrainingWorkload, mnist_flat

BATCH = 128
SIZES = [(784, 512), (512, 512), (512, 10)]


def lamina_model():
    import lamina

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


def torch_net():
    """The MLP as a PyTorch user writes it (logits out; the loss applies the softmax)."""
    import torch

    return torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10),
    )


def jax_params():
    import jax
    import jax_reference as ref

    keys = jax.random.split(jax.random.key(0), len(SIZES))
    return [(ref.glorot(k, s, *s), ref.zeros(s[1])) for k, s in zip(keys, SIZES)]


def jax_forward(params, x, key=None):
    """The MLP's logits as a JAX user writes them; dropout only when given a key (training)."""
    import jax
    import jax_reference as ref

    (w1, b1), (w2, b2), (w3, b3) = params
    h = jax.nn.relu(x @ w1 + b1)
    if key is not None:
        h = ref.dropout(h, 0.2, key)
    return jax.nn.relu(h @ w2 + b2) @ w3 + b3


def torch_loop(x, y):
    import torch
    import torch_reference

    return torch_reference.epoch_function(torch_net(), torch.nn.CrossEntropyLoss(), x, y, BATCH)


def jax_loop(x, y):
    import jax_reference as ref

    return ref.epoch_function(jax_params(), jax_forward, ref.sparse_crossentropy, x, y.astype("int32"), BATCH)


WORKLOAD = TrainingWorkload("MLP", __file__, mnist_flat, lamina_model, torch_loop, jax_loop, BATCH)

if __name__ == "__main__":
    harness.main([WORKLOAD], __doc__)
