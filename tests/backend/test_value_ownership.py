"""Values handed to the user are theirs (issue 9): nothing lamina returns aliases memory it later updates.

On torch CPU ``Tensor.numpy()`` shares memory with the tensor, and lamina's optimizers update weights in
place; on JAX donated buffers are reused by the next step. Either would silently rewrite arrays the user
holds, which breaks the K-fold recipe ``initial = model.get_weights(); fit; set_weights(initial)``.
"""

import numpy as np

import lamina
from lamina import layers, ops
from lamina.models import Sequential


def _trained_model(rng):
    model = Sequential([layers.Input((3,)), layers.Dense(4, activation="relu"), layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.Adam(0.1), loss="mse")
    return model, rng.normal(size=(16, 3)).astype("float32"), rng.normal(size=(16, 1)).astype("float32")


def test_get_weights_survive_training_and_restore_the_model(engine, rng):
    model, x, y = _trained_model(rng)
    initial = model.get_weights()
    snapshot = [np.array(w) for w in initial]
    predictions = model.predict(x, verbose=0)
    first_prediction = predictions.copy()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    for kept, copied in zip(initial, snapshot):
        np.testing.assert_array_equal(kept, copied)
    np.testing.assert_array_equal(predictions, first_prediction)
    assert not np.allclose(model.predict(x, verbose=0), first_prediction)
    model.set_weights(initial)
    for restored, copied in zip(model.get_weights(), snapshot):
        np.testing.assert_array_equal(restored, copied)
    np.testing.assert_allclose(model.predict(x, verbose=0), first_prediction, rtol=1e-6)


def test_variable_numpy_is_a_copy(engine):
    variable = lamina.Variable(np.zeros(3, "float32"))
    held = variable.numpy()
    as_array = np.asarray(variable)
    variable.assign(np.ones(3, "float32"))
    np.testing.assert_array_equal(held, 0)
    np.testing.assert_array_equal(as_array, 0)


def test_convert_to_numpy_is_a_copy(engine):
    tensor = ops.zeros((3,))
    array = ops.convert_to_numpy(tensor)
    array[0] = 5.0
    np.testing.assert_array_equal(ops.convert_to_numpy(tensor), 0)


def test_a_variable_owns_its_initial_value(engine):
    """A Variable made from the caller's array (or another Variable) copies it, as Keras does: assigning to
    the Variable leaves the array, and the other Variable, as they were."""
    initial = np.zeros(3, "float32")
    variable = lamina.Variable(initial)
    variable.assign(np.ones(3, "float32"))
    np.testing.assert_array_equal(initial, 0)
    twin = lamina.Variable(variable)
    twin.assign(np.full(3, 5.0, "float32"))
    np.testing.assert_array_equal(variable.numpy(), 1)
