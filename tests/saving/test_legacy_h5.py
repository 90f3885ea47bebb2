"""Legacy HDF5 files (Keras 2 / tf.keras ``.h5``, Keras 3's legacy writer): whole models, weights only,
Keras 2 config translation and optimizer state; genuine files from tf_keras 2.21 and Keras 3.15.1, and
tf_keras-layout files written here with h5py for layers Keras 3 itself cannot load from them."""

import json
import pathlib
import warnings

import h5py
import numpy as np
import pytest

import lamina
from lamina import layers, optimizers
from lamina.backend import convert_to_numpy
from lamina.models import Model, Sequential, load_model, model_from_json

FILES = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "keras-files"
MODELS = ("mlp", "char_cnn", "bilstm", "cnn_bn")
TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}


def numpy(value):
    return np.asarray(convert_to_numpy(value))


def check_prediction(model, name, expected_suffix):
    prediction = model.predict(np.load(FILES / f"{name}.input.npy"), verbose=0)
    np.testing.assert_allclose(prediction, np.load(FILES / f"{name}.{expected_suffix}"), **TOLERANCE)


# -- genuine Keras files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", MODELS)
def test_tf_keras_h5_loads_predicts_and_restores_adam(engine, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the optimizer state is restored: no "fresh optimizer" warning
        model = load_model(FILES / f"{name}.tf_keras.h5")
    check_prediction(model, name, "tf_keras.expected.npy")
    assert int(numpy(model.optimizer.iterations)) == 2
    with h5py.File(FILES / f"{name}.tf_keras.h5", "r") as h5file:
        saved = h5file["optimizer_weights"]
        first = model.trainable_variables[0]
        layer_name = first.path.split("/")[0]
        momentum = next(v for v in model.optimizer.variables if v.name == first.path.replace("/", "_") + "_momentum")
        key = next(k for k in saved.attrs["weight_names"] if f"Adam/m/{layer_name}/" in str(k))
        np.testing.assert_array_equal(numpy(momentum), saved[key][()])


@pytest.mark.parametrize("name", MODELS)
def test_keras3_legacy_h5_loads_and_resumes_training(engine, name):
    """Keras 3.15.1 reloads these files but cannot resume training from them; lamina restores Adam's state."""
    model = load_model(FILES / f"{name}.legacy.h5")
    check_prediction(model, name, "expected.npy")
    assert int(numpy(model.optimizer.iterations)) == 2
    model.train_on_batch(np.load(FILES / f"{name}.input.npy"), np.load(FILES / f"{name}.target.npy"))
    expected = np.load(FILES / f"{name}.next_step.npz")
    for index, variable in enumerate(model.weights):
        np.testing.assert_allclose(numpy(variable), expected[f"w{index}"], **TOLERANCE)


@pytest.mark.parametrize("name", MODELS)
def test_tf_keras_json_then_weights(engine, name):
    """Keras 3.15.1 cannot read these JSON files at all ("Could not locate class 'Sequential'")."""
    model = model_from_json((FILES / f"{name}.tf_keras.json").read_text())
    model.load_weights(FILES / f"{name}.tf_keras.weights.h5")
    check_prediction(model, name, "tf_keras.expected.npy")


def test_tf_keras_h5_without_compile_and_as_weights(engine):
    model = load_model(FILES / "cnn_bn.tf_keras.h5", compile=False)
    assert not model.compiled
    fresh = model_from_json((FILES / "cnn_bn.tf_keras.json").read_text())
    fresh.load_weights(FILES / "cnn_bn.tf_keras.h5")  # a whole-model file's weights, by layer order
    check_prediction(fresh, "cnn_bn", "tf_keras.expected.npy")


# -- lamina's own .h5 files ------------------------------------------------------------------------------
def functional_with_nested_sequential():
    inner = Sequential([layers.Input((6,)), layers.Dense(5, activation="tanh", name="inner_dense"),
                        layers.BatchNormalization(name="inner_bn")], name="inner")
    x = layers.Input((6,), name="x")
    return Model(x, layers.Dense(3, activation="softmax", name="head")(inner(x)), name="outer")


def test_save_h5_writes_keras_legacy_layout_and_round_trips(engine, rng, tmp_path):
    model = functional_with_nested_sequential()
    model.compile(optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    data, target = rng.standard_normal((8, 6)).astype("float32"), rng.integers(0, 3, 8)
    model.train_on_batch(data, target)
    path = tmp_path / "model.h5"
    model.save(path)
    with h5py.File(path, "r") as h5file:
        config = json.loads(h5file.attrs["model_config"])
        assert config["class_name"] == "Functional" and "module" not in config
        entries = {entry["name"]: entry for entry in config["config"]["layers"]}
        assert set(entries["inner"]) == {"class_name", "config", "name", "inbound_nodes"}
        assert "module" not in entries["inner"]["config"]["layers"][1]
        training = json.loads(h5file.attrs["training_config"])
        assert training["optimizer_config"]["class_name"] == "Adam" and training["loss"]
        group = h5file["model_weights"]
        assert list(group.attrs["layer_names"]) == [b"x", b"inner", b"head"]
        assert [n.decode() for n in group["inner"].attrs["weight_names"]] == [
            "inner_dense/kernel", "inner_dense/bias", "inner_bn/gamma", "inner_bn/beta", "inner_bn/moving_mean",
            "inner_bn/moving_variance"]
        assert len(h5file["optimizer_weights"].attrs["weight_names"]) == len(model.optimizer.variables)
    restored = load_model(path)
    np.testing.assert_allclose(restored.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-6)
    for mine, theirs in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_array_equal(numpy(mine), numpy(theirs))
    model.train_on_batch(data, target)
    restored.train_on_batch(data, target)
    for mine, theirs in zip(model.weights, restored.weights):
        np.testing.assert_allclose(numpy(mine), numpy(theirs), rtol=1e-5, atol=1e-7)


def test_save_h5_without_optimizer_and_uncompiled(engine, tmp_path):
    model = functional_with_nested_sequential()
    model.compile("sgd", "mse")
    model.save(tmp_path / "m.hdf5", include_optimizer=False)
    with h5py.File(tmp_path / "m.hdf5", "r") as h5file:
        assert "training_config" not in h5file.attrs and "optimizer_weights" not in h5file
    with pytest.warns(UserWarning, match="not\\* compiled"):
        assert not load_model(tmp_path / "m.hdf5").compiled


def test_mismatched_optimizer_state_compiles_fresh_with_warning(engine, rng, tmp_path):
    model = functional_with_nested_sequential()
    model.compile(optimizers.Adam(0.01), "mse")
    model.train_on_batch(rng.standard_normal((4, 6)).astype("float32"), rng.standard_normal((4, 3)))
    path = tmp_path / "m.h5"
    model.save(path)
    with h5py.File(path, "r+") as h5file:
        del h5file["optimizer_weights"][h5file["optimizer_weights"].attrs["weight_names"][-1]]
        names = h5file["optimizer_weights"].attrs["weight_names"]
        h5file["optimizer_weights"].attrs["weight_names"] = names[:-1]
    with pytest.warns(UserWarning, match="freshly initialized optimizer"):
        restored = load_model(path)
    assert int(numpy(restored.optimizer.iterations)) == 0


# -- weights only ----------------------------------------------------------------------------------------
def mlp(names=("a", "b"), units=(4, 2)):
    return Sequential([layers.Input((3,)), layers.Dense(units[0], name=names[0]), layers.Dropout(0.0, name="drop"),
                       layers.Dense(units[1], name=names[1])])


def test_weights_only_h5_topological_by_name_and_skip_mismatch(engine, rng, tmp_path):
    source = mlp()
    path = tmp_path / "w.h5"
    source.save_weights(path)
    with h5py.File(path, "r") as h5file:
        assert list(h5file.attrs["layer_names"]) == [b"a", b"drop", b"b"]
        assert [n.decode() for n in h5file["a"].attrs["weight_names"]] == ["a/kernel", "a/bias"]
        assert "model_weights" not in h5file and "top_level_model_weights" in h5file
    data = rng.standard_normal((2, 3)).astype("float32")
    renamed = mlp(names=("x", "y"))  # topological order ignores names
    renamed.load_weights(path)
    np.testing.assert_allclose(numpy(renamed(data)), numpy(source(data)), rtol=1e-6)

    by_name = mlp(names=("b", "a"), units=(4, 2))  # same names on the other layers: shapes differ
    with pytest.raises(ValueError, match="Layer 'b'"):
        by_name.load_weights(path, by_name=True)
    before = [numpy(w) for w in by_name.weights]
    with pytest.warns(UserWarning, match="Skipping loading weights of Layer '(a|b)'") as caught:
        by_name.load_weights(path, by_name=True, skip_mismatch=True)
    assert len([w for w in caught if "Skipping" in str(w.message)]) == 2  # one warning per skipped layer
    for old, new in zip(before, by_name.weights):
        np.testing.assert_array_equal(old, numpy(new))

    partial = Sequential([layers.Input((3,)), layers.Dense(4, name="a"), layers.Dense(7, name="other")])
    partial.load_weights(path, by_name=True, skip_mismatch=True)  # "b" is absent: only "a" loads
    np.testing.assert_array_equal(numpy(partial.layers[0].kernel), numpy(source.layers[0].kernel))

    with pytest.raises(ValueError, match="Layer count mismatch"):
        Sequential([layers.Input((3,)), layers.Dense(4)]).load_weights(path)
    with pytest.raises(ValueError, match="by_name"):
        source.save_weights(tmp_path / "k3.weights.h5")
        source.load_weights(tmp_path / "k3.weights.h5", by_name=True)


def test_load_model_on_weights_only_file_says_so(engine, tmp_path):
    mlp().save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="holds weights only"):
        load_model(tmp_path / "w.h5")


# -- tf_keras-layout files written here, checked against NumPy forward passes --------------------------------
def write_keras2_h5(path, model_config, layer_weights, training_config=None, optimizer_weights=None):
    """A whole-model file in tf_keras 2.x's layout; ``layer_weights``: [(layer name, [(weight name, array)])]."""
    with h5py.File(path, "w") as h5file:
        h5file.attrs["keras_version"] = "2.15.0"
        h5file.attrs["backend"] = "tensorflow"
        h5file.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        if training_config is not None:
            h5file.attrs["training_config"] = json.dumps(training_config).encode("utf8")
        group = h5file.create_group("model_weights")
        group.attrs["layer_names"] = np.asarray([name.encode("utf8") for name, _ in layer_weights])
        for name, weights in layer_weights:
            layer_group = group.create_group(name)
            layer_group.attrs["weight_names"] = (np.asarray([n.encode("utf8") for n, _ in weights]) if weights
                                                 else np.asarray([]))
            for weight_name, value in weights:
                layer_group.create_dataset(weight_name, data=value)
        if optimizer_weights:
            opt = h5file.create_group("optimizer_weights")
            opt.attrs["weight_names"] = np.asarray([n.encode("utf8") for n, _ in optimizer_weights])
            for weight_name, value in optimizer_weights:
                opt.create_dataset(weight_name, data=value)


def keras2_input(name, shape, dtype="float32"):
    return {"class_name": "InputLayer", "config": {"batch_input_shape": [None, *shape], "dtype": dtype,
                                                   "sparse": False, "ragged": False, "name": name}, "name": name,
            "inbound_nodes": []}


def keras2_initializer(name):
    return {"class_name": name, "config": {"seed": None}}  # tf.keras 2.0-2.12: no module


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_tf_keras_lstm_gru_file(engine, rng, tmp_path):
    """Keras 3 refuses these configs: "Unrecognized keyword arguments passed to LSTM: {'time_major': False}"."""
    lstm_units, gru_units = 4, 2
    recurrent = {"return_state": False, "go_backwards": False, "stateful": False, "unroll": False,
                 "time_major": False, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
                 "kernel_initializer": keras2_initializer("GlorotUniform"),
                 "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": None}},
                 "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None,
                 "recurrent_regularizer": {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.0}},
                 "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
                 "recurrent_constraint": None, "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0,
                 "implementation": 2, "trainable": True, "dtype": "float32"}
    config = {"class_name": "Model", "config": {"name": "rnn", "layers": [
        keras2_input("seq", (5, 3)),
        {"class_name": "LSTM", "name": "lstm", "inbound_nodes": [[["seq", 0, 0, {}]]],
         "config": dict(recurrent, name="lstm", units=lstm_units, return_sequences=True, unit_forget_bias=True)},
        {"class_name": "GRU", "name": "gru", "inbound_nodes": [[["lstm", 0, 0, {}]]],
         "config": dict(recurrent, name="gru", units=gru_units, return_sequences=False, reset_after=True)},
    ], "input_layers": [["seq", 0, 0]], "output_layers": [["gru", 0, 0]]}}
    w = {"lk": rng.standard_normal((3, 4 * lstm_units)), "lu": rng.standard_normal((lstm_units, 4 * lstm_units)),
         "lb": rng.standard_normal(4 * lstm_units), "gk": rng.standard_normal((lstm_units, 3 * gru_units)),
         "gu": rng.standard_normal((gru_units, 3 * gru_units)), "gb": rng.standard_normal((2, 3 * gru_units))}
    w = {key: (0.5 * value).astype("float32") for key, value in w.items()}
    write_keras2_h5(tmp_path / "rnn.h5", config, [
        ("seq", []),
        ("lstm", [("lstm/lstm_cell/kernel:0", w["lk"]), ("lstm/lstm_cell/recurrent_kernel:0", w["lu"]),
                  ("lstm/lstm_cell/bias:0", w["lb"])]),
        ("gru", [("gru/gru_cell/kernel:0", w["gk"]), ("gru/gru_cell/recurrent_kernel:0", w["gu"]),
                 ("gru/gru_cell/bias:0", w["gb"])]),
    ])
    model = load_model(tmp_path / "rnn.h5", compile=False)
    data = rng.standard_normal((2, 5, 3)).astype("float32")

    h, c, sequence = np.zeros((2, lstm_units)), np.zeros((2, lstm_units)), []
    for t in range(5):  # tf_keras LSTM gates: i, f, c, o
        z = data[:, t] @ w["lk"] + h @ w["lu"] + w["lb"]
        i, f, g, o = np.split(z, 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        sequence.append(h)
    h = np.zeros((2, gru_units))
    for x in sequence:  # GRU reset_after: bias (2, 3u) = input bias, recurrent bias; gates z, r, h
        xz, hz = x @ w["gk"] + w["gb"][0], h @ w["gu"] + w["gb"][1]
        update = sigmoid(xz[:, :gru_units] + hz[:, :gru_units])
        reset = sigmoid(xz[:, gru_units:2 * gru_units] + hz[:, gru_units:2 * gru_units])
        candidate = np.tanh(xz[:, 2 * gru_units:] + reset * hz[:, 2 * gru_units:])
        h = update * h + (1 - update) * candidate
    np.testing.assert_allclose(model.predict(data, verbose=0), h, rtol=1e-4, atol=1e-5)


def test_tf_keras_mha_and_nested_sequential_file_with_optimizer(engine, rng, tmp_path):
    """Keras 3 cannot load MultiHeadAttention or a Sequential nested in a Functional model from tf_keras .h5."""
    heads, key_dim, dim = 2, 3, 6
    dense = lambda name, units, activation: {  # noqa: E731
        "class_name": "Dense", "config": {"name": name, "trainable": True, "dtype": "float32", "units": units,
                                          "activation": activation, "use_bias": True,
                                          "kernel_initializer": keras2_initializer("GlorotUniform"),
                                          "bias_initializer": {"class_name": "Zeros", "config": {}}}}
    inner = {"class_name": "Sequential", "name": "block", "inbound_nodes": [[["mha", 0, 0, {}]]],
             "config": {"name": "block", "layers": [
                 {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4, dim], "dtype": "float32",
                                                         "sparse": False, "ragged": False, "name": "block_in"}},
                 dense("proj", 5, "relu"),
                 {"class_name": "LayerNormalization", "config": {"name": "norm", "axis": [2], "epsilon": 1e-3,
                                                                 "center": True, "scale": True, "dtype": "float32"}}]}}
    config = {"class_name": "Functional", "config": {"name": "attn", "layers": [
        keras2_input("x", (4, dim)),
        {"class_name": "MultiHeadAttention", "name": "mha",
         "inbound_nodes": [[["x", 0, 0, {"value": ["x", 0, 0]}]]],
         "config": {"name": "mha", "trainable": True, "dtype": "float32", "num_heads": heads, "key_dim": key_dim,
                    "value_dim": key_dim, "dropout": 0.0, "use_bias": True, "output_shape": None,
                    "attention_axes": [1], "kernel_initializer": keras2_initializer("GlorotUniform"),
                    "bias_initializer": {"class_name": "Zeros", "config": {}},
                    "query_shape": [None, 4, dim], "key_shape": [None, 4, dim], "value_shape": [None, 4, dim]}},
        inner,
        dict(dense("out", 2, None), name="out", inbound_nodes=[[["block", 1, 0, {}]]]),
    ], "input_layers": [["x", 0, 0]], "output_layers": [["out", 0, 0]]}}
    shapes = {"query": ((dim, heads, key_dim), (heads, key_dim)), "key": ((dim, heads, key_dim), (heads, key_dim)),
              "value": ((dim, heads, key_dim), (heads, key_dim)), "attention_output": ((heads, key_dim, dim), (dim,))}
    w = {f"{part}/{kind}": (0.4 * rng.standard_normal(shape)).astype("float32")
         for part, (kernel, bias) in shapes.items() for kind, shape in (("kernel", kernel), ("bias", bias))}
    block = [("proj/kernel:0", (0.4 * rng.standard_normal((dim, 5))).astype("float32")),
             ("proj/bias:0", rng.standard_normal(5).astype("float32")),
             ("norm/gamma:0", rng.standard_normal(5).astype("float32")),
             ("norm/beta:0", rng.standard_normal(5).astype("float32"))]
    out = [("out/kernel:0", rng.standard_normal((5, 2)).astype("float32")),
           ("out/bias:0", rng.standard_normal(2).astype("float32"))]
    mha = [(f"mha/{name}:0", value) for name, value in w.items()]
    variables = mha + block + out
    optimizer = [("iteration:0", np.int64(7))] + [
        (f"Adam/{slot}/{name}", np.full(value.shape, index + (0.5 if slot == "v" else 0), "float32"))
        for index, (name, value) in enumerate(variables) for slot in ("m", "v")]
    training = {"loss": {"class_name": "MeanSquaredError", "config": {"reduction": "auto", "name": "mse"}},
                "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "mae", "dtype": "float32",
                                                                            "fn": "mean_absolute_error"}}]],
                "weighted_metrics": None, "loss_weights": None,
                "optimizer_config": {"class_name": "Custom>Adam", "config": {
                    "name": "Adam", "learning_rate": 0.002, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
                    "amsgrad": False, "is_legacy_optimizer": False, "jit_compile": True, "weight_decay": None,
                    "clipnorm": None, "global_clipnorm": None, "clipvalue": None, "use_ema": False,
                    "ema_momentum": 0.99, "ema_overwrite_frequency": None}}}
    write_keras2_h5(tmp_path / "attn.h5", config, [("x", []), ("mha", mha), ("block", block), ("out", out)],
                    training, optimizer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = load_model(tmp_path / "attn.h5")
    data = rng.standard_normal((2, 4, dim)).astype("float32")

    def project(x, part):
        return np.einsum("btd,dhk->bthk", x, w[f"{part}/kernel"]) + w[f"{part}/bias"]

    query, key, value = project(data, "query") / np.sqrt(key_dim), project(data, "key"), project(data, "value")
    scores = np.einsum("bqhk,bshk->bhqs", query, key)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    attended = np.einsum("bhqs,bshk->bqhk", weights, value)
    x = np.einsum("bthk,hkd->btd", attended, w["attention_output/kernel"]) + w["attention_output/bias"]
    x = np.maximum(x @ block[0][1] + block[1][1], 0)
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    x = (x - mean) / np.sqrt(var + 1e-3) * block[2][1] + block[3][1]
    np.testing.assert_allclose(model.predict(data, verbose=0), x @ out[0][1] + out[1][1], rtol=1e-4, atol=1e-5)

    assert int(numpy(model.optimizer.iterations)) == 7
    assert float(numpy(model.optimizer.learning_rate)) == pytest.approx(0.002)
    slots = {v.name: numpy(v) for v in model.optimizer.variables}
    assert len(model.trainable_variables) == len(variables)
    for index, variable in enumerate(model.trainable_variables):  # the file's order: mha, block, out
        np.testing.assert_array_equal(slots[variable.path.replace("/", "_") + "_momentum"], index)
        np.testing.assert_array_equal(slots[variable.path.replace("/", "_") + "_velocity"], index + 0.5)


def test_keras2_config_translation_details(engine):
    """Old class names, mixed-precision Policy, VarianceScaling('normal'), Keras 2.0's bare Sequential list."""
    config = {"class_name": "Sequential", "keras_version": "2.2.4", "backend": "tensorflow", "config": [
        {"class_name": "Convolution1D", "config": {
            "name": "conv", "filters": 2, "kernel_size": [3], "batch_input_shape": [None, 8, 1],
            "dtype": {"class_name": "Policy", "config": {"name": "float32"}},
            "kernel_initializer": {"class_name": "VarianceScaling", "config": {
                "scale": 1.0, "mode": "fan_avg", "distribution": "normal", "seed": None}},
            "kernel_regularizer": {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01},
                                   "__passive_serialization__": True}}},
        {"class_name": "Flatten", "config": {"name": "flat"}},
    ]}
    model = lamina.saving.model_from_json(json.dumps(config))
    conv = model.layers[0]
    assert type(conv).__name__ == "Conv1D" and tuple(conv.kernel.shape) == (3, 1, 2)
    assert conv.kernel_initializer.distribution == "truncated_normal"
    assert model.output_shape == (None, 12)
