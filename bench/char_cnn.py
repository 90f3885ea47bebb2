"""Character-level CNN epoch time (the seeds' toxic-comment classifier): lamina's fit on each engine against
hand-written torch and JAX loops, each part in its own process (see harness.py).

Model: Embedding(60, 32) -> Dropout(0.2) -> Conv1D(32, 10, relu) x2 -> MaxPooling1D(3) -> Flatten ->
Dense(128, relu) -> Dense(1, sigmoid) on 5000 comments of 400 characters, RMSprop, binary crossentropy,
accuracy, batch 128. The torch reference convolves in PyTorch's own (batch, channels, length) layout.
Run: .venv/bin/python bench/char_cnn.py [--quick] [--epochs N] [--rounds N] [--engines torch,jax]
"""

from __future__ import annotations

import functools

import harness
from common import VOCABULARY, TrainingWorkload, toxic_comment_chars

LENGTH, BATCH, FILTERS, WIDTH, POOL = 400, 128, 32, 10, 3
POOLED = (LENGTH - 2 * (WIDTH - 1)) // POOL


def lamina_model():
    import lamina

    layers = lamina.layers
    model = lamina.Sequential([
        lamina.Input(shape=(LENGTH,), dtype="int32"),
        layers.Embedding(VOCABULARY, 32),
        layers.Dropout(0.2),
        layers.Conv1D(FILTERS, WIDTH, activation="relu"),
        layers.Conv1D(FILTERS, WIDTH, activation="relu"),
        layers.MaxPooling1D(POOL),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=lamina.optimizers.RMSprop(), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def torch_loop(x, y):
    import torch
    import torch_reference
    from torch import nn

    class CharCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCABULARY, 32)
            self.dropout = nn.Dropout(0.2)
            self.conv1 = nn.Conv1d(32, FILTERS, WIDTH)
            self.conv2 = nn.Conv1d(FILTERS, FILTERS, WIDTH)
            self.pool = nn.MaxPool1d(POOL)
            self.hidden = nn.Linear(FILTERS * POOLED, 128)
            self.out = nn.Linear(128, 1)

        def forward(self, ids):
            h = self.dropout(self.embedding(ids)).transpose(1, 2)
            h = self.pool(torch.relu(self.conv2(torch.relu(self.conv1(h)))))
            return torch.sigmoid(self.out(torch.relu(self.hidden(h.flatten(1)))))

    return torch_reference.epoch_function(CharCNN(), nn.BCELoss(), x, y, BATCH)


def jax_loop(x, y):
    import jax
    import jax.numpy as jnp
    import jax_reference as ref

    k = jax.random.split(jax.random.key(0), 5)
    params = {
        "embedding": jax.random.uniform(k[0], (VOCABULARY, 32), jnp.float32, -0.05, 0.05),
        "conv1": (ref.glorot(k[1], (WIDTH, 32, FILTERS), WIDTH * 32, WIDTH * FILTERS), ref.zeros(FILTERS)),
        "conv2": (ref.glorot(k[2], (WIDTH, FILTERS, FILTERS), WIDTH * FILTERS, WIDTH * FILTERS), ref.zeros(FILTERS)),
        "hidden": (ref.glorot(k[3], (FILTERS * POOLED, 128), FILTERS * POOLED, 128), ref.zeros(128)),
        "out": (ref.glorot(k[4], (128, 1), 128, 1), ref.zeros(1)),
    }

    def conv(h, kernel_bias):
        kernel, bias = kernel_bias
        out = jax.lax.conv_general_dilated(h, kernel, (1,), "VALID", dimension_numbers=("NWC", "WIO", "NWC"))
        return jax.nn.relu(out + bias)

    def forward(p, ids, key):
        h = ref.dropout(p["embedding"][ids], 0.2, key)
        h = conv(conv(h, p["conv1"]), p["conv2"])
        h = jax.lax.reduce_window(h, -jnp.inf, jax.lax.max, (1, POOL, 1), (1, POOL, 1), "VALID")
        h = jax.nn.relu(h.reshape(len(h), -1) @ p["hidden"][0] + p["hidden"][1])
        return h @ p["out"][0] + p["out"][1]

    return ref.epoch_function(params, forward, ref.sigmoid_crossentropy, x, y, BATCH)


WORKLOAD = TrainingWorkload("char-CNN", __file__, functools.partial(toxic_comment_chars, LENGTH),
                            lamina_model, torch_loop, jax_loop, BATCH)

if __name__ == "__main__":
    harness.main([WORKLOAD], __doc__)
