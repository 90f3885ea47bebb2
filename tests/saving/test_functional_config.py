"""Functional and Sequential configs in Keras 3's format: round trips give the same predictions."""

import json

import numpy as np
import pytest

from lamina import layers, ops
from lamina.backend import convert_to_numpy
from lamina.models import Functional, Model, Sequential


def predictions(model, inputs):
    return [convert_to_numpy(o) for o in tree_leaves(model(inputs))]


def tree_leaves(value):
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    return list(value) if isinstance(value, (list, tuple)) else [value]


def round_trip(model):
    """Rebuild from the JSON-encoded config, copy weights, return the copy."""
    config = json.loads(json.dumps(model.get_config()))
    clone = type(model).from_config(config)
    clone.set_weights(model.get_weights())
    return clone


def assert_same(model, clone, inputs):
    for a, b in zip(predictions(model, inputs), predictions(clone, inputs)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def two_branch_model():
    a = layers.Input(shape=(3,), name="a")
    b = layers.Input(shape=(4,), name="b")
    shared = layers.Dense(5, name="shared")
    merged = ops.add(shared(a), layers.Dense(5, name="db")(b))
    joined = ops.concatenate([merged, shared(a)], axis=-1)
    return Model([a, b], [layers.Dense(2, name="head")(joined), ops.relu(merged)])


def test_multi_io_shared_layer_and_ops_round_trip(engine, rng):
    model = two_branch_model()
    config = model.get_config()
    entries = {e["name"]: e for e in config["layers"]}
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert len(entries["shared"]["inbound_nodes"]) == 2
    assert entries["shared"]["inbound_nodes"][0]["args"][0] == {
        "class_name": "__keras_tensor__",
        "config": {"shape": [None, 3], "dtype": "float32", "keras_history": ["a", 0, 0]},
    }
    concat = next(e for e in config["layers"] if e["class_name"] == "Concatenate")
    assert concat["config"]["axis"] == -1 and concat["module"] == "lamina.ops.numpy"
    assert entries["a"]["inbound_nodes"] == []
    clone = round_trip(model)
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    inputs = [rng.standard_normal((4, 3)).astype("float32"), rng.standard_normal((4, 4)).astype("float32")]
    assert_same(model, clone, inputs)
    assert clone.get_config() == model.get_config()


def test_nested_model_counts_calls_from_one(engine, rng):
    inner_in = layers.Input(shape=(3,))
    inner = Model(inner_in, layers.Dense(4, activation="tanh")(inner_in), name="inner")
    x = layers.Input(shape=(3,), name="x")
    out = layers.Dense(1, name="out")(ops.multiply(inner(x), inner(x)))
    model = Model(x, out)
    config = model.get_config()
    assert config["input_layers"] == ["x", 0, 0]  # a single input is written as a leaf
    multiply = next(e for e in config["layers"] if e["class_name"] == "Multiply")
    histories = [a["config"]["keras_history"] for a in multiply["inbound_nodes"][0]["args"]]
    assert histories == [["inner", 1, 0], ["inner", 2, 0]]  # Keras: node 0 is the model's own construction
    clone = round_trip(model)
    assert isinstance(clone.get_layer("inner"), Functional)
    assert_same(model, clone, rng.standard_normal((2, 3)).astype("float32"))


def test_dict_inputs_and_outputs_keep_their_structure(engine, rng):
    inputs = {"left": layers.Input(shape=(2,), name="left"), "right": layers.Input(shape=(3,), name="right")}
    joined = layers.Concatenate(name="join")([inputs["left"], inputs["right"]])
    model = Model(inputs, {"score": layers.Dense(1, name="score")(joined), "raw": joined})
    config = model.get_config()
    assert config["input_layers"] == {"left": ["left", 0, 0], "right": ["right", 0, 0]}
    assert config["output_layers"] == {"score": ["score", 0, 0], "raw": ["join", 0, 0]}
    clone = round_trip(model)
    data = {"left": rng.standard_normal((2, 2)).astype("float32"),
            "right": rng.standard_normal((2, 3)).astype("float32")}
    out = clone(data)
    assert set(out) == {"score", "raw"}
    assert_same(model, clone, data)


def test_sequential_config_follows_keras(engine, rng):
    model = Sequential([layers.Input(shape=(4,)), layers.Dense(3, activation="relu"), layers.Dense(2)], name="seq")
    config = model.get_config()
    assert config["name"] == "seq" and config["build_input_shape"] == [None, 4]
    assert config["dtype"]["class_name"] == "DTypePolicy"
    assert [c["class_name"] for c in config["layers"]] == ["InputLayer", "Dense", "Dense"]
    clone = round_trip(model)
    assert_same(model, clone, rng.standard_normal((3, 4)).astype("float32"))


def test_sequential_inside_functional(engine, rng):
    block = Sequential([layers.Dense(3, activation="relu"), layers.Dense(3)], name="block")
    x = layers.Input(shape=(3,), name="x")
    model = Model(x, layers.Add(name="plus")([x, block(x)]))
    config = model.get_config()
    plus = next(e for e in config["layers"] if e["name"] == "plus")
    assert plus["inbound_nodes"][0]["args"][0][1]["config"]["keras_history"] == ["block", 0, 0]
    clone = round_trip(model)
    assert isinstance(clone.get_layer("block"), Sequential)
    assert_same(model, clone, rng.standard_normal((2, 3)).astype("float32"))


def test_subclassed_model_needs_its_own_get_config(engine):
    class Net(Model):
        def __init__(self, layer):
            super().__init__()
            self.layer = layer

        def call(self, x):
            return self.layer(x)

    with pytest.raises(NotImplementedError, match="Override `get_config\\(\\)`"):
        Net(layers.Dense(2)).get_config()

    class Width(Model):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units

    assert Width(units=5).get_config()["units"] == 5


def test_stuck_config_names_the_layers(engine):
    x = layers.Input(shape=(2,), name="x")
    config = Model(x, layers.Dense(1, name="d")(x)).get_config()
    config["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["d", 0, 0]
    with pytest.raises(ValueError, match=r"\['d'\]"):
        Functional.from_config(config)
