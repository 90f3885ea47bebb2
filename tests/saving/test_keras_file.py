"""``.keras`` files: round trips, compile state, atomic writes, safe mode, and files laid out as Keras 3 writes them."""

import json
import os
import zipfile

import h5py
import numpy as np
import pytest

import lamina
from lamina import layers, ops, optimizers, serialization
from lamina.backend import convert_to_numpy
from lamina.models import Model, Sequential, load_model
from lamina.saving import keras_file, save_model


def sequential():
    return Sequential([layers.Input(shape=(4,)), layers.Dense(3, activation="relu"), layers.Dense(2)])


def two_inputs():
    a, b = layers.Input(shape=(3,), name="a"), layers.Input(shape=(2,), name="b")
    return Model([a, b], layers.Dense(1)(layers.Concatenate()([layers.Dense(4)(a), b])))


def nested():
    inner_in = layers.Input(shape=(3,))
    inner = Model(inner_in, layers.Dense(4)(inner_in))
    x = layers.Input(shape=(3,))
    return Model(x, layers.Dense(1)(ops.relu(inner(x))))


def predict(model, x):
    return convert_to_numpy(model(x))


def members(path):
    with zipfile.ZipFile(path) as archive:
        return archive.namelist(), json.loads(archive.read("config.json")), json.loads(archive.read("metadata.json"))


@pytest.mark.parametrize("build, shapes", [(sequential, [(2, 4)]), (two_inputs, [(2, 3), (2, 2)]),
                                           (nested, [(2, 3)])])
def test_round_trip_gives_identical_predictions(engine, tmp_path, rng, build, shapes):
    model = build()
    x = [rng.standard_normal(shape).astype("float32") for shape in shapes]
    x = x[0] if len(x) == 1 else x
    path = tmp_path / "model.keras"
    model.save(path)
    restored = load_model(path)
    assert type(restored) is type(model) and restored is not model
    np.testing.assert_array_equal(predict(restored, x), predict(model, x))
    names, config, metadata = members(path)
    assert names == ["metadata.json", "config.json", "model.weights.h5"]
    assert set(metadata) == {"keras_version", "date_saved", "lamina_version"}
    assert metadata["keras_version"].startswith("3.") and metadata["lamina_version"] == lamina.__version__
    assert config["module"].startswith("keras") and "compile_config" not in config  # never compiled
    assert config["class_name"] == ("Sequential" if build is sequential else "Functional")


def test_any_suffix_and_unzipped_folder(engine, tmp_path, rng):
    model, x = sequential(), rng.standard_normal((2, 4)).astype("float32")
    save_model(model, tmp_path / "model.bin")  # lamina writes the zip whatever the name
    assert zipfile.is_zipfile(tmp_path / "model.bin")
    folder = tmp_path / "folder"
    for _ in range(2):  # the second save replaces the folder
        model.save(folder, zipped=False)
    assert sorted(os.listdir(folder)) == ["config.json", "metadata.json", "model.weights.h5"]
    assert sorted(os.listdir(tmp_path)) == ["folder", "model.bin"]
    for path in (tmp_path / "model.bin", folder):
        np.testing.assert_array_equal(predict(load_model(str(path)), x), predict(model, x))


def test_overwrite_false_and_bad_files(engine, tmp_path):
    path = tmp_path / "m.keras"
    sequential().save(path)
    with pytest.raises(FileExistsError, match="overwrite=False"):
        sequential().save(path, overwrite=False)
    with pytest.raises(FileNotFoundError, match="missing.keras"):
        load_model(tmp_path / "missing.keras")
    with h5py.File(tmp_path / "old.h5", "w"):
        pass
    with pytest.raises(ValueError, match="HDF5 file without a whole model"):
        load_model(tmp_path / "old.h5")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp_path / "other.keras", "w") as archive:
        archive.writestr("config.json", sequential().to_json().replace('"units": 2', '"units": 5'))
        archive.writestr("model.weights.h5", source.read("model.weights.h5"))  # weights of another architecture
    with pytest.raises(ValueError, match="do not fit the model rebuilt"):
        load_model(tmp_path / "other.keras")
    with zipfile.ZipFile(tmp_path / "partial.keras", "w") as archive:
        archive.writestr("config.json", "{}")
    with pytest.raises(ValueError, match="lacks \\['model.weights.h5'\\]"):
        load_model(tmp_path / "partial.keras")


