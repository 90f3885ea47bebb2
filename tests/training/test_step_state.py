"""The steps keep the model's variables listed between batches: the list follows every change that matters
(a trainable flip, set_weights, a new optimizer from compile, a layer added), on every engine."""

import numpy as np

import lamina
from lamina import layers


def _model_and_data(rng):
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(4, activation="tanh"), layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse")
    x = rng.normal(size=(16, 3)).astype("float32")
    return model, x, x.sum(axis=1, keepdims=True)


def test_a_trainable_flip_between_fits_freezes_the_layer(engine, rng):
    model, x, y = _model_and_data(rng)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    frozen = model.layers[0]
    frozen.trainable = False
    before = [w.copy() for w in frozen.get_weights()]
    head_before = model.layers[1].get_weights()[0].copy()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    for kept, now in zip(before, frozen.get_weights()):
        np.testing.assert_array_equal(now, kept)
    assert not np.allclose(model.layers[1].get_weights()[0], head_before)
    frozen.trainable = True
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert not np.allclose(frozen.get_weights()[0], before[0])


def test_set_weights_between_batches_is_what_the_next_step_reads(engine, rng):
    model, x, y = _model_and_data(rng)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    zeros = [np.zeros_like(w) for w in model.get_weights()]
    model.set_weights(zeros)
    # With every weight zero, tanh(0) = 0 and the prediction is 0: the loss is the mean of y squared.
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), np.mean(y ** 2), rtol=1e-5)
    np.testing.assert_allclose(model.predict(x, verbose=0), 0.0, atol=0)
    loss = model.train_on_batch(x, y)
    np.testing.assert_allclose(loss, np.mean(y ** 2), rtol=1e-5)  # the loss before this batch's update


def test_a_new_optimizer_from_compile_takes_over(engine, rng):
    model, x, y = _model_and_data(rng)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    model.compile(optimizer=lamina.optimizers.SGD(0.0), loss="mse")
    before = [w.copy() for w in model.get_weights()]
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    for kept, now in zip(before, model.get_weights()):
        np.testing.assert_array_equal(now, kept)  # a zero learning rate changes nothing
    assert int(model.optimizer.iterations.numpy()) == 2


def test_a_layer_added_after_training_trains(engine, rng):
    model, x, y = _model_and_data(rng)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    model.add(layers.Dense(1, kernel_initializer="ones"))
    model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse")
    added = model.layers[-1]
    before = added.get_weights()[0].copy()
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert not np.allclose(added.get_weights()[0], before)
