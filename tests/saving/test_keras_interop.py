"""Optimizer state crosses over with Keras 3.15.1: its files restore lamina's Adam exactly (one more step gives
Keras' weights), and lamina's files have the layout Keras 3.15.1 reads.

The genuine files live in ``../shared/keras-files`` (its README and MANIFEST.json say what each holds): four
models, each trained two steps by Keras with ``Adam(0.01)``, then saved; ``<m>.next_step.npz`` holds the
weights after one more ``train_on_batch`` on the model Keras reloaded.
"""

from __future__ import annotations

import json
import pathlib
import zipfile

import numpy as np
import pytest

from lamina import layers, models, ops, optimizers

h5py = pytest.importorskip("h5py")

FILES = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "keras-files"
MODELS = ("mlp", "char_cnn", "bilstm", "cnn_bn")
LOSSES = {"mlp": "sparse_categorical_crossentropy", "char_cnn": "binary_crossentropy",
          "bilstm": "binary_crossentropy", "cnn_bn": "sparse_categorical_crossentropy"}
TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}

pytestmark = pytest.mark.skipif(not (FILES / "MANIFEST.json").exists(), reason="shared/keras-files is absent")


def manifest() -> dict:
    return json.loads((FILES / "MANIFEST.json").read_text())


def build(name: str):
    """The model Keras saved as ``<name>.*``, built in lamina with the same layer names and structure."""
    if name == "mlp":
        stack = [layers.Input((20,)), layers.Dense(32, activation="relu", name="hidden"),
                 layers.Dropout(0.0, name="drop"), layers.Dense(10, activation="softmax", name="head")]
    elif name == "char_cnn":
        stack = [layers.Input((40,), dtype="int32"), layers.Embedding(60, 32, name="embed"),
                 layers.Dropout(0.0, name="drop"), layers.Conv1D(32, 10, activation="relu", name="conv1"),
                 layers.Conv1D(32, 10, activation="relu", name="conv2"), layers.MaxPooling1D(3, name="pool"),
                 layers.Flatten(name="flat"), layers.Dense(128, activation="relu", name="fc"),
                 layers.Dense(1, activation="sigmoid", name="head")]
    elif name == "bilstm":
        name = "bilstm_model"
        stack = [layers.Input((40,), dtype="int32"), layers.Embedding(60, 16, mask_zero=True, name="embed"),
                 layers.Bidirectional(layers.LSTM(8), name="bilstm"),
                 layers.Dense(1, activation="sigmoid", name="head")]
    else:
        stack = [layers.Input((14, 14, 3)), layers.Conv2D(8, 3, activation="relu", name="conv"),
                 layers.BatchNormalization(name="bn"), layers.MaxPooling2D(name="pool"),
                 layers.Flatten(name="flat"), layers.Dense(4, activation="softmax", name="head")]
    return models.Sequential(stack, name=name)


def compiled(name: str, built_optimizer: bool = True):
    model = build(name)
    model.compile(optimizer=optimizers.Adam(learning_rate=0.01), loss=LOSSES[name], metrics=["accuracy"])
    if built_optimizer:
        model.optimizer.build(model.trainable_variables)
    return model


def batch(name: str):
    return np.load(FILES / f"{name}.input.npy"), np.load(FILES / f"{name}.target.npy")


def keras_weights_h5(name: str, tmp_path) -> pathlib.Path:
    """The ``model.weights.h5`` inside Keras' ``<name>.keras``, extracted."""
    target = tmp_path / f"{name}_from_keras.weights.h5"
    with zipfile.ZipFile(FILES / f"{name}.keras") as archive:
        target.write_bytes(archive.read("model.weights.h5"))
    return target


def assert_next_step(model, name: str) -> None:
    """One more ``train_on_batch`` gives the weights Keras gave (``next_step.npz``), variable by path."""
    x, y = batch(name)
    model.train_on_batch(x, y)
    expected = np.load(FILES / f"{name}.next_step.npz")
    order = manifest()["models"][name]["keras3_weights_order"]
    assert len(model.weights) == len(order)
    for variable, entry in zip(model.weights, order):
        np.testing.assert_allclose(ops.convert_to_numpy(variable), expected[entry["key"]], err_msg=entry["path"],
                                   **TOLERANCE)
    assert int(ops.convert_to_numpy(model.optimizer.iterations)) == 3


