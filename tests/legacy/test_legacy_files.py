"""Keras 1 files through ``lamina.legacy.saving``: JSON/YAML architectures and HDF5 weights.

No genuine Keras 1 file exists on this machine, so the files are written here, as Keras 1.2.2 wrote them:

- configs are what its ``get_config`` methods returned (``keras/layers/*.py``, ``keras/engine/topology.py``
  of tag 1.2.2): a ``Sequential`` config is the list of ``{"class_name", "config"}`` layer entries, a
  ``Model`` config lists ``{"name", "class_name", "config", "inbound_nodes"}`` entries with nodes
  ``[[layer, node, tensor]]``; every layer config holds ``name`` and ``trainable``, the first one also
  ``batch_input_shape`` and ``input_dtype``; regularizers and constraints are ``{"name": class, ...}``;
  ``to_json`` adds ``keras_version``;
- HDF5 files follow its ``save_model``/``save_weights_to_hdf5_group`` (``keras/models.py``,
  ``keras/engine/topology.py``): root attributes ``keras_version`` and ``model_config`` (no ``backend``),
  ``training_config`` with ``optimizer_config``; a ``model_weights`` group (the file root for
  ``save_weights``) with attribute ``layer_names`` and, per layer, a group whose ``weight_names`` attribute
  lists its datasets, named ``<layer>_W``, ``<layer>_b``, ``<layer>_W_i``, ... (Keras 1 gave no
  ``keras_version`` to that group);
- weight layouts are those of the layers' ``build`` methods: ``LSTM`` stores W, U, b per gate in the
  order i, c, f, o (its ``trainable_weights``), ``GRU`` z, r, h, ``Convolution1D`` a
  ``(length, 1, channels, filters)`` kernel, ``Convolution2D`` with ``dim_ordering='th'``
  ``(filters, channels, rows, cols)``, ``BatchNormalization`` gamma, beta, running mean, running variance
  (named ``running_std``).

Each loaded model is checked against a NumPy computation of what Keras 1 computed with the stored weights
(its ``hard_sigmoid`` is ``clip(0.2 * x + 0.5, 0, 1)``).
"""

import json
import pathlib
import warnings

import h5py
import numpy as np
import pytest

from lamina import layers
from lamina.legacy import models, saving

TOLERANCE = {"rtol": 1e-5, "atol": 1e-5}
KERAS2_FILES = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "keras-files"


