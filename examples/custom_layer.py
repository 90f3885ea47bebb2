"""A custom layer: a Layer subclass with its weights made in ``build``, its maths in ``call`` and its arguments in
``get_config``, trained inside a model, saved to a ``.keras`` file and loaded back with ``custom_objects``.

``SimpleDense`` is a dense layer written from scratch; here it is the hidden layer of an MNIST classifier. The
reloaded model must give the same predictions as the trained one (printed), which shows the layer's config and
weights both made the round trip.

Data: ``keras.datasets.mnist.load_data()`` (``mnist.npz`` from ``LAMINA_DATASETS`` or the cache).

Run: python examples/custom_layer.py [--smoke]   (--smoke or LAMINA_EXAMPLE_SMOKE=1: 1,000 images, 1 epoch)
"""

from __future__ import annotations

import os
import sys
import tempfile

import numpy as np

import lamina as keras
from lamina import layers, ops

SMOKE = "--smoke" in sys.argv or os.environ.get("LAMINA_EXAMPLE_SMOKE") == "1"


class SimpleDense(keras.Layer):
    """``activation(inputs @ kernel + bias)``, with ``units`` outputs."""

    def __init__(self, units: int = 32, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform",
                                      name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs):
        return self.activation(ops.matmul(inputs, self.kernel) + self.bias)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": keras.activations.serialize(self.activation)}


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
if SMOKE:
    x_train, y_train, x_test, y_test = x_train[:1000], y_train[:1000], x_test[:500], y_test[:500]
x_train = x_train.reshape((len(x_train), 784)).astype("float32") / 255
x_test = x_test.reshape((len(x_test), 784)).astype("float32") / 255

model = keras.Sequential([
    keras.Input(shape=(784,)),
    SimpleDense(128, activation="relu", name="hidden"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1 if SMOKE else 3, batch_size=128, verbose=2)

path = os.path.join(tempfile.mkdtemp(), "custom_layer.keras")
model.save(path)
restored = keras.saving.load_model(path, custom_objects={"SimpleDense": SimpleDense})
same = np.allclose(model.predict(x_test, verbose=0), restored.predict(x_test, verbose=0), atol=1e-6)
_, accuracy = restored.evaluate(x_test, y_test, verbose=0)
print(f"reloaded layer: {type(restored.get_layer('hidden')).__name__}"
      f"(units={restored.get_layer('hidden').units}); same predictions after reload: {same}")
print(f"Custom layer model test accuracy after reload: {accuracy:.4f}")
