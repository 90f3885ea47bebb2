"""The JAX steps compile for an epoch's partial last batch ahead, in the background, once the first batch has
run: by the time that batch comes its step is compiled (no stall), the numbers are those of the usual path,
and nothing compiles twice."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.backend.jax import step as jax_step

pytestmark = pytest.mark.engines("jax")


def _model():
    model = lamina.Sequential([lamina.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    return model


def _data(rng, rows=70):
    x = rng.standard_normal((rows, 4)).astype("float32")
    return x, x @ np.arange(1, 5, dtype="float32")[:, None]


class _CompilesBeforeLastBatch(lamina.callbacks.Callback):
    """Records the step compile count as each epoch's last batch (the partial one) begins."""

    def __init__(self, last_step, kind):
        super().__init__()
        self.last_step, self.kind, self.seen = last_step, kind, []

    def _record(self, batch):
        if batch == self.last_step:
            self.seen.append(self.model._steps.compile_counts()[self.kind])

    def on_train_batch_begin(self, batch, logs=None):
        if self.kind == "train":
            self._record(batch)

    def on_test_batch_begin(self, batch, logs=None):
        if self.kind == "test":
            self._record(batch)

    def on_predict_batch_begin(self, batch, logs=None):
        if self.kind == "predict":
            self._record(batch)


def _without_ahead(monkeypatch):
    monkeypatch.setattr(jax_step.Steps, "expect_batch_rows", lambda self, kind, rows: None)


def test_fit_compiles_the_partial_batch_ahead_with_the_usual_numbers(engine, rng, monkeypatch):
    x, y = _data(rng)  # batches of 32: 32, 32 and 6 rows
    lamina.utils.set_random_seed(1)
    model = _model()
    recorder = _CompilesBeforeLastBatch(2, "train")
    history = model.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0, callbacks=[recorder])
    assert recorder.seen == [2, 2, 2]  # compiled before the 6-row batch came, and only once
    assert model._steps.compile_counts()["train"] == 2

    _without_ahead(monkeypatch)
    lamina.utils.set_random_seed(1)
    usual = _model()
    usual_recorder = _CompilesBeforeLastBatch(2, "train")
    usual_history = usual.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0, callbacks=[usual_recorder])
    assert usual_recorder.seen == [1, 2, 2]  # the usual path compiles when the batch comes
    np.testing.assert_allclose(history.history["loss"], usual_history.history["loss"], rtol=1e-6)
    for ahead, plain in zip(model.get_weights(), usual.get_weights()):
        np.testing.assert_allclose(ahead, plain, rtol=1e-6)


def test_evaluate_and_predict_compile_their_partial_batch_ahead(engine, rng):
    x, y = _data(rng)
    model = _model()
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    test_recorder, predict_recorder = _CompilesBeforeLastBatch(2, "test"), _CompilesBeforeLastBatch(2, "predict")
    loss = model.evaluate(x, y, batch_size=32, verbose=0, callbacks=[test_recorder])[0]
    predictions = model.predict(x, batch_size=32, verbose=0, callbacks=[predict_recorder])
    model.evaluate(x, y, batch_size=32, verbose=0, callbacks=[test_recorder])
    assert test_recorder.seen == [2, 2] and predict_recorder.seen == [2]
    assert model._steps.compile_counts() == {"train": 2, "test": 2, "predict": 2}
    expected = np.asarray(model(x))
    np.testing.assert_allclose(predictions, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(loss, np.mean((expected - y) ** 2), rtol=1e-5)


def test_a_batch_that_fits_in_one_step_compiles_nothing_ahead(engine, rng):
    x, y = _data(rng, rows=20)  # one batch of 20: it is the partial batch itself
    model = _model()
    model.fit(x, y, batch_size=32, epochs=2, verbose=0)
    assert model._steps.compile_counts()["train"] == 1


def test_a_step_that_cannot_trace_ahead_fails_at_its_batch_as_usual(engine, rng):
    """A model that only takes full batches trains its full batches, then fails on the partial one with its
    own error, not earlier (tracing ahead for the partial batch hits the error first)."""

    class FullBatchesOnly(layers.Layer):
        def call(self, inputs):
            if inputs.shape[0] not in (None, 32):
                raise ValueError(f"takes batches of 32 rows, received {inputs.shape[0]}")
            return inputs

    x, y = _data(rng)
    model = lamina.Sequential([lamina.Input((4,)), FullBatchesOnly(), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    steps = []

    class Steps(lamina.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            steps.append(batch)

    with pytest.raises(ValueError, match="received 6"):
        model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0, callbacks=[Steps()])
    assert steps == [0, 1]