@pytest.fixture(autouse=True)
def _quiet_old_spellings():
    """Loading old configs warns for every old spelling; the tests that are about the warning assert it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


# -- Keras 1.2.2 configs ---------------------------------------------------------------------------------
def layer_config(name, batch_input_shape=None, input_dtype="float32", **config):
    base = {"name": name, "trainable": True}
    if batch_input_shape is not None:
        base.update(batch_input_shape=list(batch_input_shape), input_dtype=input_dtype)
    return {**base, **config}


def dense(name, output_dim, activation="linear", input_dim=None, batch_input_shape=None, **extra):
    config = {"output_dim": output_dim, "init": "glorot_uniform", "activation": activation, "W_regularizer": None,
              "b_regularizer": None, "activity_regularizer": None, "W_constraint": None, "b_constraint": None,
              "bias": True, "input_dim": input_dim}
    return {"class_name": "Dense", "config": layer_config(name, batch_input_shape, **{**config, **extra})}


def recurrent(class_name, name, output_dim, input_dim, input_length=None, batch_input_shape=None, **extra):
    config = {"return_sequences": False, "go_backwards": False, "stateful": False, "unroll": False,
              "consume_less": "cpu", "input_dim": input_dim, "input_length": input_length,
              "output_dim": output_dim, "init": "glorot_uniform", "inner_init": "orthogonal", "activation": "tanh",
              "inner_activation": "hard_sigmoid", "W_regularizer": None, "U_regularizer": None,
              "b_regularizer": None, "dropout_W": 0.0, "dropout_U": 0.0}
    if class_name == "LSTM":
        config["forget_bias_init"] = "one"
    return {"class_name": class_name, "config": layer_config(name, batch_input_shape, **{**config, **extra})}


def sequential(*entries):
    return {"class_name": "Sequential", "config": list(entries), "keras_version": "1.2.2"}


def write_keras1_h5(path, model_config, weights, training_config=None):
    """A Keras 1.2.2 ``model.save`` file; with ``model_config=None`` a ``save_weights`` file.
    ``weights``: ``[(layer name, [(weight name, array), ...]), ...]`` for every layer of the model."""
    with h5py.File(path, "w") as h5file:
        group = h5file
        if model_config is not None:
            h5file.attrs["keras_version"] = b"1.2.2"
            h5file.attrs["model_config"] = json.dumps(model_config).encode("utf8")
            if training_config is not None:
                h5file.attrs["training_config"] = json.dumps(training_config).encode("utf8")
            group = h5file.create_group("model_weights")
        group.attrs["layer_names"] = [name.encode("utf8") for name, _ in weights]
        for layer_name, arrays in weights:
            layer_group = group.create_group(layer_name)
            layer_group.attrs["weight_names"] = [name.encode("utf8") for name, _ in arrays]
            for name, array in arrays:
                layer_group.create_dataset(name, data=array)


# -- NumPy references ---------------------------------------------------------------------------------
def hard_sigmoid(x):
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def numpy_lstm(x, gates):
    """Keras 1.2.2's ``LSTM.step``, ``gates`` = {gate: (W, U, b)}; returns the last output."""
    h = np.zeros((x.shape[0], gates["i"][1].shape[0]))
    c = np.zeros_like(h)

    def pre(gate, x_t):
        w, u, b = gates[gate]
        return x_t @ w + b + h @ u

    for t in range(x.shape[1]):
        x_t = x[:, t]
        i, f, o = hard_sigmoid(pre("i", x_t)), hard_sigmoid(pre("f", x_t)), hard_sigmoid(pre("o", x_t))
        c = f * c + i * np.tanh(pre("c", x_t))
        h = o * np.tanh(c)
    return h


def numpy_gru(x, gates):
    """Keras 1.2.2's ``GRU.step``: the reset gate scales the state before ``U_h``."""
    h = np.zeros((x.shape[0], gates["z"][1].shape[0]))
    for t in range(x.shape[1]):
        x_t = x[:, t]
        z = hard_sigmoid(x_t @ gates["z"][0] + gates["z"][2] + h @ gates["z"][1])
        r = hard_sigmoid(x_t @ gates["r"][0] + gates["r"][2] + h @ gates["r"][1])
        hh = np.tanh(x_t @ gates["h"][0] + gates["h"][2] + (r * h) @ gates["h"][1])
        h = z * h + (1 - z) * hh
    return h


def correlate1d(x, kernel, bias):
    """``x`` (batch, steps, channels), ``kernel`` (length, channels, filters): 'valid' correlation."""
    length = kernel.shape[0]
    steps = x.shape[1] - length + 1
    return np.stack([np.einsum("blc,lcf->bf", x[:, t:t + length], kernel) for t in range(steps)], axis=1) + bias


def correlate2d_channels_first(x, kernel, bias):
    """``x`` (batch, channels, rows, cols), ``kernel`` (filters, channels, rows, cols): 'valid' correlation."""
    rows, cols = x.shape[2] - kernel.shape[2] + 1, x.shape[3] - kernel.shape[3] + 1
    out = np.zeros((x.shape[0], kernel.shape[0], rows, cols))
    for r in range(rows):
        for c in range(cols):
            patch = x[:, :, r:r + kernel.shape[2], c:c + kernel.shape[3]]
            out[:, :, r, c] = np.einsum("bkij,fkij->bf", patch, kernel)
    return out + bias[None, :, None, None]


