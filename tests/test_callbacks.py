"""Callbacks, driven through CallbackList by a small stand-in for fit's loop (no dependency on Model.fit)."""

import math
import os

import numpy as np
import pytest

import lamina
from lamina import callbacks
from lamina.callbacks import (
    Callback,
    CallbackList,
    CSVLogger,
    EarlyStopping,
    History,
    LambdaCallback,
    LearningRateScheduler,
    ModelCheckpoint,
    ProgbarLogger,
    ReduceLROnPlateau,
    TerminateOnNaN,
)


class FakeOptimizer:
    def __init__(self, learning_rate=1.0):
        self.learning_rate = learning_rate


class FakeModel:
    """What callbacks use of a model: weights, stop_training, the optimizer's rate, save/save_weights."""

    def __init__(self, learning_rate=1.0, metrics=()):
        self.weights = [np.zeros(3)]
        self.stop_training = False
        self.optimizer = FakeOptimizer(learning_rate)
        self.metrics = list(metrics)
        self.saves = []

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]

    def save(self, path):
        self.saves.append(("model", path))
        with open(path, "w") as f:
            f.write("model")

    def save_weights(self, path):
        self.saves.append(("weights", path))
        with open(path, "w") as f:
            f.write("weights")


def fit(callback_list, model, epoch_logs, steps=2, batch_logs=None):
    """Run the hooks as fit does: weights become [epoch]*3 in each epoch; stop_training is honoured.

    Returns the number of epochs run.
    """
    cbs = CallbackList(callback_list, add_history=True, model=model, verbose=0, epochs=len(epoch_logs),
                       steps=steps)
    model.stop_training = False
    cbs.on_train_begin()
    epochs_run = 0
    for epoch, logs in enumerate(epoch_logs):
        cbs.on_epoch_begin(epoch)
        for batch in range(steps):
            cbs.on_train_batch_begin(batch)
            model.weights = [np.full(3, float(epoch))]
            cbs.on_train_batch_end(batch, dict(batch_logs(epoch, batch)) if batch_logs else {"loss": 1.0})
            if model.stop_training:
                break
        cbs.on_epoch_end(epoch, dict(logs))
        epochs_run += 1
        if model.stop_training:
            break
    cbs.on_train_end()
    return epochs_run


def losses(*values, key="val_loss"):
    return [{key: v} for v in values]


# --- CallbackList and History ---------------------------------------------------------------------------

def test_history_records_every_epoch(engine):
    model = FakeModel()
    fit([], model, [{"loss": 0.5, "val_loss": 0.7}, {"loss": 0.25, "val_loss": 0.6}])
    assert model.history.history == {"loss": [0.5, 0.25], "val_loss": [0.7, 0.6]}
    assert model.history.epoch == [0, 1]


def test_callback_list_adds_defaults_once_and_sets_model_and_params(engine):
    model = FakeModel()
    history = History()
    cbs = CallbackList([[history]], add_history=True, add_progbar=True, model=model, verbose=0, epochs=2,
                       steps=3)
    assert [type(c) for c in cbs.callbacks] == [History, ProgbarLogger]
    assert cbs.callbacks[0] is history and model.history is history
    for callback in cbs.callbacks:
        assert callback.model is model
        assert callback.params == {"verbose": 0, "epochs": 2, "steps": 3}
    assert [type(c) for c in CallbackList([], model=model).callbacks] == []
    with pytest.raises(TypeError, match="Callback"):
        CallbackList(["not a callback"])


def test_callback_list_forwards_hooks_in_order_and_honours_old_batch_names(engine):
    calls = []

    class Recorder(Callback):
        def on_batch_end(self, batch, logs=None):  # the old name of on_train_batch_end
            calls.append(("batch_end", batch, logs["loss"]))

        def on_epoch_end(self, epoch, logs=None):
            calls.append(("epoch_end", epoch, logs["loss"]))

    lam = LambdaCallback(on_train_begin=lambda logs: calls.append(("train_begin",)),
                         on_test_end=lambda logs: calls.append(("test_end",)))
    model = FakeModel()
    fit([Recorder(), lam], model, [{"loss": 0.5}], steps=2, batch_logs=lambda e, b: {"loss": b / 10})
    assert calls == [("train_begin",), ("batch_end", 0, 0.0), ("batch_end", 1, 0.1), ("epoch_end", 0, 0.5)]
    cbs = CallbackList([lam])
    cbs.on_test_begin()
    cbs.on_test_end()
    assert calls[-1] == ("test_end",)
    # Hooks nobody implements are not dispatched at all (the per-batch hot path stays empty).
    assert cbs._handlers["on_train_batch_end"] == []
    with pytest.raises(ValueError, match="on_epoch_ends"):
        LambdaCallback(on_epoch_ends=print)


