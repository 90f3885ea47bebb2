"""A dense autoencoder on MNIST: 784 pixels squeezed into a 32-number code and rebuilt from it.

The Keras blog's "simplest possible autoencoder": encoder Dense(32, relu), decoder Dense(784, sigmoid), trained
with binary crossentropy to output its own input. The encoder and decoder are also kept as models of their own
(the functional API shares their layers), so the code of an image and the image of a code can be computed apart.
Prints the test reconstruction loss (binary crossentropy, and mean squared error per pixel).

Data: ``keras.datasets.mnist.load_data()`` (``mnist.npz`` from ``LAMINA_DATASETS`` or the cache); labels unused.

Run: python examples/autoencoder.py [--smoke]   (--smoke or LAMINA_EXAMPLE_SMOKE=1: 1,000 images, 1 epoch)
"""

from __future__ import annotations

import os
import sys

import numpy as np

import lamina as keras
from lamina import layers

SMOKE = "--smoke" in sys.argv or os.environ.get("LAMINA_EXAMPLE_SMOKE") == "1"
ENCODING_DIM = 32

(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
if SMOKE:
    x_train, x_test = x_train[:1000], x_test[:500]
x_train = x_train.reshape((len(x_train), 784)).astype("float32") / 255
x_test = x_test.reshape((len(x_test), 784)).astype("float32") / 255

image = keras.Input(shape=(784,))
code = layers.Dense(ENCODING_DIM, activation="relu", name="encoder")(image)
reconstruction = layers.Dense(784, activation="sigmoid", name="decoder")(code)
autoencoder = keras.Model(image, reconstruction)
encoder = keras.Model(image, code)
code_input = keras.Input(shape=(ENCODING_DIM,))
decoder = keras.Model(code_input, autoencoder.get_layer("decoder")(code_input))

autoencoder.compile(optimizer="adam", loss="binary_crossentropy", metrics=["mse"])
autoencoder.fit(x_train, x_train, epochs=1 if SMOKE else 20, batch_size=256, shuffle=True,
                validation_data=(x_test, x_test), verbose=2)

codes = encoder.predict(x_test, verbose=0)
rebuilt = decoder.predict(codes, verbose=0)
mse = float(np.mean((rebuilt - x_test) ** 2))
bce, _ = autoencoder.evaluate(x_test, x_test, verbose=0)
print(f"codes: {codes.shape}, mean activation {codes.mean():.2f}")
print(f"Autoencoder test reconstruction loss: {bce:.4f} binary crossentropy, {mse:.4f} MSE per pixel")
