"""Keras 0.3/1's ``Graph`` container: named inputs, nodes and outputs, data as one dict by name."""

import warnings

import numpy as np
import pytest

import lamina
from lamina.legacy import models, optimizers
from lamina.legacy.layers.convolutional import Convolution1D, MaxPooling1D
from lamina.legacy.layers.core import Dense, Dropout, Flatten


@pytest.fixture(autouse=True)
def _quiet_old_spellings():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _three_input_data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    data = {name: rng.normal(size=(n, 12, 2)).astype("float32") for name in ("left", "middle", "right")}
    signal = data["left"][:, :, 0].mean(1) - data["right"][:, :, 1].mean(1) + data["middle"].mean((1, 2))
    data["output"] = (signal > 0).astype("float32")[:, None]
    return data


def _three_input_graph():
    graph = models.Graph()
    for name in ("left", "middle", "right"):
        graph.add_input(name=name, input_shape=(12, 2))
        graph.add_node(Convolution1D(nb_filter=4, filter_length=3, border_mode="valid", activation="relu"),
                       name=f"conv_{name}", input=name)
        graph.add_node(Dropout(0.25), name=f"dropout_{name}", input=f"conv_{name}")
        graph.add_node(MaxPooling1D(pool_length=2), name=f"pool_{name}", input=f"dropout_{name}")
        graph.add_node(Flatten(), name=f"flatten_{name}", input=f"pool_{name}")
    graph.add_node(Dense(1, activation="sigmoid"), name="sigmoid",
                   inputs=["flatten_left", "flatten_middle", "flatten_right"], merge_mode="concat")
    graph.add_output(name="output", input="sigmoid")
    return graph


def test_three_convolution_branches_concat_train_with_nb_epoch(engine):
    data = _three_input_data()
    graph = _three_input_graph()
    graph.compile(optimizers.Adam(lr=0.01), {"output": "binary_crossentropy"})
    before = graph.evaluate(data)
    history = graph.fit(data, batch_size=16, nb_epoch=8, verbose=0, validation_data=data)
    assert len(history.history["loss"]) == 8 and "val_loss" in history.history
    after = graph.evaluate(data)
    assert after < 0.8 * before

    # The same numbers from the modern functional API on the Graph's own layers.
    modern = lamina.Model(graph.input, graph.output)
    modern.compile("sgd", {"output": "binary_crossentropy"})
    inputs = {name: data[name] for name in ("left", "middle", "right")}
    assert after == pytest.approx(modern.evaluate(inputs, {"output": data["output"]}, verbose=0), rel=1e-5)
    predictions = graph.predict(data)
    assert set(predictions) == {"output"} and predictions["output"].shape == (96, 1)
    np.testing.assert_allclose(predictions["output"], modern.predict(inputs, verbose=0)["output"], rtol=1e-5)


def test_show_accuracy_on_a_graph(engine):
    data = _three_input_data(32)
    graph = _three_input_graph()
    graph.compile("sgd", {"output": "binary_crossentropy"})
    loss, acc = graph.evaluate(data, show_accuracy=True)
    predictions = graph.predict(data)["output"]
    assert acc == pytest.approx(np.mean((predictions > 0.5) == data["output"]))
    assert graph.evaluate(data) == pytest.approx(loss)


def _two_input_graph(merge_mode, **merge_arguments):
    graph = models.Graph()
    graph.add_input(name="a", input_shape=(3,))
    graph.add_input(name="b", input_shape=(3,))
    graph.add_output(name="merged", inputs=["a", "b"], merge_mode=merge_mode, **merge_arguments)
    return graph


A = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], "float32")
B = np.array([[4.0, 5.0, 6.0], [1.0, 1.0, -1.0]], "float32")