# --- EarlyStopping ----------------------------------------------------------------------------------------

def test_early_stopping_stops_after_patience_and_restores_best_weights(engine):
    model = FakeModel()
    stopper = EarlyStopping(patience=2, restore_best_weights=True)
    ran = fit([stopper], model, losses(1.0, 0.5, 0.6, 0.7, 0.8, 0.9))
    assert ran == 4 and stopper.stopped_epoch == 3
    assert stopper.best == 0.5 and stopper.best_epoch == 1
    np.testing.assert_array_equal(model.weights[0], np.full(3, 1.0))


def test_early_stopping_restores_best_weights_even_without_stopping(engine):
    model = FakeModel()
    stopper = EarlyStopping(patience=5, restore_best_weights=True)
    assert fit([stopper], model, losses(1.0, 0.5, 0.6)) == 3
    assert stopper.stopped_epoch == 0
    np.testing.assert_array_equal(model.weights[0], np.full(3, 1.0))


def test_early_stopping_without_restore_keeps_last_weights(engine):
    model = FakeModel()
    assert fit([EarlyStopping(patience=1)], model, losses(1.0, 2.0, 3.0)) == 2
    np.testing.assert_array_equal(model.weights[0], np.full(3, 1.0))


def test_early_stopping_min_delta(engine):
    # 0.95 and 0.93 improve on 1.0 by less than 0.1: no improvement, so patience 1 stops at epoch 1.
    stopper = EarlyStopping(min_delta=0.1, patience=1)
    assert fit([stopper], FakeModel(), losses(1.0, 0.95, 0.93, 0.5)) == 2
    assert stopper.stopped_epoch == 1 and stopper.best == 1.0
    assert fit([EarlyStopping(min_delta=0.01, patience=1)], FakeModel(), losses(1.0, 0.95, 0.93, 0.5)) == 4


def test_early_stopping_baseline_keeps_counting_until_beaten(engine):
    values = losses(0.9, 0.95, 0.97, 0.99, 1.0)
    assert fit([EarlyStopping(patience=2)], FakeModel(), values) == 3
    # Epoch 0 improves on inf but not on the baseline, so its wait is not reset: one epoch earlier.
    assert fit([EarlyStopping(patience=2, baseline=0.5)], FakeModel(), values) == 2
    assert fit([EarlyStopping(patience=2, baseline=0.95)], FakeModel(), values) == 3


def test_early_stopping_start_from_epoch(engine):
    rising = losses(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
    assert fit([EarlyStopping(patience=0)], FakeModel(), rising) == 2
    stopper = EarlyStopping(patience=0, start_from_epoch=3)
    assert fit([stopper], FakeModel(), rising) == 5
    assert stopper.best == 4.0 and stopper.stopped_epoch == 4


def test_early_stopping_directions(engine):
    accuracy = losses(0.5, 0.7, 0.6, 0.65, key="val_accuracy")
    assert fit([EarlyStopping(monitor="val_accuracy", patience=1)], FakeModel(), accuracy) == 3
    assert fit([EarlyStopping(monitor="val_accuracy", patience=1, mode="min")], FakeModel(), accuracy) == 2

    class Metric:
        name, _direction = "auc", "up"

    class Container:
        name, metrics = "compile_metrics", [Metric()]

    aucs = losses(0.5, 0.7, 0.6, 0.65, key="val_auc")
    assert fit([EarlyStopping(monitor="val_auc", patience=1)], FakeModel(metrics=[Container()]), aucs) == 3
    with pytest.raises(ValueError, match="mode='max'"):
        fit([EarlyStopping(monitor="val_auc")], FakeModel(), aucs)


def test_early_stopping_warns_when_monitor_missing(engine):
    with pytest.warns(UserWarning, match="val_loss.*not available"):
        assert fit([EarlyStopping()], FakeModel(), [{"loss": 1.0}, {"loss": 2.0}]) == 2


# --- ModelCheckpoint --------------------------------------------------------------------------------------

def test_model_checkpoint_save_best_only_formats_names(engine, tmp_path):
    model = FakeModel()
    path = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.2f}.keras")
    fit([ModelCheckpoint(path, save_best_only=True)], model, losses(1.0, 0.8, 0.9, 0.5))
    assert sorted(os.listdir(tmp_path)) == ["ckpt-01-1.00.keras", "ckpt-02-0.80.keras", "ckpt-04-0.50.keras"]
    assert [kind for kind, _ in model.saves] == ["model"] * 3