# -- architectures ----------------------------------------------------------------------------------------
MLP = sequential(
    dense("dense_1", 4, "relu", input_dim=3, batch_input_shape=(None, 3),
          W_regularizer={"name": "WeightRegularizer", "l1": 0.0, "l2": 0.01},  # Keras 1.0/1.1's name
          W_constraint={"name": "MaxNorm", "m": 2, "axis": 0}),
    {"class_name": "Dropout", "config": layer_config("dropout_1", p=0.5)},
    dense("dense_2", 2, "softmax", input_dim=4),
)


def mlp_weights(rng):
    return [("dense_1", [("dense_1_W", rng.normal(size=(3, 4))), ("dense_1_b", rng.normal(size=4))]),
            ("dropout_1", []),
            ("dense_2", [("dense_2_W", rng.normal(size=(4, 2))), ("dense_2_b", rng.normal(size=2))])]


def numpy_mlp(x, weights):
    (_, [(_, w1), (_, b1)]), _, (_, [(_, w2), (_, b2)]) = weights
    logits = np.maximum(x @ w1 + b1, 0) @ w2 + b2
    return np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)


def test_keras1_json_sequential_builds_modern_layers(engine):
    model = saving.model_from_json(json.dumps(MLP))
    first = model.layers[0]
    assert isinstance(first, layers.Dense) and first.units == 4 and first.use_bias
    assert first.kernel_regularizer.get_config()["l2"] == pytest.approx(0.01)
    assert first.kernel_constraint.get_config() == {"max_value": 2, "axis": 0}
    assert isinstance(model.layers[1], layers.Dropout) and model.layers[1].rate == 0.5
    assert model.output_shape == (None, 2)


def test_keras1_2_regularizer_name(engine):
    """Keras 1.2 wrote every weight regularizer under its class name ``L1L2Regularizer``."""
    config = sequential(dense("dense_1", 2, input_dim=3, batch_input_shape=(None, 3),
                              W_regularizer={"name": "L1L2Regularizer", "l1": 0.5, "l2": 0.0}))
    regularizer = saving.model_from_json(json.dumps(config)).layers[0].kernel_regularizer
    assert regularizer.get_config()["l1"] == pytest.approx(0.5)


def test_keras1_json_warns_old_spellings(engine):
    with pytest.warns(DeprecationWarning, match="output_dim.*units"):
        saving.model_from_json(json.dumps(MLP))


def test_keras1_yaml_with_python_tuples(engine, rng):
    yaml_text = """backend: theano
class_name: Sequential
config:
- class_name: Dense
  config:
    W_constraint: null
    W_regularizer: null
    activation: tanh
    activity_regularizer: null
    b_constraint: null
    b_regularizer: null
    batch_input_shape: !!python/tuple [null, 3]
    bias: true
    init: uniform
    input_dim: 3
    input_dtype: float32
    name: dense_1
    output_dim: 2
    trainable: true
keras_version: 1.2.2
"""
    model = saving.model_from_yaml(yaml_text)
    w, b = rng.normal(size=(3, 2)), rng.normal(size=2)
    model.set_weights([w, b])
    x = rng.normal(size=(5, 3))
    np.testing.assert_allclose(model.predict(x, verbose=0), np.tanh(x @ w + b), **TOLERANCE)


def test_keras1_whole_model_h5_predicts_and_compiles(engine, rng, tmp_path):
    weights = mlp_weights(rng)
    training_config = {"optimizer_config": {"class_name": "SGD", "config": {"lr": 0.01, "momentum": 0.0,
                                                                           "decay": 0.0, "nesterov": False}},
                       "loss": "categorical_crossentropy", "metrics": ["accuracy"], "sample_weight_mode": None,
                       "loss_weights": None}
    path = tmp_path / "mlp.h5"
    write_keras1_h5(path, {key: MLP[key] for key in ("class_name", "config")}, weights, training_config)
    model = saving.load_model(path)
    x = rng.normal(size=(6, 3))
    np.testing.assert_allclose(model.predict(x, verbose=0), numpy_mlp(x, weights), **TOLERANCE)
    assert type(model.optimizer).__name__ == "SGD"
    assert float(np.asarray(model.optimizer.learning_rate)) == pytest.approx(0.01)
    model.fit(x, np.eye(2)[[0, 1, 0, 1, 0, 1]], epochs=1, verbose=0)


