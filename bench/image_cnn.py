"""Small image CNN epoch time (Keras' MNIST convnet): lamina's fit on each engine against hand-written torch
and JAX loops, each part in its own process (see harness.py).

Model: Conv2D(32, 3, relu) -> MaxPooling2D(2) -> Conv2D(64, 3, relu) -> MaxPooling2D(2) -> Flatten ->
Dropout(0.5) -> Dense(10, softmax) on the first 12000 MNIST images (28x28x1, channels_last), RMSprop,
sparse categorical crossentropy, accuracy, batch 128. The torch reference convolves in PyTorch's own NCHW
layout; the JAX one in NHWC, as a JAX user writes it.
Run: .venv/bin/python bench/image_cnn.py [--quick] [--epochs N] [--rounds N] [--engines torch,jax]
"""

from __future__ import annotations

import functools

import harness
from common import TrainingWorkload, mnist_images

ROWS, BATCH = 12000, 128


def lamina_model():
    import lamina

    layers = lamina.layers
    model = lamina.Sequential([
        lamina.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=lamina.optimizers.RMSprop(), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def torch_loop(x, y):
    import torch_reference
    from torch import nn

    net = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(64 * 5 * 5, 10),
    )
    return torch_reference.epoch_function(net, nn.CrossEntropyLoss(), x.transpose(0, 3, 1, 2).copy(), y, BATCH)


def jax_loop(x, y):
    import jax
    import jax.numpy as jnp
    import jax_reference as ref

    k = jax.random.split(jax.random.key(0), 3)
    params = {
        "conv1": (ref.glorot(k[0], (3, 3, 1, 32), 9, 9 * 32), ref.zeros(32)),
        "conv2": (ref.glorot(k[1], (3, 3, 32, 64), 9 * 32, 9 * 64), ref.zeros(64)),
        "out": (ref.glorot(k[2], (64 * 5 * 5, 10), 64 * 5 * 5, 10), ref.zeros(10)),
    }

    def conv_relu_pool(h, kernel_bias):
        kernel, bias = kernel_bias
        h = jax.lax.conv_general_dilated(h, kernel, (1, 1), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC"))
        h = jax.nn.relu(h + bias)
        return jax.lax.reduce_window(h, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")

    def forward(p, images, key):
        h = conv_relu_pool(conv_relu_pool(images, p["conv1"]), p["conv2"])
        h = ref.dropout(h.reshape(len(h), -1), 0.5, key)
        return h @ p["out"][0] + p["out"][1]

    return ref.epoch_function(params, forward, ref.sparse_crossentropy, x, y.astype("int32"), BATCH)


WORKLOAD = TrainingWorkload("image CNN", __file__, functools.partial(mnist_images, ROWS),
                            lamina_model, torch_loop, jax_loop, BATCH)

if __name__ == "__main__":
    harness.main([WORKLOAD], __doc__)
