"""MNIST digits with a small convnet: Conv2D(32) -> MaxPooling -> Conv2D(64) -> MaxPooling -> Flatten ->
Dropout(0.5) -> Dense(10, softmax).

Keras' "Simple MNIST convnet" example: 28x28x1 images scaled to [0, 1], one-hot labels, Adam, categorical
crossentropy, 10% of the training images held out for validation. Keras trains 15 epochs for about 99.2%; this
runs 3 to stay within minutes on a laptop CPU.

Data: ``keras.datasets.mnist.load_data()`` (``mnist.npz`` from ``LAMINA_DATASETS`` or the cache).

Run: python examples/mnist_cnn.py [--smoke]   (--smoke or LAMINA_EXAMPLE_SMOKE=1: 1,000 images, 1 epoch)
"""

from __future__ import annotations

import os
import sys

import numpy as np

import lamina as keras
from lamina import layers

SMOKE = "--smoke" in sys.argv or os.environ.get("LAMINA_EXAMPLE_SMOKE") == "1"
NUM_CLASSES, INPUT_SHAPE = 10, (28, 28, 1)

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
if SMOKE:
    x_train, y_train, x_test, y_test = x_train[:1000], y_train[:1000], x_test[:500], y_test[:500]
x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
y_train = keras.utils.to_categorical(y_train, NUM_CLASSES)
y_test = keras.utils.to_categorical(y_test, NUM_CLASSES)
print(f"x_train shape: {x_train.shape}, {len(x_test)} test images")

model = keras.Sequential([
    keras.Input(shape=INPUT_SHAPE),
    layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dropout(0.5),
    layers.Dense(NUM_CLASSES, activation="softmax"),
])
model.summary()
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=1 if SMOKE else 3, validation_split=0.1, verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"MNIST CNN test accuracy: {accuracy:.4f} (loss {loss:.4f})")
