"""compile / fit / evaluate / predict end to end: models learn, logs follow Keras, callbacks act."""

import re

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.backend import convert_to_numpy


def linearly_separable(rng, n=256, features=4):
    x = rng.standard_normal((n, features)).astype("float32")
    y = (x @ np.arange(1, features + 1, dtype="float32") > 0).astype("float32")
    return x, y


def small_classifier(features=4):
    return lamina.Sequential([lamina.Input((features,)), layers.Dense(8, activation="relu"),
                              layers.Dense(1, activation="sigmoid")])


def test_one_sgd_step_matches_hand_computation(engine):
    model = lamina.Sequential([lamina.Input((2,)), layers.Dense(1, use_bias=False)])
    model.layers[0].set_weights([np.array([[1.0], [2.0]], "float32")])
    model.compile(optimizer=lamina.optimizers.SGD(learning_rate=0.1), loss="mse")
    x = np.array([[1.0, 1.0], [2.0, 0.0]], "float32")
    y = np.array([[0.0], [1.0]], "float32")
    history = model.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    w = np.array([[1.0], [2.0]])
    error = x @ w - y
    np.testing.assert_allclose(history.history["loss"][0], np.mean(error ** 2), rtol=1e-6)
    grad = 2 * x.T @ error / len(x)
    np.testing.assert_allclose(model.layers[0].get_weights()[0], w - 0.1 * grad, rtol=1e-6)


def test_steps_flush_denormals_to_zero_and_give_the_thread_back(engine):
    """A denormal weight reads as zero in predict, evaluate and fit on every engine, as XLA and TensorFlow
    compute (lamina's torch steps set the CPU's flush-to-zero modes), and the caller's thread is left as it
    was."""
    model = lamina.Sequential([lamina.Input((1,)), layers.Dense(
        1, use_bias=False, kernel_initializer=lamina.initializers.Constant(1e-39))])
    model.compile(optimizer=lamina.optimizers.SGD(learning_rate=0.0), loss="mae")
    x, y = np.ones((4, 1), "float32"), np.zeros((4, 1), "float32")
    assert model.layers[0].get_weights()[0][0, 0] == np.float32(1e-39)  # stored as given
    assert model.predict(x, verbose=0).tolist() == [[0.0]] * 4  # one batch
    assert model.predict(x, batch_size=2, verbose=0).tolist() == [[0.0]] * 4  # the epoch loop
    assert model.evaluate(x, y, verbose=0) == 0.0
    assert model.fit(x, y, epochs=1, verbose=0).history["loss"] == [0.0]
    assert np.float32(1e-39) * np.float32(1.0) != 0


def test_model_learns_and_logs_follow_keras(engine, rng):
    x, y = linearly_separable(rng)
    model = small_classifier()
    model.compile(optimizer=lamina.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=15, validation_split=0.25, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.epoch == list(range(15))
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["val_accuracy"][-1] > 0.9
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy > 0.9
    assert model.evaluate(x, y, verbose=0, return_dict=True).keys() == {"loss", "accuracy"}
    probabilities = model.predict(x, verbose=0)
    assert probabilities.shape == (256, 1)
    np.testing.assert_allclose(np.mean((probabilities[:, 0] > 0.5) == y), accuracy, atol=1e-6)


def test_epoch_loss_is_sample_weighted_mean_of_batch_losses(engine, rng):
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.SGD(learning_rate=0.0), loss="mae")
    x = rng.standard_normal((10, 3)).astype("float32")
    y = rng.standard_normal((10, 1)).astype("float32")
    loss = model.fit(x, y, batch_size=4, epochs=1, verbose=0).history["loss"][0]
    prediction = convert_to_numpy(model(x))
    np.testing.assert_allclose(loss, np.mean(np.abs(prediction - y)), rtol=1e-5)