@pytest.mark.parametrize("zipped", [True, False])
def test_failed_save_keeps_the_old_file_and_leaves_no_temporary(engine, tmp_path, rng, monkeypatch, zipped):
    old, x = sequential(), rng.standard_normal((2, 4)).astype("float32")
    path = tmp_path / "model.keras"
    old.save(path, zipped=zipped)

    def crash(model, filepath, overwrite=True):
        with open(filepath, "wb") as handle:
            handle.write(b"half")  # a partly written weights file, then the crash
        raise OSError("disk full")

    monkeypatch.setattr(keras_file.weights_h5, "save_weights", crash)
    with pytest.raises(OSError, match="disk full"):
        sequential().save(path, zipped=zipped)
    assert os.listdir(tmp_path) == ["model.keras"]
    monkeypatch.undo()
    np.testing.assert_array_equal(predict(load_model(path), x), predict(old, x))


def test_saved_file_gets_default_permissions(engine, tmp_path):
    umask = os.umask(0o022)
    try:
        sequential().save(tmp_path / "m.keras")
    finally:
        os.umask(umask)
    assert os.stat(tmp_path / "m.keras").st_mode & 0o777 == 0o644


def test_lambda_loads_only_outside_safe_mode(engine, tmp_path, rng):
    x = layers.Input(shape=(3,))
    model = Model(x, layers.Lambda(lambda t: t * 2.0)(layers.Dense(2)(x)))
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(ValueError, match="safe_mode=False"):
        load_model(path)
    data = rng.standard_normal((2, 3)).astype("float32")
    np.testing.assert_array_equal(predict(load_model(path, safe_mode=False), data), predict(model, data))
    assert serialization.in_safe_mode()  # safe mode is back on after the call


# -- compile state ---------------------------------------------------------------------------------
def fitted_model(rng):
    model = sequential()
    model.compile(optimizer=optimizers.Adam(learning_rate=0.01), loss="mse", metrics=["mae"])
    x, y = rng.standard_normal((8, 4)).astype("float32"), rng.standard_normal((8, 2)).astype("float32")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    return model, x, y


def test_compile_state_round_trip(engine, tmp_path, rng):
    model, x, y = fitted_model(rng)
    path = tmp_path / "compiled.keras"
    model.save(path)
    _, config, _ = members(path)
    compile_config = config["compile_config"]
    assert compile_config["optimizer"]["module"] == "keras.optimizers"
    assert compile_config["optimizer"]["class_name"] == "Adam"
    assert compile_config["loss"] == "mse" and compile_config["metrics"] == ["mae"]
    restored = load_model(path)
    assert restored.compiled and isinstance(restored.optimizer, optimizers.Adam)
    np.testing.assert_allclose(float(convert_to_numpy(restored.optimizer.learning_rate)), 0.01, rtol=1e-6)
    assert int(convert_to_numpy(restored.optimizer.iterations)) == 2
    for saved, loaded in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_array_equal(convert_to_numpy(loaded), convert_to_numpy(saved))
    # training goes on from the same state: one more step gives the same weights
    model.train_on_batch(x, y)
    restored.train_on_batch(x, y)
    for saved, loaded in zip(model.weights, restored.weights):
        np.testing.assert_allclose(convert_to_numpy(loaded), convert_to_numpy(saved), rtol=1e-6)
    assert not load_model(path, compile=False).compiled


def test_uncompiled_model_has_no_compile_config(engine):
    assert keras_file.get_compile_config(sequential()) is None


