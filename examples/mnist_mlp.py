"""MNIST digits with a multilayer perceptron: Dense(512, relu) -> Dense(10, softmax).

The "first look at a neural network" example ("Deep Learning with Python", chapter 2): 60,000 flattened 28x28
images scaled to [0, 1], integer labels, sparse categorical crossentropy, 5 epochs of RMSprop.

Data: ``keras.datasets.mnist.load_data()`` (``mnist.npz`` from ``LAMINA_DATASETS`` or the cache).

Run: python examples/mnist_mlp.py [--smoke]   (--smoke or LAMINA_EXAMPLE_SMOKE=1: 1,000 images, 1 epoch)
"""

from __future__ import annotations

import os
import sys

import lamina as keras
from lamina import layers

SMOKE = "--smoke" in sys.argv or os.environ.get("LAMINA_EXAMPLE_SMOKE") == "1"

(train_images, train_labels), (test_images, test_labels) = keras.datasets.mnist.load_data()
if SMOKE:
    train_images, train_labels, test_images, test_labels = (
        train_images[:1000], train_labels[:1000], test_images[:500], test_labels[:500])
train_images = train_images.reshape((len(train_images), 28 * 28)).astype("float32") / 255
test_images = test_images.reshape((len(test_images), 28 * 28)).astype("float32") / 255

model = keras.Sequential([
    keras.Input(shape=(28 * 28,)),
    layers.Dense(512, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train_images, train_labels, epochs=1 if SMOKE else 5, batch_size=128, verbose=2)
loss, accuracy = model.evaluate(test_images, test_labels, verbose=0)
print(f"MNIST MLP test accuracy: {accuracy:.4f} (loss {loss:.4f})")