def test_accuracy_resolution_follows_loss_and_shapes(engine, rng):
    x = rng.standard_normal((6, 3)).astype("float32")
    cases = [
        ("sparse_categorical_crossentropy", np.array([0, 1, 2, 0, 1, 2]), 3, "SparseCategoricalAccuracy"),
        ("categorical_crossentropy", np.eye(3, dtype="float32")[[0, 1, 2, 0, 1, 2]], 3, "CategoricalAccuracy"),
        ("binary_crossentropy", np.array([[0.0], [1.0]] * 3, "float32"), 1, "BinaryAccuracy"),
        ("mse", np.array([[0.0], [1.0]] * 3, "float32"), 1, "BinaryAccuracy"),
    ]
    for loss, y, units, expected in cases:
        model = lamina.Sequential([lamina.Input((3,)), layers.Dense(units, activation="softmax" if units > 1 else
                                                                     "sigmoid")])
        model.compile(loss=loss, metrics=["acc"])
        model.fit(x, y, epochs=1, verbose=0)
        metric = model.metrics[-1]
        assert type(metric).__name__ == expected and metric.name == "acc"


def test_two_input_two_output_model_with_loss_weights(engine, rng):
    a = lamina.Input((3,), name="a")
    b = lamina.Input((2,), name="b")
    hidden = layers.Dense(8, activation="relu")(layers.Concatenate()([a, b]))
    score = layers.Dense(1, name="score")(hidden)
    label = layers.Dense(3, activation="softmax", name="label")(hidden)
    model = lamina.Model([a, b], [score, label])
    model.compile(optimizer=lamina.optimizers.Adam(0.02),
                  loss={"score": "mse", "label": "sparse_categorical_crossentropy"},
                  loss_weights={"score": 0.5, "label": 2.0}, metrics={"label": ["accuracy"], "score": ["mae"]})
    xa = rng.standard_normal((96, 3)).astype("float32")
    xb = rng.standard_normal((96, 2)).astype("float32")
    y_score = (xa.sum(1, keepdims=True) + xb[:, :1]).astype("float32")
    y_label = (xa[:, 0] > 0).astype("int64") + (xb[:, 1] > 0.5)
    history = model.fit([xa, xb], {"score": y_score, "label": y_label}, epochs=20, batch_size=16, verbose=0)
    logs = history.history
    assert set(logs) == {"loss", "score_loss", "label_loss", "label_accuracy", "score_mae"}
    np.testing.assert_allclose(logs["loss"][-1], 0.5 * logs["score_loss"][-1] + 2.0 * logs["label_loss"][-1],
                               rtol=1e-4)
    assert logs["loss"][-1] < 0.6 * logs["loss"][0]
    assert logs["label_accuracy"][-1] > 0.8


def test_multi_label_model_with_auc_and_class_weight(engine, rng):
    x = rng.standard_normal((200, 6)).astype("float32")
    y = np.stack([x[:, 0] > 0.5, x[:, 1] + x[:, 2] > 0, x[:, 3] < -1], axis=1).astype("float32")
    model = lamina.Sequential([lamina.Input((6,)), layers.Dense(16, activation="relu"),
                               layers.Dense(3, activation="sigmoid")])
    model.compile(optimizer=lamina.optimizers.Adam(0.02), loss="binary_crossentropy",
                  metrics=[lamina.metrics.AUC(multi_label=True, name="auc")])
    history = model.fit(x, y, epochs=20, batch_size=20, class_weight={2: 5.0}, verbose=0)
    assert history.history["auc"][-1] > 0.95


def test_train_test_predict_on_batch(engine, rng):
    x, y = linearly_separable(rng, n=16)
    model = small_classifier()
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    before = model.test_on_batch(x, y)
    after = model.train_on_batch(x, y, return_dict=True)
    assert set(after) == {"loss", "accuracy"}
    np.testing.assert_allclose(after["loss"], before[0], rtol=1e-5)  # the loss of the batch before the update
    np.testing.assert_allclose(model.predict_on_batch(x), convert_to_numpy(model(x)), rtol=1e-6)


def test_predict_many_batches_matches_direct_call(engine, rng):
    model = small_classifier()
    x = rng.standard_normal((70, 4)).astype("float32")
    np.testing.assert_allclose(model.predict(x, batch_size=16, verbose=0), convert_to_numpy(model(x)), rtol=1e-5,
                               atol=1e-6)


def test_inputs_from_generators_and_pydataset(engine, rng):
    x, y = linearly_separable(rng, n=64)

    def batches():
        while True:
            for i in range(0, 64, 16):
                yield x[i:i + 16], y[i:i + 16]

    class Batches(lamina.utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, index):
            return x[index * 16:(index + 1) * 16], y[index * 16:(index + 1) * 16]

    model = small_classifier()
    model.compile(optimizer="adam", loss="binary_crossentropy")
    assert len(model.fit(batches(), steps_per_epoch=4, epochs=2, verbose=0).history["loss"]) == 2
    assert len(model.fit(Batches(), epochs=2, verbose=0).history["loss"]) == 2
    assert np.isfinite(model.evaluate(Batches(), verbose=0))