def assert_keras_state(model, name: str, weights_path) -> None:
    """The optimizer holds exactly what Keras stored: iterations 2, learning rate 0.01, every slot."""
    optimizer = model.optimizer
    with h5py.File(weights_path, "r") as h5file:
        saved = h5file["optimizer/vars"]
        stored = [np.asarray(saved[str(i)]) for i in range(len(saved))]
    keras_paths = [entry["path"] for entry in manifest()["models"][name]["keras3_optimizer_variables"]]
    assert len(keras_paths) == len(optimizer.variables)
    for keras_path, variable in zip(keras_paths, optimizer.variables):  # Keras' paths also name the model
        assert keras_path.endswith(variable.name), (keras_path, variable.path)
    assert int(ops.convert_to_numpy(optimizer.iterations)) == 2
    np.testing.assert_allclose(float(ops.convert_to_numpy(optimizer.learning_rate)), 0.01, rtol=1e-6)
    for variable, value in zip(optimizer.variables, stored):
        np.testing.assert_array_equal(ops.convert_to_numpy(variable), value, err_msg=variable.path)


@pytest.mark.parametrize("name", MODELS)
def test_keras_weights_h5_resumes_training_exactly(engine, name):
    model = compiled(name)
    model.load_weights(FILES / f"{name}.weights.h5")
    x, _ = batch(name)
    np.testing.assert_allclose(model.predict(x, verbose=0), np.load(FILES / f"{name}.expected.npy"), **TOLERANCE)
    assert_keras_state(model, name, FILES / f"{name}.weights.h5")
    assert_next_step(model, name)


@pytest.mark.parametrize("name", MODELS)
def test_keras_archive_weights_resume_training_exactly(engine, name, tmp_path):
    path = keras_weights_h5(name, tmp_path)
    model = compiled(name)
    model.load_weights(path)
    assert_keras_state(model, name, path)
    assert_next_step(model, name)


def test_unbuilt_optimizer_skips_the_state_with_a_warning_as_keras(engine):
    model = compiled("mlp", built_optimizer=False)
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer 'adam'.*has 2 variables whereas "
                                         "the saved optimizer has 10.*not been called/built"):
        model.load_weights(FILES / "mlp.weights.h5")
    x, _ = batch("mlp")
    np.testing.assert_allclose(model.predict(x, verbose=0), np.load(FILES / "mlp.expected.npy"), **TOLERANCE)
    assert int(ops.convert_to_numpy(model.optimizer.iterations)) == 0


def _walk_layout(path) -> list:
    """Every group and dataset of an h5 file: path, kind, shape, dtype, attributes (sorted by path)."""
    entries = []

    def visit(name, item):
        attributes = {key: str(value) for key, value in item.attrs.items()}
        if isinstance(item, h5py.Dataset):
            entries.append((name, "dataset", item.shape, str(item.dtype), attributes))
        else:
            entries.append((name, "group", None, None, attributes))

    with h5py.File(path, "r") as h5file:
        entries.append(("/", "group", None, None, {key: str(value) for key, value in h5file.attrs.items()}))
        h5file.visititems(visit)
    return sorted(entries, key=lambda entry: entry[0])


def _layout_without_optimizer_name(path) -> list:
    """``_walk_layout`` less the optimizer's name: Keras numbers its optimizers per process (its files say
    ``adam_3`` for the fourth model); lamina writes its own optimizer's name there."""
    return [(p, kind, shape, dtype, {} if p == "optimizer/vars" else attributes)
            for p, kind, shape, dtype, attributes in _walk_layout(path)]


@pytest.mark.parametrize("name", MODELS)
def test_lamina_weights_h5_has_the_layout_keras_writes(engine, name, tmp_path):
    model = compiled(name)
    x, y = batch(name)
    model.train_on_batch(x, y)
    model.train_on_batch(x, y)
    path = tmp_path / f"{name}.weights.h5"
    model.save_weights(path)
    assert _layout_without_optimizer_name(path) == _layout_without_optimizer_name(FILES / f"{name}.weights.h5")
    with h5py.File(path, "r") as h5file:
        assert h5file["optimizer/vars"].attrs["name"] == model.optimizer.name


def test_lamina_state_round_trips_in_keras_order(engine, tmp_path):
    """lamina → file → lamina: the restored optimizer continues exactly; the file holds Keras' interleaved order."""
    model = compiled("cnn_bn")
    x, y = batch("cnn_bn")
    model.train_on_batch(x, y)
    path = tmp_path / "cnn_bn.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "r") as h5file:
        saved = h5file["optimizer/vars"]
        shapes = [saved[str(i)].shape for i in range(len(saved))]
        assert saved["0"].dtype == np.int32 and int(np.asarray(saved["0"])) == 1
    # momentum and velocity of each model variable side by side, in trainable-variable order
    assert shapes[2:] == [tuple(v.shape) for v in model.trainable_variables for _ in range(2)]
    restored = compiled("cnn_bn")
    restored.load_weights(path)
    model.train_on_batch(x, y)
    restored.train_on_batch(x, y)
    for mine, theirs in zip(restored.weights + restored.optimizer.variables, model.weights + model.optimizer.variables):
        np.testing.assert_allclose(ops.convert_to_numpy(mine), ops.convert_to_numpy(theirs), rtol=1e-6, atol=1e-7)