@pytest.mark.parametrize("mode, expected", [
    ("concat", np.concatenate([A, B], axis=-1)),
    ("sum", A + B),
    ("mul", A * B),
    ("ave", (A + B) / 2),
    ("max", np.maximum(A, B)),
    ("dot", np.sum(A * B, axis=-1, keepdims=True)),
    ("cos", (np.sum(A * B, axis=-1, keepdims=True) / np.linalg.norm(A, axis=-1, keepdims=True)
             / np.linalg.norm(B, axis=-1, keepdims=True))[:, None]),  # Keras 1's (batch, 1, 1)
])
def test_merge_modes(engine, mode, expected):
    graph = _two_input_graph(mode)
    np.testing.assert_allclose(graph.predict({"a": A, "b": B})["merged"], expected, rtol=1e-5)


def test_shared_node_and_several_outputs(engine):
    graph = models.Graph()
    graph.add_input(name="a", input_shape=(3,))
    graph.add_input(name="b", input_shape=(3,))
    shared = Dense(2, weights=[np.arange(6, dtype="float32").reshape(3, 2), np.array([1.0, -1.0], "float32")])
    graph.add_shared_node(shared, name="shared", inputs=["a", "b"], merge_mode="sum", create_output=True)
    graph.add_shared_node(Dense(1), name="heads", inputs=["a", "b"], outputs=["head_a", "head_b"])
    graph.add_output(name="out_a", input="head_a")
    kernel, bias = (lamina.backend.convert_to_numpy(w) for w in shared.weights)
    predictions = graph.predict({"a": A, "b": B})
    assert set(predictions) == {"shared", "out_a"}
    np.testing.assert_allclose(predictions["shared"], A @ kernel + B @ kernel + 2 * bias, rtol=1e-5)
    assert len(graph.trainable_variables) == 4


def test_two_outputs_with_a_loss_each(engine):
    rng = np.random.default_rng(2)
    graph = models.Graph()
    graph.add_input(name="x", input_shape=(4,))
    graph.add_node(Dense(8, activation="tanh"), name="hidden", input="x")
    graph.add_node(Dense(1), name="regression", input="hidden", create_output=True)
    graph.add_node(Dense(1, activation="sigmoid"), name="binary", input="hidden", create_output=True)
    graph.compile(optimizers.RMSprop(lr=0.01), loss={"regression": "mse", "binary": "binary_crossentropy"})
    x = rng.normal(size=(64, 4)).astype("float32")
    data = {"x": x, "regression": x.sum(1, keepdims=True), "binary": (x[:, :1] > 0).astype("float32")}
    first = graph.train_on_batch(data)
    for _ in range(30):
        graph.train_on_batch(data)
    assert graph.test_on_batch(data)[0] < first[0]
    total, *per_output = graph.evaluate(data)
    assert total == pytest.approx(sum(per_output), rel=1e-5)
    batch = graph.predict_on_batch(data)
    assert set(batch) == {"regression", "binary"} and batch["binary"].shape == (64, 1)


def test_fit_generator_of_dicts(engine):
    data = _three_input_data(64)
    graph = _three_input_graph()
    graph.compile(optimizers.Adam(lr=0.01), {"output": "binary_crossentropy"})

    def batches():
        while True:
            for start in range(0, 64, 16):
                yield {name: value[start:start + 16] for name, value in data.items()}

    before = graph.evaluate(data)
    graph.fit_generator(batches(), samples_per_epoch=64, nb_epoch=6, verbose=0)
    assert graph.evaluate(data) < before
    predictions = graph.predict_generator(batches(), val_samples=64)
    np.testing.assert_allclose(predictions["output"], graph.predict(data)["output"], rtol=1e-5)


def test_graph_errors_name_the_problem(engine):
    graph = _two_input_graph("sum")
    with pytest.raises(ValueError, match="Duplicate node identifier"):
        graph.add_input(name="a", input_shape=(3,))
    with pytest.raises(ValueError, match="Unknown node/input identifier"):
        graph.add_node(Dense(1), name="d", input="missing")
    with pytest.raises(ValueError, match="for input"):
        graph.predict({"a": A})


def test_graph_warns_naming_the_functional_api(engine):
    with pytest.warns(DeprecationWarning, match="Model\\(inputs="):
        models.Graph()