def test_keras1_weights_only_file_loads_into_model(engine, rng, tmp_path):
    weights = mlp_weights(rng)
    write_keras1_h5(tmp_path / "w.h5", None, weights)
    model = saving.model_from_json(json.dumps(MLP))
    saving.load_weights(model, tmp_path / "w.h5")
    x = rng.normal(size=(4, 3))
    np.testing.assert_allclose(model.predict(x, verbose=0), numpy_mlp(x, weights), **TOLERANCE)


# -- recurrent layers: per-gate arrays ---------------------------------------------------------------------
def gate_arrays(rng, layer_name, gate_names, input_dim, units):
    gates = {gate: (rng.normal(size=(input_dim, units)) * 0.5, rng.normal(size=(units, units)) * 0.5,
                    rng.normal(size=units) * 0.5) for gate in gate_names}
    stored = [(f"{layer_name}_{part}_{gate}", gates[gate][index])
              for gate in gate_names for index, part in enumerate("WUb")]
    return gates, stored


def test_keras1_embedding_lstm_h5(engine, rng, tmp_path):
    """Embedding -> LSTM(hard_sigmoid) -> Dense(sigmoid), LSTM arrays stored per gate in the order i, c, f, o."""
    config = sequential(
        {"class_name": "Embedding", "config": layer_config(
            "embedding_1", (None, 5), "int32", input_dim=10, output_dim=4, init="uniform", input_length=5,
            mask_zero=False, activity_regularizer=None, W_regularizer=None, W_constraint=None, dropout=0.0)},
        recurrent("LSTM", "lstm_1", 3, input_dim=4, input_length=5),
        dense("dense_1", 1, "sigmoid", input_dim=3))
    embedding = rng.normal(size=(10, 4))
    gates, lstm_stored = gate_arrays(rng, "lstm_1", "icfo", 4, 3)
    w, b = rng.normal(size=(3, 1)), rng.normal(size=1)
    path = tmp_path / "lstm.h5"
    write_keras1_h5(path, {"class_name": "Sequential", "config": config["config"]},
                    [("embedding_1", [("embedding_1_W", embedding)]), ("lstm_1", lstm_stored),
                     ("dense_1", [("dense_1_W", w), ("dense_1_b", b)])])
    model = saving.load_model(path, compile=False)
    tokens = rng.integers(0, 10, size=(4, 5))
    expected = sigmoid(numpy_lstm(embedding[tokens], gates) @ w + b)
    np.testing.assert_allclose(model.predict(tokens, verbose=0), expected, **TOLERANCE)


def test_keras1_gru_h5(engine, rng, tmp_path):
    config = sequential(recurrent("GRU", "gru_1", 3, input_dim=2, input_length=4, batch_input_shape=(None, 4, 2)))
    gates, stored = gate_arrays(rng, "gru_1", "zrh", 2, 3)
    path = tmp_path / "gru.h5"
    write_keras1_h5(path, {"class_name": "Sequential", "config": config["config"]}, [("gru_1", stored)])
    model = saving.load_model(path, compile=False)
    x = rng.normal(size=(3, 4, 2))
    np.testing.assert_allclose(model.predict(x, verbose=0), numpy_gru(x, gates), **TOLERANCE)


def test_keras1_lstm_consume_less_gpu_keeps_fused_arrays(engine, rng, tmp_path):
    """With ``consume_less='gpu'`` Keras 1 stored W, U, b already fused, gates in the order i, f, c, o."""
    config = sequential(recurrent("LSTM", "lstm_1", 2, input_dim=3, input_length=4, batch_input_shape=(None, 4, 3),
                                  consume_less="gpu"))
    gates = {gate: (rng.normal(size=(3, 2)), rng.normal(size=(2, 2)), rng.normal(size=2)) for gate in "ifco"}
    fused = [np.concatenate([gates[g][part] for g in "ifco"], axis=-1) for part in range(3)]
    path = tmp_path / "lstm_gpu.h5"
    write_keras1_h5(path, {"class_name": "Sequential", "config": config["config"]},
                    [("lstm_1", [("lstm_1_W", fused[0]), ("lstm_1_U", fused[1]), ("lstm_1_b", fused[2])])])
    model = saving.load_model(path, compile=False)
    x = rng.normal(size=(2, 4, 3))
    np.testing.assert_allclose(model.predict(x, verbose=0), numpy_lstm(x, gates), **TOLERANCE)


