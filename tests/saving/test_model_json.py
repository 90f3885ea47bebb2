"""``Model.to_json`` / ``model_from_json`` in Keras 3's format, including JSON written the way Keras writes it."""

import json

import numpy as np

import lamina
from lamina import layers, ops
from lamina.backend import convert_to_numpy
from lamina.models import Functional, Model, Sequential, model_from_json


def test_functional_json_round_trip_uses_keras_names(engine, rng):
    x = layers.Input(shape=(3,), name="x")
    h = layers.Dense(4, activation="relu", name="hidden")(x)
    model = Model(x, layers.Dense(2, name="out")(ops.concatenate([h, x], axis=-1)))
    text = model.to_json()
    document = json.loads(text)
    assert document["module"] == "keras.src.models.functional" and document["class_name"] == "Functional"
    entries = {e["name"]: e for e in document["config"]["layers"]}
    assert entries["hidden"]["module"] == "keras.layers"
    assert entries["hidden"]["config"]["dtype"]["module"] == "keras"
    assert entries["hidden"]["config"]["kernel_initializer"]["module"] == "keras.initializers"
    assert next(e for e in document["config"]["layers"] if e["class_name"] == "Concatenate")["module"] == \
        "keras.src.ops.numpy"
    clone = model_from_json(text)
    assert isinstance(clone, Functional)
    clone.set_weights(model.get_weights())
    data = rng.standard_normal((2, 3)).astype("float32")
    np.testing.assert_allclose(convert_to_numpy(clone(data)), convert_to_numpy(model(data)), rtol=1e-6)


def test_sequential_json_round_trip(engine, rng):
    model = Sequential([layers.Input(shape=(5,)), layers.Dense(3), layers.Dropout(0.5), layers.Dense(1)])
    document = json.loads(model.to_json())
    assert (document["module"], document["class_name"]) == ("keras", "Sequential")
    clone = lamina.saving.model_from_json(model.to_json())
    assert isinstance(clone, Sequential) and len(clone.layers) == 3
    clone.set_weights(model.get_weights())
    data = rng.standard_normal((2, 5)).astype("float32")
    np.testing.assert_allclose(convert_to_numpy(clone(data)), convert_to_numpy(model(data)), rtol=1e-6)


def keras_tensor(shape, history):
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32", "keras_history": history}}


def keras_dense(name, units, activation, input_shape):
    policy = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
    return {
        "module": "keras.layers", "class_name": "Dense", "registered_name": None,
        "config": {"name": name, "trainable": True, "dtype": policy, "units": units, "activation": activation,
                   "use_bias": True,
                   "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                                          "config": {"seed": None}, "registered_name": None},
                   "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                                        "registered_name": None},
                   "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
                   "bias_constraint": None},
        "build_config": {"input_shape": input_shape},
    }


def test_hand_written_keras_json_loads(engine, rng):
    """A two-input model as Keras 3 writes it: keras.layers modules, DTypePolicy dicts, an op, a nested model."""
    inner = {
        "module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
        "name": "inner",
        "config": {"name": "inner", "trainable": True, "layers": [
            {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None, "name": "inner_in",
             "config": {"batch_shape": [None, 4], "dtype": "float32", "sparse": False, "name": "inner_in"},
             "inbound_nodes": []},
            dict(keras_dense("inner_dense", 4, "tanh", [None, 4]), name="inner_dense",
                 inbound_nodes=[{"args": [keras_tensor([None, 4], ["inner_in", 0, 0])], "kwargs": {}}]),
        ], "input_layers": [["inner_in", 0, 0]], "output_layers": [["inner_dense", 0, 0]]},
        "inbound_nodes": [{"args": [keras_tensor([None, 4], ["add", 0, 0])], "kwargs": {}}],
    }
    config = {"name": "keras_model", "trainable": True, "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None, "name": "a",
         "config": {"batch_shape": [None, 3], "dtype": "float32", "sparse": False, "name": "a"}, "inbound_nodes": []},
        {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None, "name": "b",
         "config": {"batch_shape": [None, 4], "dtype": "float32", "sparse": False, "name": "b"}, "inbound_nodes": []},
        dict(keras_dense("proj", 4, "relu", [None, 3]), name="proj",
             inbound_nodes=[{"args": [keras_tensor([None, 3], ["a", 0, 0])], "kwargs": {}}]),
        {"module": "keras.src.ops.numpy", "class_name": "Add", "registered_name": "Add", "name": "add",
         "config": {"name": "add"},
         "inbound_nodes": [{"args": [keras_tensor([None, 4], ["proj", 0, 0]), keras_tensor([None, 4], ["b", 0, 0])],
                            "kwargs": {}}]},
        inner,
        dict(keras_dense("head", 1, "linear", [None, 4]), name="head",
             inbound_nodes=[{"args": [keras_tensor([None, 4], ["inner", 1, 0])], "kwargs": {}}]),
    ], "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["head", 0, 0]]}
    text = json.dumps({"module": "keras.src.models.functional", "class_name": "Functional", "config": config,
                       "registered_name": "Functional", "build_config": {"input_shape": None}})
    model = model_from_json(text)
    assert model.name == "keras_model" and model.input_names == ["a", "b"]
    inner_model = model.get_layer("inner")
    assert isinstance(inner_model, Functional)
    a = rng.standard_normal((2, 3)).astype("float32")
    b = rng.standard_normal((2, 4)).astype("float32")
    proj_k, proj_b = model.get_layer("proj").get_weights()
    inner_k, inner_b = inner_model.get_layer("inner_dense").get_weights()
    head_k, head_b = model.get_layer("head").get_weights()
    expected = np.tanh((np.maximum(a @ proj_k + proj_b, 0) + b) @ inner_k + inner_b) @ head_k + head_b
    (output,) = lamina.tree.flatten(model([a, b]))
    np.testing.assert_allclose(convert_to_numpy(output), expected, rtol=1e-5, atol=1e-6)
    # written back, the config keeps Keras' numbering of the nested model's calls
    head = next(e for e in json.loads(model.to_json())["config"]["layers"] if e["name"] == "head")
    assert head["inbound_nodes"][0]["args"][0]["config"]["keras_history"] == ["inner", 1, 0]
