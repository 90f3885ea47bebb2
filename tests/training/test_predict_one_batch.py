"""``predict`` on one NumPy batch (a serving call) takes a short path: it must give what the general path
gives, validate its arguments as that path does, and hand back arrays the user owns."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.backend import convert_to_numpy


def _mlp(features=5):
    return lamina.Sequential([lamina.Input((features,)), layers.Dense(7, activation="relu"),
                              layers.Dense(3, activation="softmax")])


@pytest.mark.parametrize("rows", [1, 4, 32])
def test_one_batch_equals_the_general_path_and_the_eager_call(engine, rng, rows):
    model = _mlp()
    x = rng.standard_normal((rows, 5)).astype("float32")
    short = model.predict(x, verbose=0)
    assert isinstance(short, np.ndarray) and short.shape == (rows, 3)
    np.testing.assert_allclose(short, convert_to_numpy(model(x)), rtol=1e-6)
    # batch_size=1 sends even a single row through the epoch machinery; a list of one array too.
    np.testing.assert_allclose(short, model.predict(x, batch_size=1, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(short, model.predict([x], verbose=0), rtol=1e-6)


def test_arrays_the_short_path_cannot_share_are_read_as_the_general_path_reads_them(engine, rng):
    """Strided, read-only, float64 and integer arrays: the engine takes a contiguous, writable copy or a
    cast, never wrong memory."""
    model = _mlp()
    wide = rng.standard_normal((3, 10))
    expected = convert_to_numpy(model(np.ascontiguousarray(wide[:, ::2], "float32")))
    frozen = np.ascontiguousarray(wide[:, ::2], "float32")
    frozen.flags.writeable = False
    for x in (wide[:, ::2].astype("float32"), wide[:, ::2], frozen, np.asarray(wide[:, ::2], "float32")[::1]):
        np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    strided = wide.astype("float32")[:, ::2]
    assert not strided.flags.c_contiguous
    np.testing.assert_allclose(model.predict(strided, verbose=0), expected, rtol=1e-5, atol=1e-6)
    counts = np.arange(15).reshape(3, 5)
    np.testing.assert_allclose(model.predict(counts, verbose=0),
                               convert_to_numpy(model(counts.astype("float32"))), rtol=1e-6)


def test_the_result_is_the_users_own_array(engine, rng):
    """An identity model hands back a copy: writing into the result changes neither the input nor a later
    prediction (on torch the input tensor shares the array's memory)."""
    model = lamina.Sequential([lamina.Input((4,)), layers.Activation("linear")])
    x = rng.standard_normal((2, 4)).astype("float32")
    kept = x.copy()
    y = model.predict(x, verbose=0)
    y[...] = 99.0
    np.testing.assert_array_equal(x, kept)
    np.testing.assert_array_equal(model.predict(x, verbose=0), kept)


@pytest.mark.parametrize("batch_size", [0, -1, True, 2.0])
def test_bad_batch_sizes_are_refused_for_one_batch_too(engine, batch_size):
    with pytest.raises(ValueError, match="argument `batch_size` of predict"):
        _mlp().predict(np.zeros((1, 5), "float32"), batch_size=batch_size, verbose=0)


def test_a_front_host_layer_runs_on_numbers_in_the_short_path(engine):
    """A host layer reading integers (Hashing) still runs before the step on one small batch."""
    hashing = layers.Hashing(num_bins=5)
    model = lamina.Sequential([lamina.Input((3,), dtype="int64"), hashing])
    x = np.array([[1, 2, 3], [40, 50, 60]], "int64")
    np.testing.assert_array_equal(model.predict(x, verbose=0), convert_to_numpy(hashing(x)))
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, batch_size=1, verbose=0))


def test_a_failed_one_batch_prediction_leaves_training_working(engine, rng):
    """The one-batch step switches gradient recording off (torch) and must switch it back on, even when
    the model raises: a later ``train_on_batch`` still updates the weights."""
    model = _mlp()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 5"):
        model.predict(np.zeros((2, 4), "float32"), verbose=0)
    model.predict(np.zeros((2, 5), "float32"), verbose=0)
    before = [w.copy() for w in model.get_weights()]
    model.train_on_batch(rng.standard_normal((8, 5)).astype("float32"), np.ones((8, 3), "float32"))
    assert all(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_an_overridden_predict_step_serves_one_batch_too(engine, rng):
    class Doubling(lamina.Sequential):
        def predict_step(self, data):
            return lamina.ops.multiply(super().predict_step(data), 2.0)

    model = Doubling([lamina.Input((5,)), layers.Dense(3)])
    x = rng.standard_normal((2, 5)).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), 2 * convert_to_numpy(model(x)), rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, batch_size=1, verbose=0), 2 * convert_to_numpy(model(x)), rtol=1e-6)


def test_the_host_stage_follows_a_changed_stack(engine):
    """Which layers run before the step is remembered per model structure: after the front host layer is
    popped, predict no longer applies it (it once did, from a cache kept for good)."""
    hashing = layers.Hashing(num_bins=5)
    model = lamina.Sequential([hashing])
    x = np.array([[1, 2, 3], [40, 50, 60]], "int64")
    np.testing.assert_array_equal(model.predict(x, verbose=0), convert_to_numpy(hashing(x)))
    model.pop()
    model.add(layers.Activation("linear"))
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