def test_model_checkpoint_every_epoch_weights_only_any_name(engine, tmp_path):
    model = FakeModel()
    path = str(tmp_path / "sub" / "w{epoch}.bin")  # the folder is created; any suffix is accepted
    fit([ModelCheckpoint(path, save_weights_only=True)], model, losses(1.0, 2.0))
    assert sorted(os.listdir(tmp_path / "sub")) == ["w1.bin", "w2.bin"]
    assert (tmp_path / "sub" / "w2.bin").read_text() == "weights"


def test_model_checkpoint_mode_and_initial_threshold(engine, tmp_path):
    accuracy = losses(0.5, 0.7, 0.6, 0.9, key="val_acc")
    model = FakeModel()
    fit([ModelCheckpoint(str(tmp_path / "{epoch}.keras"), monitor="val_acc", save_best_only=True)], model,
        accuracy)
    assert sorted(os.listdir(tmp_path)) == ["1.keras", "2.keras", "4.keras"]
    threshold = tmp_path / "t"
    fit([ModelCheckpoint(str(threshold / "{epoch}.keras"), save_best_only=True, initial_value_threshold=0.7)],
        FakeModel(), losses(1.0, 0.8, 0.9, 0.5))
    assert os.listdir(threshold) == ["4.keras"]


def test_model_checkpoint_stages_once_through_the_saver(engine, tmp_path):
    # model.save / save_weights write atomically themselves (tests/saving/test_atomic_saves.py): the
    # callback hands them the target, rather than a temporary name they would stage a second time.
    model = FakeModel()
    target = tmp_path / "model.keras"
    fit([ModelCheckpoint(str(target))], model, losses(1.0, 0.5))
    assert model.saves == [("model", str(target)), ("model", str(target))]
    assert os.listdir(tmp_path) == ["model.keras"]


def test_model_checkpoint_save_freq_in_batches(engine, tmp_path):
    path = str(tmp_path / "{epoch}-{batch}.keras")
    fit([ModelCheckpoint(path, save_freq=2)], FakeModel(), losses(1.0, 0.5), steps=3)
    assert sorted(os.listdir(tmp_path)) == ["1-2.keras", "2-1.keras", "2-3.keras"]


def test_model_checkpoint_errors(engine, tmp_path):
    with pytest.raises(ValueError, match="save_freq"):
        ModelCheckpoint("x.keras", save_freq="batch")
    with pytest.raises(KeyError, match="val_acc"):
        fit([ModelCheckpoint(str(tmp_path / "{val_acc}.keras"))], FakeModel(), losses(1.0))


# --- CSVLogger --------------------------------------------------------------------------------------------

def test_csv_logger_writes_and_appends(engine, tmp_path):
    path = tmp_path / "log.csv"
    fit([CSVLogger(path)], FakeModel(), [{"loss": 0.5, "val_loss": 0.75}, {"loss": 0.25, "val_loss": 0.5}])
    assert path.read_text().splitlines() == ["epoch,loss,val_loss", "0,0.5,0.75", "1,0.25,0.5"]
    fit([CSVLogger(path, append=True)], FakeModel(), [{"loss": 0.125, "val_loss": 0.25}])
    assert path.read_text().splitlines()[1:] == ["0,0.5,0.75", "1,0.25,0.5", "0,0.125,0.25"]
    fit([CSVLogger(path, separator=";")], FakeModel(), [{"loss": 0.5}, {"loss": 0.25, "val_loss": 0.5}])
    assert path.read_text().splitlines() == ["epoch;loss;val_loss", "0;0.5;NA", "1;0.25;0.5"]


def test_csv_logger_flushes_each_epoch(engine, tmp_path):
    path = tmp_path / "log.csv"
    seen = []
    reader = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(path.read_text().count("\n")))
    fit([CSVLogger(path), reader], FakeModel(), [{"loss": 0.5}, {"loss": 0.25}])
    assert seen == [2, 3]