def test_keras1_bidirectional_lstm_h5(engine, rng, tmp_path):
    """Keras 1's ``Bidirectional`` stored its forward LSTM's twelve arrays, then its backward LSTM's."""
    config = sequential({"class_name": "Bidirectional", "config": layer_config(
        "bidirectional_1", (None, 4, 3), merge_mode="concat",
        layer=recurrent("LSTM", "lstm_1", 2, input_dim=3, input_length=4))})
    forward, forward_stored = gate_arrays(rng, "forward_lstm_1", "icfo", 3, 2)
    backward, backward_stored = gate_arrays(rng, "backward_lstm_1", "icfo", 3, 2)
    path = tmp_path / "bidirectional.h5"
    write_keras1_h5(path, {"class_name": "Sequential", "config": config["config"]},
                    [("bidirectional_1", forward_stored + backward_stored)])
    model = saving.load_model(path, compile=False)
    x = rng.normal(size=(2, 4, 3))
    expected = np.concatenate([numpy_lstm(x, forward), numpy_lstm(x[:, ::-1], backward)], axis=-1)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, **TOLERANCE)


# -- convolutions ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("keras1_1", [False, True], ids=["keras1.2", "keras1.1-layout"])
def test_keras1_convolution1d_kernel(engine, rng, tmp_path, keras1_1):
    config = sequential({"class_name": "Convolution1D", "config": layer_config(
        "convolution1d_1", (None, 6, 4), nb_filter=2, filter_length=3, init="glorot_uniform", activation="linear",
        border_mode="valid", subsample_length=1, W_regularizer=None, b_regularizer=None, activity_regularizer=None,
        W_constraint=None, b_constraint=None, bias=True, input_dim=4, input_length=6)})
    kernel, bias = rng.normal(size=(3, 4, 2)), rng.normal(size=2)
    stored = kernel[:, None] if not keras1_1 else np.transpose(kernel[:, None], (3, 2, 0, 1))
    write_keras1_h5(tmp_path / "w.h5", None, [("convolution1d_1", [("convolution1d_1_W", stored),
                                                                    ("convolution1d_1_b", bias)])])
    model = saving.model_from_json(json.dumps(config))
    saving.load_weights(model, tmp_path / "w.h5")
    x = rng.normal(size=(2, 6, 4))
    np.testing.assert_allclose(model.predict(x, verbose=0), correlate1d(x, kernel, bias), **TOLERANCE)


@pytest.mark.parametrize("dim_ordering", ["th", "tf"])
def test_keras1_convolution2d_kernel(engine, rng, tmp_path, dim_ordering):
    shape = (None, 1, 4, 5) if dim_ordering == "th" else (None, 4, 5, 1)
    config = sequential({"class_name": "Convolution2D", "config": layer_config(
        "convolution2d_1", shape, nb_filter=2, nb_row=2, nb_col=3, init="glorot_uniform", activation="linear",
        border_mode="valid", subsample=[1, 1], dim_ordering=dim_ordering, W_regularizer=None, b_regularizer=None,
        activity_regularizer=None, W_constraint=None, b_constraint=None, bias=True)})
    kernel_th, bias = rng.normal(size=(2, 1, 2, 3)), rng.normal(size=2)  # (filters, channels, rows, cols)
    stored = kernel_th if dim_ordering == "th" else np.transpose(kernel_th, (2, 3, 1, 0))
    path = tmp_path / "conv.h5"
    write_keras1_h5(path, {"class_name": "Sequential", "config": config["config"]},
                    [("convolution2d_1", [("convolution2d_1_W", stored), ("convolution2d_1_b", bias)])])
    model = saving.load_model(path, compile=False)
    x_th = rng.normal(size=(2, 1, 4, 5))
    expected = correlate2d_channels_first(x_th, kernel_th, bias)
    if dim_ordering == "th":
        np.testing.assert_allclose(model.predict(x_th, verbose=0), expected, **TOLERANCE)
    else:
        prediction = model.predict(np.transpose(x_th, (0, 2, 3, 1)), verbose=0)
        np.testing.assert_allclose(prediction, np.transpose(expected, (0, 2, 3, 1)), **TOLERANCE)


