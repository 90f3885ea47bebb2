"""Training a model with nothing to train works as in Keras: a warning, then fit reports loss and metrics."""

import numpy as np
import pytest

import lamina
from lamina import layers


def _pooling_model():
    return lamina.Sequential([lamina.Input((4, 4, 1)), layers.MaxPooling2D(2), layers.Flatten()])


@pytest.mark.parametrize("make", [
    _pooling_model,
    lambda: lamina.Sequential([lamina.Input((3, 2)), layers.Cropping1D(1), layers.Flatten()]),
    lambda: lamina.Sequential([lamina.Input((2, 2)), layers.ZeroPadding1D(1), layers.UpSampling1D(1),
                               layers.Flatten()]),
])
def test_model_without_weights_fits_with_a_warning(engine, rng, make):
    model = make()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x = rng.random((8,) + tuple(model.inputs[0].shape[1:])).astype("float32")
    y_pred = model.predict(x, verbose=0)
    y = rng.random(y_pred.shape).astype("float32")
    with pytest.warns(UserWarning, match="The model does not have any trainable weights."):
        history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [np.mean((y_pred - y) ** 2)] * 2, rtol=1e-5)
    np.testing.assert_allclose(history.history["mae"], [np.mean(np.abs(y_pred - y))] * 2, rtol=1e-5)


def test_frozen_model_fits_without_changing_weights(engine, rng):
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(2)])
    model.trainable = False
    model.compile(optimizer=lamina.optimizers.Adam(0.1), loss="mse")
    kernel, bias = model.get_weights()
    x = rng.random((6, 3)).astype("float32")
    y = rng.random((6, 2)).astype("float32")
    with pytest.warns(UserWarning, match="does not have any trainable weights"):
        history = model.fit(x, y, batch_size=3, epochs=2, verbose=0)
    expected = np.mean((x @ kernel + bias - y) ** 2)
    np.testing.assert_allclose(history.history["loss"], [expected, expected], rtol=1e-5)
    for before, after in zip((kernel, bias), model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    with pytest.warns(UserWarning, match="does not have any trainable weights"):
        loss = model.train_on_batch(x, y)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)