# --- Learning rate ----------------------------------------------------------------------------------------

def lr_history(model):
    return model.history.history["learning_rate"]


def test_reduce_lr_on_plateau_after_patience(engine):
    model = FakeModel(learning_rate=1.0)
    fit([ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2)], model, losses(*[1.0] * 6, key="loss"))
    # Logged before the reduction of that epoch: reductions after epochs 2 and 4.
    assert lr_history(model) == [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]
    assert model.optimizer.learning_rate == 0.25


def test_reduce_lr_on_plateau_cooldown_and_min_lr(engine):
    model = FakeModel(learning_rate=1.0)
    fit([ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, cooldown=2)], model,
        losses(*[1.0] * 7, key="loss"))
    assert lr_history(model) == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
    model = FakeModel(learning_rate=1.0)
    fit([ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_lr=0.3)], model,
        losses(*[1.0] * 5, key="loss"))
    assert lr_history(model) == [1.0, 1.0, 0.5, 0.3, 0.3]
    model = FakeModel(learning_rate=1.0)  # steady improvement larger than min_delta: no reduction
    fit([ReduceLROnPlateau(monitor="loss", patience=1)], model, losses(1.0, 0.9, 0.8, 0.7, key="loss"))
    assert model.optimizer.learning_rate == 1.0
    with pytest.raises(ValueError, match="factor=1.5"):
        ReduceLROnPlateau(factor=1.5)


def test_learning_rate_scheduler_both_signatures(engine):
    model = FakeModel(learning_rate=1.0)
    fit([LearningRateScheduler(lambda epoch: 0.1 * (epoch + 1))], model, losses(1.0, 1.0, 1.0))
    np.testing.assert_allclose(lr_history(model), [0.1, 0.2, 0.3])
    model = FakeModel(learning_rate=1.0)
    fit([LearningRateScheduler(lambda epoch, lr: lr * 0.5)], model, losses(1.0, 1.0, 1.0))
    assert lr_history(model) == [0.5, 0.25, 0.125]
    with pytest.raises(ValueError, match="should be a float"):
        fit([LearningRateScheduler(lambda epoch: "fast")], FakeModel(), losses(1.0))


def test_learning_rate_read_from_a_variable(engine):
    from lamina.backend import Variable

    model = FakeModel(learning_rate=Variable(np.float32(0.5)))
    fit([LearningRateScheduler(lambda epoch, lr: lr * 0.5)], model, losses(1.0))
    assert model.optimizer.learning_rate == 0.25


# --- TerminateOnNaN and stop_training --------------------------------------------------------------------

def test_terminate_on_nan_stops_training(engine):
    model = FakeModel()
    batch_logs = lambda epoch, batch: {"loss": math.nan if (epoch, batch) == (1, 1) else 0.5}  # noqa: E731
    assert fit([TerminateOnNaN()], model, losses(1.0, 1.0, 1.0, 1.0), steps=3, batch_logs=batch_logs) == 2
    assert model.stop_training
    model = FakeModel()
    assert fit([TerminateOnNaN()], model, losses(1.0, 1.0), batch_logs=lambda e, b: {"loss": math.inf}) == 1


def test_terminate_on_nan_raise_error_skips_cleanup(engine):
    """``raise_error=True``: a real ``fit`` whose loss turns NaN raises RuntimeError naming the batch, and the
    other callbacks' ``on_train_end`` does not run; the default stops and runs it."""
    x = np.ones((4, 2), "float32")
    y = np.array([[1.0], [1.0], [math.nan], [1.0]], "float32")
    ended = []
    tracker = lamina.callbacks.LambdaCallback(on_train_end=lambda logs: ended.append(True))
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 1"):
        model.fit(x, y, batch_size=2, epochs=2, shuffle=False, verbose=0,
                  callbacks=[TerminateOnNaN(raise_error=True), tracker])
    assert not ended
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=2, epochs=2, shuffle=False, verbose=0,
                        callbacks=[TerminateOnNaN(), tracker])
    assert ended == [True] and len(history.history["loss"]) == 1


def test_public_names(engine):
    for name in ("Callback", "CallbackList", "History", "ProgbarLogger", "EarlyStopping", "ModelCheckpoint",
                 "CSVLogger", "ReduceLROnPlateau", "LearningRateScheduler", "TerminateOnNaN", "LambdaCallback"):
        assert hasattr(callbacks, name)