def test_theano_file_kernels_are_flipped(engine, rng, tmp_path):
    """A Keras 2 file saved on Theano (``backend`` attribute) holds convolution kernels flipped in space."""
    config = {"class_name": "Sequential", "config": [{"class_name": "Conv1D", "config": {
        "name": "conv1d_1", "trainable": True, "batch_input_shape": [None, 5, 2], "dtype": "float32",
        "filters": 1, "kernel_size": [3], "strides": [1], "padding": "valid", "dilation_rate": [1],
        "activation": "linear", "use_bias": True}}]}
    kernel, bias = rng.normal(size=(3, 2, 1)), rng.normal(size=1)
    path = tmp_path / "theano.h5"
    with h5py.File(path, "w") as h5file:
        h5file.attrs.update(keras_version=b"2.0.9", backend=b"theano", model_config=json.dumps(config).encode())
        group = h5file.create_group("model_weights")
        group.attrs.update(keras_version=b"2.0.9", backend=b"theano", layer_names=[b"conv1d_1"])
        layer = group.create_group("conv1d_1")
        layer.attrs["weight_names"] = [b"conv1d_1/kernel:0", b"conv1d_1/bias:0"]
        layer.create_dataset("conv1d_1/kernel:0", data=kernel[::-1])
        layer.create_dataset("conv1d_1/bias:0", data=bias)
    model = saving.load_model(path, compile=False)
    x = rng.normal(size=(2, 5, 2))
    np.testing.assert_allclose(model.predict(x, verbose=0), correlate1d(x, kernel, bias), **TOLERANCE)


# -- other layers and graphs ------------------------------------------------------------------------------
def test_keras1_batch_normalization_uses_running_statistics(engine, rng, tmp_path):
    config = sequential({"class_name": "BatchNormalization", "config": layer_config(
        "batchnormalization_1", (None, 3), epsilon=0.001, mode=0, axis=-1, gamma_regularizer=None,
        beta_regularizer=None, momentum=0.99)})
    gamma, beta, mean, variance = (rng.normal(size=3), rng.normal(size=3), rng.normal(size=3),
                                   rng.uniform(0.5, 2.0, size=3))
    path = tmp_path / "bn.h5"
    write_keras1_h5(path, {"class_name": "Sequential", "config": config["config"]}, [("batchnormalization_1", [
        ("batchnormalization_1_gamma", gamma), ("batchnormalization_1_beta", beta),
        ("batchnormalization_1_running_mean", mean), ("batchnormalization_1_running_std", variance)])])
    model = saving.load_model(path, compile=False)
    x = rng.normal(size=(4, 3))
    expected = (x - mean) / np.sqrt(variance + 0.001) * gamma + beta
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, **TOLERANCE)


def test_keras1_time_distributed_dense(engine, rng, tmp_path):
    config = sequential({"class_name": "TimeDistributedDense", "config": layer_config(
        "timedistributeddense_1", (None, 4, 3), output_dim=2, init="glorot_uniform", activation="linear",
        W_regularizer=None, b_regularizer=None, activity_regularizer=None, W_constraint=None, b_constraint=None,
        bias=True, input_dim=3, input_length=4)})
    w, b = rng.normal(size=(3, 2)), rng.normal(size=2)
    path = tmp_path / "tdd.h5"
    write_keras1_h5(path, {"class_name": "Sequential", "config": config["config"]}, [
        ("timedistributeddense_1", [("timedistributeddense_1_W", w), ("timedistributeddense_1_b", b)])])
    model = saving.load_model(path, compile=False)
    assert isinstance(model.layers[0], layers.Dense)  # a Keras 3 Dense maps every time step
    x = rng.normal(size=(2, 4, 3))
    np.testing.assert_allclose(model.predict(x, verbose=0), x @ w + b, **TOLERANCE)


