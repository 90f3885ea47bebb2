"""Character-level LSTM epoch time (the seeds' text generator): lamina's fit on each engine against
hand-written torch and JAX loops, each part in its own process (see harness.py).

Model: Embedding(60, 32) -> LSTM(128) -> Dense(60, softmax) predicting the next character of 40-character
windows of nietzsche.txt (every 9th window, as Keras' example cuts them with a larger step), RMSprop,
sparse categorical crossentropy, accuracy, batch 128. The torch reference uses torch.nn.LSTM; the JAX one a
lax.scan over time with the input projection done for all steps at once.
Run: .venv/bin/python bench/char_lstm.py [--quick] [--epochs N] [--rounds N] [--engines torch,jax]
"""

from __future__ import annotations

import functools

import harness
from common import VOCABULARY, TrainingWorkload, nietzsche_windows

LENGTH, STEP, BATCH, UNITS = 40, 9, 128, 128


def lamina_model():
    import lamina

    model = lamina.Sequential([
        lamina.Input(shape=(LENGTH,), dtype="int32"),
        lamina.layers.Embedding(VOCABULARY, 32),
        lamina.layers.LSTM(UNITS),
        lamina.layers.Dense(VOCABULARY, activation="softmax"),
    ])
    model.compile(optimizer=lamina.optimizers.RMSprop(), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def torch_loop(x, y):
    import torch_reference
    from torch import nn

    class CharLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCABULARY, 32)
            self.lstm = nn.LSTM(32, UNITS, batch_first=True)
            self.out = nn.Linear(UNITS, VOCABULARY)

        def forward(self, ids):
            _, (h, _) = self.lstm(self.embedding(ids))
            return self.out(h[0])

    return torch_reference.epoch_function(CharLSTM(), nn.CrossEntropyLoss(), x, y, BATCH)


def jax_loop(x, y):
    import jax
    import jax.numpy as jnp
    import jax_reference as ref

    k = jax.random.split(jax.random.key(0), 4)
    params = {
        "embedding": jax.random.uniform(k[0], (VOCABULARY, 32), jnp.float32, -0.05, 0.05),
        "kernel": ref.glorot(k[1], (32, 4 * UNITS), 32, 4 * UNITS),
        "recurrent": ref.glorot(k[2], (UNITS, 4 * UNITS), UNITS, 4 * UNITS),
        "bias": ref.zeros(4 * UNITS).at[UNITS:2 * UNITS].set(1.0),
        "out": (ref.glorot(k[3], (UNITS, VOCABULARY), UNITS, VOCABULARY), ref.zeros(VOCABULARY)),
    }

    def forward(p, ids, key):
        projected = p["embedding"][ids] @ p["kernel"] + p["bias"]  # (batch, time, 4 units), all steps at once

        def step(carry, z):
            h, c = carry
            i, f, g, o = jnp.split(z + h @ p["recurrent"], 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), None

        zeros = ref.zeros(len(ids), UNITS)
        (h, _), _ = jax.lax.scan(step, (zeros, zeros), jnp.swapaxes(projected, 0, 1))
        return h @ p["out"][0] + p["out"][1]

    return ref.epoch_function(params, forward, ref.sparse_crossentropy, x, y.astype("int32"), BATCH)


WORKLOAD = TrainingWorkload("char-LSTM", __file__, functools.partial(nietzsche_windows, LENGTH, STEP),
                            lamina_model, torch_loop, jax_loop, BATCH)

if __name__ == "__main__":
    harness.main([WORKLOAD], __doc__)