def test_early_stopping_restores_best_weights_through_fit(engine, rng):
    x, y = linearly_separable(rng, n=64)
    model = small_classifier()
    model.compile(optimizer=lamina.optimizers.SGD(learning_rate=0.5), loss="binary_crossentropy")
    snapshots = []
    record = lamina.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(
        (logs["val_loss"], model.get_weights())))
    stop = lamina.callbacks.EarlyStopping(monitor="val_loss", patience=1, restore_best_weights=True)
    model.fit(x, y, validation_data=(x[::-1] * -1.0, y[::-1]), epochs=30, verbose=0, callbacks=[record, stop])
    best_loss, best_weights = min(snapshots, key=lambda item: item[0])
    for restored, expected in zip(model.get_weights(), best_weights):
        np.testing.assert_allclose(restored, expected)
    assert len(snapshots) < 30


def test_terminate_on_nan_stops(engine, rng):
    x, y = linearly_separable(rng, n=32)
    model = small_classifier()
    model.compile(optimizer=lamina.optimizers.SGD(learning_rate=1e30), loss="mse")
    history = model.fit(x, y * 1e30, epochs=5, batch_size=8, verbose=0,
                        callbacks=[lamina.callbacks.TerminateOnNaN()])
    assert len(history.history["loss"]) == 1


def test_reduce_lr_on_plateau_changes_rate(engine, rng):
    x, y = linearly_separable(rng, n=32)
    model = small_classifier()
    model.compile(optimizer=lamina.optimizers.SGD(learning_rate=0.0), loss="mse")
    reduce = lamina.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=0.0)
    model.optimizer.learning_rate = 0.1
    model.compile(optimizer=lamina.optimizers.SGD(learning_rate=1e-12), loss="mse")
    model.fit(x, y, epochs=4, verbose=0, callbacks=[reduce])
    assert float(convert_to_numpy(model.optimizer.learning_rate)) < 1e-12


def test_model_checkpoint_writes_only_improving_epochs(engine, rng, tmp_path):
    x, y = linearly_separable(rng, n=64)
    model = small_classifier()
    model.compile(optimizer=lamina.optimizers.Adam(0.05), loss="binary_crossentropy")
    pattern = str(tmp_path / "model-{epoch:02d}-{loss:.2f}.weights.h5")
    checkpoint = lamina.callbacks.ModelCheckpoint(pattern, monitor="loss", save_best_only=True,
                                                  save_weights_only=True)
    history = model.fit(x, y, epochs=5, verbose=0, callbacks=[checkpoint])
    losses = history.history["loss"]
    improving = [epoch for epoch in range(5) if losses[epoch] == min(losses[:epoch + 1])]
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted(f"model-{e + 1:02d}-{losses[e]:.2f}.weights.h5" for e in improving)


def test_progress_output_in_a_pipe_is_clean(engine, rng, capsys):
    x, y = linearly_separable(rng, n=64)
    model = small_classifier()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=1)
    out = capsys.readouterr().out
    assert not re.search(r"[\r\b\x1b]", out)
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert re.match(r"3/3 \S+ \d+s \d+(us|ms|s)/step( - [a-z_]+: [\d.]+){4}$", lines[1])
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} == set(re.findall(r"([a-z_]+): ", lines[1]))


def test_fit_before_compile_raises(engine):
    with pytest.raises(RuntimeError, match="compile"):
        small_classifier().fit(np.zeros((2, 4)), np.zeros(2))


@pytest.mark.engines("torch")
def test_jit_compile_trains_like_eager(engine, rng):
    x, y = linearly_separable(rng, n=64)
    eager, compiled = small_classifier(), small_classifier()
    compiled.set_weights(eager.get_weights())
    for model, jit in ((eager, False), (compiled, True)):
        model.compile(optimizer=lamina.optimizers.Adam(0.01), loss="binary_crossentropy", jit_compile=jit)
        model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(eager.get_weights(), compiled.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