def input_layer(name, shape):
    return {"name": name, "class_name": "InputLayer", "inbound_nodes": [], "config": {
        "batch_input_shape": [None, *shape], "input_dtype": "float32", "sparse": False, "name": name}}


def node_entry(entry, *inbound):
    return {**entry, "name": entry["config"]["name"], "inbound_nodes": [[[name, 0, 0] for name in inbound]]}


def test_keras1_functional_model_with_merge(engine, rng, tmp_path):
    """``Model`` of two inputs, a Dense on each, ``merge(mode='concat')`` and a Dense, as Keras 1 saved it."""
    merge = {"class_name": "Merge", "config": {
        "name": "merge_1", "mode": "concat", "mode_type": "raw", "concat_axis": -1, "dot_axes": -1,
        "output_shape": None, "output_shape_type": "raw", "output_mask": None, "output_mask_type": "raw",
        "arguments": {}}}
    config = {"class_name": "Model", "config": {"name": "model_1", "layers": [
        input_layer("input_1", (3,)), input_layer("input_2", (2,)),
        node_entry(dense("dense_1", 2, "tanh", input_dim=3), "input_1"),
        node_entry(dense("dense_2", 2, "relu", input_dim=2), "input_2"),
        node_entry(merge, "dense_1", "dense_2"),
        node_entry(dense("dense_3", 1, "linear", input_dim=4), "merge_1")],
        "input_layers": [["input_1", 0, 0], ["input_2", 0, 0]], "output_layers": [["dense_3", 0, 0]]}}
    arrays = {name: (rng.normal(size=shape), rng.normal(size=shape[1]))
              for name, shape in (("dense_1", (3, 2)), ("dense_2", (2, 2)), ("dense_3", (4, 1)))}
    path = tmp_path / "functional.h5"
    stored = {name: [(f"{name}_W", w), (f"{name}_b", b)] for name, (w, b) in arrays.items()}
    write_keras1_h5(path, config, [(name, stored.get(name, [])) for name in
                                   ("input_1", "input_2", "dense_1", "dense_2", "merge_1", "dense_3")])
    model = saving.load_model(path, compile=False)
    x1, x2 = rng.normal(size=(3, 3)), rng.normal(size=(3, 2))
    merged = np.concatenate([np.tanh(x1 @ arrays["dense_1"][0] + arrays["dense_1"][1]),
                             np.maximum(x2 @ arrays["dense_2"][0] + arrays["dense_2"][1], 0)], axis=-1)
    expected = merged @ arrays["dense_3"][0] + arrays["dense_3"][1]
    np.testing.assert_allclose(model.predict([x1, x2], verbose=0), expected, **TOLERANCE)


def test_keras1_merge_with_python_code_is_refused(engine):
    config = {"class_name": "Model", "config": {"name": "model_1", "layers": [
        input_layer("input_1", (2,)), input_layer("input_2", (2,)),
        node_entry({"class_name": "Merge", "config": {"name": "merge_1", "mode": "4wEAAAB...", "mode_type": "lambda",
                                                      "concat_axis": -1, "dot_axes": -1}}, "input_1", "input_2")],
        "input_layers": [["input_1", 0, 0], ["input_2", 0, 0]], "output_layers": [["merge_1", 0, 0]]}}
    with pytest.raises(ValueError, match="merge_1.*Python code"):
        saving.model_from_json(json.dumps(config))


