"""``compile(jit_compile=True)`` on torch: torch.compile runs the forward pass and loss of a channels-last
CNN with a partial last batch (each batch shape compiled once, with static shapes: torch's dynamic-shape
recompile for the partial batch failed on the channels-last strides of a 32-filter convolution), and
training gives eager training's numbers."""

import numpy as np
import pytest

import lamina
from lamina import layers

pytestmark = pytest.mark.engines("torch")


def _trained(jit_compile, x, y):
    lamina.utils.set_random_seed(3)
    model = lamina.Sequential([  # the smallest model found on which dynamic-shape recompiling failed
        lamina.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(3, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  jit_compile=jit_compile)
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    return history.history, model.get_weights(), model.predict(x, verbose=0)


def test_compiled_steps_train_as_eager_ones(engine, rng):
    x = rng.random((40, 28, 28, 1)).astype("float32")  # batches of 16, 16 and 8
    y = rng.integers(0, 3, 40)
    eager_history, eager_weights, eager_predictions = _trained(False, x, y)
    history, weights, predictions = _trained(True, x, y)
    np.testing.assert_allclose(history["loss"], eager_history["loss"], rtol=1e-5)
    assert history["accuracy"] == eager_history["accuracy"]
    for compiled, eager in zip(weights, eager_weights):
        np.testing.assert_allclose(compiled, eager, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(predictions, eager_predictions, rtol=1e-5, atol=1e-6)