# -- files laid out by hand as Keras 3 writes them -------------------------------------------------
_POLICY = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def keras_dense(name, units, activation="linear"):
    return {"module": "keras.layers", "class_name": "Dense", "registered_name": None, "config": {
        "name": name, "trainable": True, "dtype": _POLICY, "units": units, "activation": activation,
        "use_bias": True,
        "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                               "config": {"seed": None}, "registered_name": None},
        "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                             "registered_name": None},
        "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None}}


def keras_input(name, size):
    return {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
            "config": {"batch_shape": [None, size], "dtype": "float32", "sparse": False, "name": name}}


def tensor(shape, history):
    return {"class_name": "__keras_tensor__", "config": {"shape": [None, shape], "dtype": "float32",
                                                         "keras_history": [history, 0, 0]}}


def node(layer, name, input_size, args):
    return dict(layer, name=name, build_config={"input_shape": [None, input_size]},
                inbound_nodes=[{"args": args, "kwargs": {}}])


def write_keras_file(path, config, weights):
    """A ``.keras`` zip as Keras 3's saving_lib lays it out: metadata, config, then ``model.weights.h5``
    (a ``vars`` group for every saveable, datasets named by position)."""
    h5_path = str(path) + ".h5"
    with h5py.File(h5_path, "w") as h5file:
        h5file.create_group("vars")
        for group, arrays in weights.items():
            created = h5file.create_group(f"{group}/vars")
            for index, array in enumerate(arrays):
                created[str(index)] = array
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.6.0", "date_saved": "2024-10-01@12:00:00"}))
        archive.writestr("config.json", json.dumps(config))
        archive.write(h5_path, "model.weights.h5")
    os.remove(h5_path)


def test_loads_a_keras_sequential_file(engine, tmp_path, rng):
    w1, b1 = rng.standard_normal((4, 3)).astype("float32"), rng.standard_normal(3).astype("float32")
    w2, b2 = rng.standard_normal((3, 2)).astype("float32"), rng.standard_normal(2).astype("float32")
    # layer names differ from the weight paths: Keras names a layer's group by its class (dense, dense_1)
    dense = dict(keras_dense("first", 3, "relu"), build_config={"input_shape": [None, 4]})
    dense_1 = dict(keras_dense("second", 2), build_config={"input_shape": [None, 3]})
    config = {"module": "keras", "class_name": "Sequential", "registered_name": None,
              "config": {"name": "sequential", "trainable": True, "dtype": _POLICY,
                         "layers": [keras_input("input_layer", 4), dense, dense_1], "build_input_shape": [None, 4]},
              "build_config": {"input_shape": [None, 4]}}
    path = tmp_path / "keras_sequential.keras"
    write_keras_file(path, config, {"layers/dense": [w1, b1], "layers/dense_1": [w2, b2]})
    model = load_model(path)
    x = rng.standard_normal((5, 4)).astype("float32")
    np.testing.assert_allclose(predict(model, x), np.maximum(x @ w1 + b1, 0) @ w2 + b2, rtol=1e-5, atol=1e-6)


def test_loads_a_keras_two_input_functional_file(engine, tmp_path, rng):
    wa, ba = rng.standard_normal((3, 4)).astype("float32"), rng.standard_normal(4).astype("float32")
    wo, bo = rng.standard_normal((6, 1)).astype("float32"), rng.standard_normal(1).astype("float32")
    concatenate = {"module": "keras.layers", "class_name": "Concatenate", "registered_name": None,
                   "config": {"name": "concatenate", "trainable": True, "dtype": _POLICY, "axis": -1}}
    concatenate = dict(concatenate, name="concatenate", build_config={"input_shape": [[None, 4], [None, 2]]},
                       inbound_nodes=[{"args": [[tensor(4, "hidden"), tensor(2, "b")]], "kwargs": {}}])
    config = {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
              "config": {"name": "functional", "trainable": True, "layers": [
                  dict(keras_input("a", 3), name="a", inbound_nodes=[]),
                  dict(keras_input("b", 2), name="b", inbound_nodes=[]),
                  node(keras_dense("hidden", 4, "tanh"), "hidden", 3, [tensor(3, "a")]),
                  concatenate,
                  node(keras_dense("head", 1), "head", 6, [tensor(6, "concatenate")])],
                  "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": ["head", 0, 0]}}
    path = tmp_path / "keras_functional.keras"
    write_keras_file(path, config, {"layers/input_layer": [], "layers/input_layer_1": [], "layers/dense": [wa, ba],
                                    "layers/concatenate": [], "layers/dense_1": [wo, bo]})
    model = load_model(path)
    a, b = rng.standard_normal((5, 3)).astype("float32"), rng.standard_normal((5, 2)).astype("float32")
    expected = np.concatenate([np.tanh(a @ wa + ba), b], axis=-1) @ wo + bo
    np.testing.assert_allclose(predict(model, [a, b]), expected, rtol=1e-5, atol=1e-6)


def test_loads_a_keras_compile_config_and_optimizer_state(engine, tmp_path, rng):
    w, b = rng.standard_normal((4, 2)).astype("float32"), rng.standard_normal(2).astype("float32")
    m, v = rng.random((4, 2)).astype("float32"), rng.random((4, 2)).astype("float32")
    mb, vb = rng.random(2).astype("float32"), rng.random(2).astype("float32")
    dense = dict(keras_dense("dense", 2), build_config={"input_shape": [None, 4]})
    adam = {"module": "keras.optimizers", "class_name": "Adam", "registered_name": None, "config": {
        "name": "adam", "learning_rate": 0.005, "weight_decay": None, "clipnorm": None, "global_clipnorm": None,
        "clipvalue": None, "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
        "loss_scale_factor": None, "gradient_accumulation_steps": None, "beta_1": 0.9, "beta_2": 0.999,
        "epsilon": 1e-07, "amsgrad": False}}
    config = {"module": "keras", "class_name": "Sequential", "registered_name": None,
              "config": {"name": "sequential", "trainable": True, "dtype": _POLICY,
                         "layers": [keras_input("input_layer", 4), dense], "build_input_shape": [None, 4]},
              "build_config": {"input_shape": [None, 4]},
              "compile_config": {"optimizer": adam, "loss": {"module": "builtins", "class_name": "function",
                                                             "config": "mean_squared_error",
                                                             "registered_name": "function"},
                                 "loss_weights": None, "metrics": ["mae"], "weighted_metrics": None,
                                 "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}}
    # Keras 3's Adam state: iterations, learning rate, then momentum and velocity of the kernel, of the bias
    optimizer_vars = [np.array(7, dtype="int32"), np.array(0.005, dtype="float32"), m, v, mb, vb]
    path = tmp_path / "keras_compiled.keras"
    write_keras_file(path, config, {"layers/dense": [w, b], "optimizer": optimizer_vars})
    model = load_model(path)
    assert model.compiled and isinstance(model.optimizer, optimizers.Adam)
    np.testing.assert_allclose(float(convert_to_numpy(model.optimizer.learning_rate)), 0.005, rtol=1e-6)
    assert int(convert_to_numpy(model.optimizer.iterations)) == 7
    for loaded, expected in zip(model.optimizer.variables[2:], optimizer_vars[2:]):
        np.testing.assert_array_equal(convert_to_numpy(loaded), expected)
    x, y = rng.standard_normal((3, 4)).astype("float32"), rng.standard_normal((3, 2)).astype("float32")
    loss = model.evaluate(x, y, verbose=0, return_dict=True)["loss"]
    np.testing.assert_allclose(loss, np.mean((x @ w + b - y) ** 2), rtol=1e-5)


def test_recent_keras_config_fields_at_their_defaults_load(engine):
    from lamina.models.layer_entries import deserialize_layer

    entry = {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
             "config": {"name": "d", "units": 2, "quantization_config": None, "lora_rank": None}}
    assert deserialize_layer(entry).units == 2
    entry["config"]["lora_rank"] = 4
    assert deserialize_layer(entry).lora_rank == 4
    entry["config"]["quantization_config"] = {"mode": "int8"}  # quantization lamina lacks: refused by name
    with pytest.raises(ValueError, match="quantization_config"):
        deserialize_layer(entry)