# Keras 1's two-branch model: ``Sequential([Merge([left, right], mode=...), Dense(...)])``. Keras 1.2.2's
# ``Sequential.get_config`` writes the Merge with its branches' configs under "layers"; ``save_weights`` writes
# the layers of ``flattened_layers``: the branches' layers in turn, then the layers after the Merge.
def two_branch_sequential(mode):
    left = sequential(dense("dense_1", 4, "tanh", input_dim=3, batch_input_shape=(None, 3)),
                      dense("dense_2", 2, "relu", input_dim=4))
    right = sequential(dense("dense_3", 2, "linear", input_dim=5, batch_input_shape=(None, 5)))
    merge = {"class_name": "Merge", "config": {
        "name": "merge_1", "mode": mode, "mode_type": "raw", "concat_axis": -1, "dot_axes": -1,
        "output_shape": None, "output_shape_type": "raw", "output_mask": None, "output_mask_type": "raw",
        "arguments": {},
        "layers": [{"class_name": "Sequential", "config": branch["config"]} for branch in (left, right)]}}
    return sequential(merge, dense("dense_4", 1, "sigmoid", input_dim=4 if mode == "concat" else 2))


def two_branch_weights(rng, mode):
    shapes = {"dense_1": (3, 4), "dense_2": (4, 2), "dense_3": (5, 2), "dense_4": (4 if mode == "concat" else 2, 1)}
    return [(name, [(f"{name}_W", rng.normal(size=shape)), (f"{name}_b", rng.normal(size=shape[1]))])
            for name, shape in shapes.items()]


def numpy_two_branch(x_left, x_right, weights, mode):
    (w1, b1), (w2, b2), (w3, b3), (w4, b4) = ((w, b) for _, [(_, w), (_, b)] in weights)
    left = np.maximum(np.tanh(x_left @ w1 + b1) @ w2 + b2, 0)
    right = x_right @ w3 + b3
    merged = np.concatenate([left, right], axis=-1) if mode == "concat" else left + right
    return sigmoid(merged @ w4 + b4)


@pytest.mark.parametrize("mode", ["concat", "sum"])
@pytest.mark.parametrize("whole_model", [True, False], ids=["load_model", "model_from_json+load_weights"])
def test_keras1_sequential_of_merged_branches(engine, rng, tmp_path, mode, whole_model):
    config = two_branch_sequential(mode)
    weights = two_branch_weights(rng, mode)
    path = tmp_path / "branches.h5"
    write_keras1_h5(path, {"class_name": "Sequential", "config": config["config"]} if whole_model else None, weights)
    if whole_model:
        model = models.load_model(path, compile=False)
    else:
        model = models.model_from_json(json.dumps(config))
        saving.load_weights(model, path)
    assert [layer.name for layer in model.layers if layer.weights] == ["dense_1", "dense_2", "dense_3", "dense_4"]
    assert model.input_shape == [(None, 3), (None, 5)]
    x_left, x_right = rng.normal(size=(4, 3)), rng.normal(size=(4, 5))
    np.testing.assert_allclose(model.predict([x_left, x_right], verbose=0),
                               numpy_two_branch(x_left, x_right, weights, mode), **TOLERANCE)
    model.compile("sgd", "binary_crossentropy")
    model.fit([x_left, x_right], np.array([[0.0], [1.0], [0.0], [1.0]]), nb_epoch=1, verbose=0)


@pytest.mark.parametrize("name", ["mlp", "char_cnn", "bilstm", "cnn_bn"])
def test_genuine_keras2_files_load_unchanged(engine, name):
    """Keras 2 files (tf_keras 2.21) pass through the Keras 1 reading unchanged in meaning."""
    if not KERAS2_FILES.is_dir():
        pytest.skip("the shared Keras files are not on this machine")
    model = saving.load_model(KERAS2_FILES / f"{name}.tf_keras.h5", compile=False)
    prediction = model.predict(np.load(KERAS2_FILES / f"{name}.input.npy"), verbose=0)
    np.testing.assert_allclose(prediction, np.load(KERAS2_FILES / f"{name}.tf_keras.expected.npy"), **TOLERANCE)
