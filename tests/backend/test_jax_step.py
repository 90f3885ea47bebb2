"""The JAX step: one compiled function per step kind, compiled again only for new shapes, with a warning
when a fit keeps recompiling; Variables stay in sync with the jitted state."""

import warnings

import numpy as np
import pytest

import lamina
from lamina import layers

pytestmark = pytest.mark.engines("jax")


def model_and_data(rng, n=70):
    model = lamina.Sequential([lamina.Input((4,)), layers.Dense(8, activation="relu"), layers.Dropout(0.2),
                               layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    x = rng.standard_normal((n, 4)).astype("float32")
    return model, x, (x[:, 0] > 0).astype("float32")


def test_partial_last_batch_compiles_once_per_fit_not_per_epoch(engine, rng):
    model, x, y = model_and_data(rng)  # 70 rows, batch 32: two full batches and one of 6 per epoch
    model.fit(x, y, batch_size=32, epochs=4, verbose=0)
    assert model._steps.compile_counts() == {"train": 2, "test": 0, "predict": 0}


def test_repeated_recompiling_warns(engine, rng):
    model, x, y = model_and_data(rng, n=64)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for rows in range(10, 20):  # every fit call brings a new batch shape
            model.fit(x[:rows], y[:rows], batch_size=rows, epochs=1, verbose=0)
    assert any("compiled 8 times" in str(w.message) for w in caught)


def test_variables_follow_the_jitted_state(engine, rng):
    model, x, y = model_and_data(rng)
    before = model.get_weights()
    seeds_before = [np.asarray(v.numpy()) for v in model.variables if "seed" in v.path]
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    after = model.get_weights()
    assert all(not np.allclose(a, b) for a, b in zip(before, after))
    assert int(model.optimizer.iterations.numpy()) == 3
    seeds_after = [np.asarray(v.numpy()) for v in model.variables if "seed" in v.path]
    assert seeds_before and any(not np.array_equal(a, b) for a, b in zip(seeds_before, seeds_after))


def test_set_random_seed_makes_a_fit_reproducible(engine, rng):
    runs = []
    for _ in range(2):
        lamina.utils.set_random_seed(11)
        model, x, y = model_and_data(np.random.default_rng(0))
        runs.append(model.fit(x, y, batch_size=16, epochs=2, verbose=0).history["loss"])
    np.testing.assert_allclose(runs[0], runs[1], rtol=1e-6)


def test_eager_and_jitted_steps_agree(engine, rng):
    results = []
    for settings in ({}, {"run_eagerly": True}, {"jit_compile": False}):
        lamina.utils.set_random_seed(5)  # the same initial weights for the three runs
        model, x, y = model_and_data(np.random.default_rng(0))
        model.layers[1].rate = 0.0  # no dropout, so the three runs see the same computation
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"], **settings)
        results.append(model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history["loss"])
    np.testing.assert_allclose(results[1], results[0], rtol=1e-5)
    np.testing.assert_allclose(results[2], results[0], rtol=1e-5)


def test_untraceable_metrics_update_outside_the_compiled_step(engine, rng):
    model, x, y = model_and_data(rng, n=64)
    exact = lamina.metrics.AUC(exact=True, name="exact_auc")
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[exact, "accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=1, verbose=0).history
    assert 0.0 <= history["exact_auc"][0] <= 1.0 and "accuracy" in history


def test_unseeded_random_op_inside_the_compiled_step_is_refused(engine, rng):
    class Noisy(layers.Layer):
        def call(self, inputs):
            return inputs + lamina.random.normal(lamina.ops.shape(inputs))

        def compute_output_shape(self, input_shape):
            return input_shape

    model = lamina.Sequential([lamina.Input((4,)), Noisy(), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = rng.standard_normal((8, 4)).astype("float32")
    with pytest.raises(ValueError, match="seed=None"):
        model.fit(x, x[:, :1], epochs=1, verbose=0)


def test_nothing_compiles_after_the_first_epoch(engine, rng):
    """Neither the step nor any eager op compiles again once the first epoch (with its partial last batch)
    has run: Variables hold device-committed arrays, as the step's outputs are, so a metric reset or the
    first write-back does not change the step's input signature (jit would compile it again, same shapes)."""
    import logging

    import jax

    model, x, y = model_and_data(rng)
    compiles = []

    class Recorder(logging.Handler):
        def emit(self, record):
            if record.getMessage().startswith("Compiling"):
                compiles.append(record.getMessage()[:60])

    class AfterFirstEpoch(lamina.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 1:
                compiles.clear()

    handler, logger = Recorder(), logging.getLogger("jax")
    logger.addHandler(handler)
    jax.config.update("jax_log_compiles", True)
    try:
        model.fit(x, y, batch_size=32, epochs=3, verbose=0, callbacks=[AfterFirstEpoch()])
    finally:
        jax.config.update("jax_log_compiles", False)
        logger.removeHandler(handler)
    assert compiles == []
    assert all(v.value.committed for v in model.variables + model.optimizer.variables)
