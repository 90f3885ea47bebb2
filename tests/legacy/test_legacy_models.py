"""Keras 1/2 ``Sequential``/``Model`` training API, objectives and callbacks, checked against the modern API
on the same weights and against NumPy."""

import math
import os
import warnings

import numpy as np
import pytest

import lamina
from lamina.layers import Dense, Input
from lamina.legacy import backend as K
from lamina.legacy import callbacks, models, objectives, optimizers
from lamina.legacy.layers import core as keras1_core


@pytest.fixture(autouse=True)
def _quiet_old_spellings():
    """Old code warns on every old spelling; tests asserting a warning use ``pytest.warns``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _binary_data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("float32")[:, None]
    return x, y


def _categorical_data(n=90, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    labels = np.argmax(x[:, :3], axis=1)
    return x, np.eye(3, dtype="float32")[labels], labels


def _binary_model():
    model = models.Sequential()
    model.add(Dense(8, activation="tanh", input_shape=(6,)))
    model.add(Dense(1, activation="sigmoid"))
    return model


def _modern_copy(model):
    """The modern Sequential of ``_binary_model`` holding the same weights."""
    copy = lamina.Sequential([Input(shape=(6,)), Dense(8, activation="tanh"), Dense(1, activation="sigmoid")])
    copy.set_weights(model.get_weights())
    return copy


def test_fit_nb_epoch_show_accuracy_and_evaluate_match_modern(engine):
    x, y = _binary_data()
    model = _binary_model()
    model.compile(optimizer=optimizers.SGD(lr=0.5), loss="binary_crossentropy")
    history = model.fit(x, y, batch_size=16, nb_epoch=6, show_accuracy=True, verbose=0)
    assert len(history.history["loss"]) == 6 and len(history.history["acc"]) == 6
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]

    loss, acc = model.evaluate(x, y, batch_size=16, show_accuracy=True, verbose=0)
    modern = _modern_copy(model)
    modern.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["binary_accuracy"])
    modern_loss, modern_acc = modern.evaluate(x, y, batch_size=16, verbose=0)
    assert loss == pytest.approx(modern_loss, rel=1e-6) and acc == pytest.approx(modern_acc)
    probabilities = modern.predict(x, verbose=0)
    assert acc == pytest.approx(np.mean((probabilities > 0.5) == y))
    # Without show_accuracy Keras 0.3 returned the bare loss.
    assert model.evaluate(x, y, batch_size=16, verbose=0) == pytest.approx(loss, rel=1e-6)


def test_fit_defaults_to_keras1s_ten_epochs(engine):
    x, y = _binary_data(32)
    model = _binary_model()
    model.compile("sgd", "mse")
    assert len(model.fit(x, y, verbose=0).history["loss"]) == 10
    assert len(model.fit(x, y, epochs=2, verbose=0).history["loss"]) == 2


def test_old_spellings_warn(engine):
    x, y = _binary_data(32)
    model = _binary_model()
    with pytest.warns(DeprecationWarning, match="compile\\(metrics="):
        model.compile("sgd", "binary_crossentropy", class_mode="binary")
    with pytest.warns(DeprecationWarning, match="`epochs=...`"):
        model.fit(x, y, nb_epoch=1, verbose=0)
    with pytest.warns(DeprecationWarning, match="show_accuracy"):
        model.evaluate(x, y, show_accuracy=True, verbose=0)


def test_class_mode_categorical_accuracy_and_predict_classes(engine):
    x, y, labels = _categorical_data()
    model = models.Sequential([Dense(3, activation="softmax", input_shape=(4,))])
    model.compile(optimizers.Adam(lr=0.05), "categorical_crossentropy", class_mode="categorical")
    history = model.fit(x, y, nb_epoch=8, batch_size=15, show_accuracy=True, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, acc = model.evaluate(x, y, show_accuracy=True, verbose=0)
    probabilities = model.predict(x)
    assert acc == pytest.approx(np.mean(probabilities.argmax(-1) == labels))
    np.testing.assert_array_equal(model.predict_classes(x), probabilities.argmax(-1))
    np.testing.assert_allclose(model.predict_proba(x), probabilities)
    expected_loss = np.mean(-np.sum(y * np.log(np.clip(probabilities, 1e-7, 1)), axis=-1))
    assert loss == pytest.approx(expected_loss, rel=1e-4)


def test_predict_classes_binary_thresholds_at_half(engine):
    x, y = _binary_data(40)
    model = _binary_model()
    model.compile("sgd", "binary_crossentropy")
    probabilities = model.predict(x)
    classes = model.predict_classes(x)
    assert classes.dtype == np.int32 and classes.shape == (40, 1)
    np.testing.assert_array_equal(classes, (probabilities > 0.5).astype("int32"))


def test_predict_proba_warns_on_values_outside_0_1(engine):
    model = models.Sequential([Dense(1, input_shape=(6,), kernel_initializer="ones")])
    with pytest.warns(UserWarning, match="invalid probability"):
        model.predict_proba(np.full((2, 6), 3.0, "float32"))


def test_train_and_test_on_batch_with_keras03_accuracy(engine):
    x, y = _binary_data(32)
    model = _binary_model()
    model.compile("sgd", "binary_crossentropy")
    modern = _modern_copy(model)
    modern.compile("sgd", "binary_crossentropy", metrics=["binary_accuracy"])
    assert model.test_on_batch(x, y, accuracy=True) == pytest.approx(modern.test_on_batch(x, y), rel=1e-6)
    before = model.test_on_batch(x, y)
    for _ in range(20):
        model.train_on_batch(x, y)
    assert model.test_on_batch(x, y) < before


class _Batches(lamina.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.per_epoch = []

    def on_epoch_begin(self, epoch, logs=None):
        self.per_epoch.append(0)

    def on_train_batch_end(self, batch, logs=None):
        self.per_epoch[-1] += 1


def _looping(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def test_fit_generator_counts_samples_per_epoch(engine):
    x, y = _binary_data(96)
    model = _binary_model()
    model.compile(optimizers.SGD(lr=0.5), "binary_crossentropy")
    counter = _Batches()
    history = model.fit_generator(_looping(x, y, 16), samples_per_epoch=72, nb_epoch=5, verbose=0,
                                  callbacks=[counter], validation_data=_looping(x, y, 32), nb_val_samples=64)
    assert counter.per_epoch == [math.ceil(72 / 16)] * 5
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert "val_loss" in history.history

    # evaluate_generator / predict_generator read val_samples samples: the same numbers as on the arrays.
    assert model.evaluate_generator(_looping(x, y, 16), val_samples=96) == pytest.approx(
        model.evaluate(x, y, verbose=0), rel=1e-5)
    inputs = (x[start:start + 16] for start in range(0, 96, 16))
    np.testing.assert_allclose(model.predict_generator(inputs, val_samples=96), model.predict(x), rtol=1e-5)


def test_fit_generator_keras2_steps(engine):
    x, y = _binary_data(64)
    model = _binary_model()
    model.compile("sgd", "binary_crossentropy")
    counter = _Batches()
    with pytest.warns(DeprecationWarning, match="`fit\\(generator"):
        model.fit_generator(_looping(x, y, 16), 3, epochs=2, verbose=0, callbacks=[counter], workers=1)
    assert counter.per_epoch == [3, 3]
    with pytest.warns(DeprecationWarning, match="PyDataset"):
        model.evaluate_generator(_looping(x, y, 16), 2, nb_worker=2, pickle_safe=False)


def test_functional_model_with_keras1_keywords(engine):
    x, y = _binary_data()
    inputs = Input(shape=(6,))
    outputs = Dense(1, activation="sigmoid")(Dense(8, activation="tanh")(inputs))
    with pytest.warns(DeprecationWarning, match="Model\\(inputs="):
        model = models.Model(input=inputs, output=outputs)
    assert isinstance(model, models.Model) and isinstance(model, lamina.models.Functional)
    assert model.get_input(train=False) is inputs and model.get_output(train=True) is outputs
    model.compile(optimizers.SGD(lr=0.5), "binary_crossentropy")
    history = model.fit(x, y, nb_epoch=5, batch_size=16, show_accuracy=True, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    modern = lamina.Model(inputs, outputs)
    modern.compile("sgd", "binary_crossentropy", metrics=["binary_accuracy"])
    np.testing.assert_allclose(model.evaluate(x, y, show_accuracy=True, verbose=0), modern.evaluate(x, y, verbose=0),
                               rtol=1e-6)


def test_compiled_accuracy_is_logged_as_acc(engine):
    x, y = _binary_data(32)
    model = _binary_model()
    model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, nb_epoch=1, validation_data=(x, y), verbose=0)
    assert set(history.history) == {"loss", "acc", "val_loss", "val_acc"}
    assert len(model.evaluate(x, y, verbose=0)) == 2


def test_model_from_json_gives_the_keras1_classes(engine):
    model = _binary_model()
    clone = models.model_from_json(model.to_json())
    assert isinstance(clone, models.Sequential)
    clone.compile("sgd", "mse")
    assert len(clone.fit(*_binary_data(16), nb_epoch=2, verbose=0).history["loss"]) == 2


# -- objectives ---------------------------------------------------------------------------------------
def test_keras1_objectives_numbers(engine):
    y_true = np.array([[1.0, -1.0, 1.0], [0.0, 1.0, 1.0]], "float32")
    y_pred = np.array([[0.3, 0.2, 2.0], [0.5, -0.4, 0.1]], "float32")
    to_numpy = lamina.backend.convert_to_numpy
    margins = np.maximum(1 - y_true * y_pred, 0)
    np.testing.assert_allclose(to_numpy(objectives.hinge(y_true, y_pred)), margins.mean(-1), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(objectives.squared_hinge(y_true, y_pred)), (margins**2).mean(-1), rtol=1e-6)
    unit = lambda v: v / np.linalg.norm(v, axis=-1, keepdims=True)  # noqa: E731
    np.testing.assert_allclose(to_numpy(objectives.cosine_proximity(y_true, y_pred)),
                               -(unit(y_true) * unit(y_pred)).mean(-1), rtol=1e-5)
    assert objectives.get("mse") is lamina.losses.mean_squared_error
    assert objectives.get("kld") is lamina.losses.kl_divergence


def test_compile_with_keras1_loss_name_trains(engine):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = x @ rng.normal(size=(4, 3)).astype("float32")
    model = models.Sequential([Dense(3, input_shape=(4,))])
    model.compile(optimizers.SGD(lr=0.5), loss="cosine_proximity")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, nb_epoch=5, batch_size=16, verbose=0)
    after = model.evaluate(x, y, verbose=0)
    assert -1 / 3 <= after < before
    expected = lamina.backend.convert_to_numpy(lamina.losses.cosine_similarity(y, model.predict(x))).mean() / 3
    assert after == pytest.approx(expected, rel=1e-4)


# -- callbacks ----------------------------------------------------------------------------------------
def _stalled_model():
    model = _binary_model()
    model.compile(optimizers.SGD(lr=0.0), "binary_crossentropy")
    return model


def test_early_stopping_counts_patience_as_keras1(engine):
    """With a loss that never improves after the first epoch, Keras 1 trained patience + 2 epochs."""
    x, y = _binary_data(32)
    for patience in (0, 2):
        history = _stalled_model().fit(x, y, batch_size=32, nb_epoch=10, shuffle=False, verbose=0,
                                       callbacks=[callbacks.EarlyStopping(monitor="loss", patience=patience)])
        assert len(history.history["loss"]) == patience + 2


def test_model_checkpoint_period(engine, tmp_path):
    x, y = _binary_data(32)
    path = os.path.join(tmp_path, "weights.{epoch:02d}.weights.h5")
    with pytest.warns(DeprecationWarning, match="save_freq"):
        checkpoint = callbacks.ModelCheckpoint(path, monitor="loss", save_weights_only=True, period=2)
    _stalled_model().fit(x, y, nb_epoch=5, verbose=0, callbacks=[checkpoint])
    assert sorted(os.listdir(tmp_path)) == ["weights.02.weights.h5", "weights.04.weights.h5"]


def test_reduce_lr_on_plateau_epsilon_is_min_delta(engine):
    with pytest.warns(DeprecationWarning, match="min_delta"):
        callback = callbacks.ReduceLROnPlateau(monitor="loss", epsilon=0.5, patience=1)
    assert callback.min_delta == 0.5


def test_sequential_layer_outputs_share_one_graph(engine):
    """Keras 1's tutorial loop printing every layer's output through one ``K.function`` in train mode: each
    layer's ``output``/``get_output(train=True)`` is its node in the model's current graph, so the Dense after
    Dropout sees the mask returned by the same call, and each layer runs once per call."""
    model = models.Sequential()
    model.add(keras1_core.Dense(8, input_dim=4, activation="relu"))
    model.add(keras1_core.Dropout(0.5))
    model.add(keras1_core.Dense(3))
    first, dropout, last = model.layers
    calls = []
    for layer in model.layers:
        def counted(*args, _call=layer.call, _name=layer.name, **kwargs):
            calls.append(_name)
            return _call(*args, **kwargs)
        object.__setattr__(layer, "call", counted)

    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    outputs = K.function([model.input, K.learning_phase()], [layer.output for layer in model.layers])
    hidden, dropped, out = outputs([x, 1])
    assert sorted(calls) == sorted(layer.name for layer in model.layers)
    kept = dropped != 0
    assert 0 < kept.sum() < (hidden != 0).sum()  # some units dropped in train mode
    np.testing.assert_allclose(dropped[kept], 2 * hidden[kept], rtol=1e-6)
    kernel, bias = last.get_weights()
    np.testing.assert_allclose(out, dropped @ kernel + bias, rtol=1e-5, atol=1e-6)

    by_get_output = K.function([model.get_input(train=True), K.learning_phase()],
                               [layer.get_output(train=True) for layer in model.layers])
    np.testing.assert_allclose(by_get_output([x, 0])[2], model.predict(x), rtol=1e-5, atol=1e-6)
    assert last.previous is dropout and dropout.get_input() is first.output