def test_state_of_another_shape_raises_naming_the_optimizer(engine, tmp_path):
    source = models.Sequential([layers.Input((4,)), layers.Dense(3, name="a")], name="m")
    source.compile(optimizer=optimizers.Adam(), loss="mse")
    source.optimizer.build(source.trainable_variables)
    path = tmp_path / "m.weights.h5"
    source.save_weights(path)
    with h5py.File(path, "a") as h5file:  # the slots of a model whose bias has another shape
        del h5file["optimizer/vars/4"]
        h5file["optimizer/vars/4"] = np.zeros(5, "float32")
    target = models.Sequential([layers.Input((4,)), layers.Dense(3, name="a")], name="m")
    target.compile(optimizer=optimizers.Adam(), loss="mse")
    target.optimizer.build(target.trainable_variables)
    with pytest.raises(ValueError, match=r"optimizer '.*' \(Adam\): variable 4 .* has shape \(3,\), but the saved "
                                         r"state holds shape \(5,\)"):
        target.load_weights(path)
    with pytest.warns(UserWarning, match="Skipped loading the optimizer state"):
        target.load_weights(path, skip_mismatch=True)
    assert int(ops.convert_to_numpy(target.optimizer.iterations)) == 0


def test_state_of_another_optimizer_class_raises(engine, tmp_path):
    """RMSprop with momentum keeps two slots per variable, as Adam: equal shapes, another class."""
    source = models.Sequential([layers.Input((4,)), layers.Dense(4, use_bias=False, name="a")], name="m")
    source.compile(optimizer=optimizers.RMSprop(momentum=0.9), loss="mse")
    source.optimizer.build(source.trainable_variables)
    path = tmp_path / "m.weights.h5"
    source.save_weights(path)
    target = compiled_dense_adam()
    with pytest.raises(ValueError, match="optimizer 'rmsprop.*' \\(RMSprop\\) into optimizer 'adam.*' \\(Adam\\)"):
        target.load_weights(path)


def compiled_dense_adam():
    model = models.Sequential([layers.Input((4,)), layers.Dense(4, use_bias=False, name="a")], name="m")
    model.compile(optimizer=optimizers.Adam(), loss="mse")
    model.optimizer.build(model.trainable_variables)
    return model


@pytest.mark.parametrize("name", MODELS)
def test_keras_file_loads_compiled_and_resumes_training_exactly(engine, name, tmp_path):
    model = models.load_model(FILES / f"{name}.keras")
    assert model.compiled and isinstance(model.optimizer, optimizers.Adam)
    x, _ = batch(name)
    np.testing.assert_allclose(model.predict(x, verbose=0), np.load(FILES / f"{name}.expected.npy"), **TOLERANCE)
    assert_keras_state(model, name, keras_weights_h5(name, tmp_path))
    assert_next_step(model, name)


def _archive(path) -> tuple[list, dict, dict]:
    with zipfile.ZipFile(path) as archive:
        return (archive.namelist(), json.loads(archive.read("config.json")),
                json.loads(archive.read("metadata.json")))


@pytest.mark.parametrize("name", MODELS)
def test_lamina_keras_file_has_the_members_keys_and_layout_keras_writes(engine, name, tmp_path):
    model = compiled(name)
    x, y = batch(name)
    model.train_on_batch(x, y)
    model.train_on_batch(x, y)
    path = tmp_path / f"{name}.keras"
    model.save(path)
    members, config, metadata = _archive(path)
    keras_members, keras_config, keras_metadata = _archive(FILES / f"{name}.keras")
    assert members == keras_members
    assert sorted(config) == sorted(keras_config)
    ours, theirs = config["compile_config"], keras_config["compile_config"]
    assert list(ours) == list(theirs)
    assert {key: ours[key] for key in ours if key != "optimizer"} == {
        key: theirs[key] for key in theirs if key != "optimizer"}
    assert ours["optimizer"]["class_name"] == theirs["optimizer"]["class_name"] == "Adam"
    assert ours["optimizer"]["config"] == dict(theirs["optimizer"]["config"], name=model.optimizer.name)
    assert set(keras_metadata) <= set(metadata) and metadata["keras_version"] == keras_metadata["keras_version"]
    assert set(metadata) - set(keras_metadata) == {"lamina_version"}
    ours_h5, theirs_h5 = tmp_path / "ours.weights.h5", keras_weights_h5(name, tmp_path)
    with zipfile.ZipFile(path) as archive:
        ours_h5.write_bytes(archive.read("model.weights.h5"))
    assert _layout_without_optimizer_name(ours_h5) == _layout_without_optimizer_name(theirs_h5)
