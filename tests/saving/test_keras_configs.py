"""Keras 3.x configs load: every key Keras 3.0 to 3.15 writes, for every public layer, initializer,
regularizer, constraint, optimizer, loss and metric, is accepted with its meaning kept; a Keras feature
lamina lacks, switched on, is refused with a ValueError naming the class, the key and the value.

The configs are genuine Keras 3.15.1 output (tests/saving/keras_3_15_configs.py)."""

import copy
import inspect
import json
import pathlib
import re
import zipfile

import numpy as np
import pytest
from keras_3_15_configs import CONSTRAINTS, INITIALIZERS, LAYERS, LOSSES, METRICS, OPTIMIZERS, REGULARIZERS
from layer_cases import all_cases

from lamina import constraints, initializers, layers, losses, metrics, models, optimizers, regularizers, tree
from lamina.backend import convert_to_numpy
from lamina.models.layer_entries import deserialize_layer
from lamina.serialization import keras_names, serialize
from lamina.training.compile_config import compile_from_config

KERAS_FILES = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "keras-files"
FAMILIES = {"initializers": (initializers, INITIALIZERS), "regularizers": (regularizers, REGULARIZERS),
            "constraints": (constraints, CONSTRAINTS), "optimizers": (optimizers, OPTIMIZERS),
            "losses": (losses, LOSSES), "metrics": (metrics, METRICS)}
NOT_IN_KERAS_3 = {
    "ThresholdedReLU",  # lamina keeps Keras 2's layer; Keras 3 dropped it
    "CharacterVectorization",  # lamina-only (character-level text vectorization); Keras has no such layer
}


def is_entry(value) -> bool:
    return isinstance(value, dict) and "class_name" in value and isinstance(value.get("config"), dict)


def policy_name(dtype):
    return dtype["config"]["name"] if isinstance(dtype, dict) else dtype


def same_class(ours: str, theirs: str) -> bool:
    """Keras' ``Orthogonal`` is lamina's ``OrthogonalInitializer``: one class, two names."""
    return ours.removesuffix("Initializer") == theirs.removesuffix("Initializer")


def assert_same_meaning(ours: dict, keras: dict, where: str) -> None:
    """Every key both configs hold has the same value, nested entries compared the same way (names aside)."""
    for key, value in keras.items():
        if key not in ours or key == "name":
            continue
        mine, at = ours[key], f"{where}.{key}"
        if key == "dtype":
            assert policy_name(mine) == policy_name(value), at
        elif isinstance(value, dict) and value.get("class_name") == "function":  # a function, by name
            assert mine["config"] == value["config"], (at, mine, value)
        elif is_entry(value):
            assert is_entry(mine) and same_class(mine["class_name"], value["class_name"]), (at, mine, value)
            assert_same_meaning(mine["config"], value["config"], at)
        elif isinstance(value, list) and value and all(is_entry(item) for item in value):
            assert len(mine) == len(value), at
            for index, (item, wanted) in enumerate(zip(mine, value)):
                assert_same_meaning(item["config"], wanted["config"], f"{at}[{index}]")
        else:
            assert json.loads(json.dumps(mine)) == value, (at, mine, value)


def test_every_public_layer_has_a_keras_config(engine):
    classes = {obj.__name__ for obj in vars(layers).values()
               if inspect.isclass(obj) and issubclass(obj, layers.Layer)} - {"Layer"}
    assert sorted(classes - NOT_IN_KERAS_3) == sorted(LAYERS)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_keras_layer_config_loads_with_its_meaning(engine, name):
    entry = LAYERS[name]
    layer = deserialize_layer(copy.deepcopy(entry))
    assert type(layer).__name__ == name
    assert_same_meaning(serialize(layer)["config"], entry["config"], name)
    if name in all_cases():  # Keras' config was written from the case's arguments: it computes on its inputs
        inputs = all_cases()[name][1]()
        outputs = layer(*inputs) if isinstance(inputs, tuple) else layer(inputs)
        assert all(np.all(np.isfinite(convert_to_numpy(output))) for output in tree.flatten(outputs))


@pytest.mark.parametrize("family, name", [(family, name) for family, (_, table) in sorted(FAMILIES.items())
                                          for name in sorted(table)])
def test_keras_object_config_loads_with_its_meaning(engine, family, name):
    module, table = FAMILIES[family]
    obj = module.deserialize(keras_names.to_lamina(copy.deepcopy(table[name])))
    assert same_class(type(obj).__name__, name)
    assert_same_meaning(serialize(obj)["config"], table[name]["config"], name)


def with_key(entry: dict, key: str, value) -> dict:
    changed = copy.deepcopy(entry)
    changed["config"][key] = value
    return changed


# One non-default value per Keras feature lamina lacks: (entry, the class and key the error names, the value).
UNSUPPORTED = {
    "renorm": (with_key(LAYERS["BatchNormalization"], "renorm", True), "BatchNormalization", "renorm", True),
    "quantization_config": (with_key(LAYERS["Dense"], "quantization_config", {"mode": "int8"}), "Dense",
                            "quantization_config", {"mode": "int8"}),
    "ragged": (with_key(LAYERS["InputLayer"], "ragged", True), "InputLayer", "ragged", True),
    "input_axes": (with_key(INITIALIZERS["VarianceScaling"], "input_axes", [0]), "VarianceScaling",
                   "input_axes", [0]),
    "output_axes": (with_key(INITIALIZERS["HeNormal"], "output_axes", [1, 2]), "HeNormal", "output_axes", [1, 2]),
}


@pytest.mark.parametrize("feature", sorted(UNSUPPORTED))
def test_a_keras_feature_lamina_lacks_is_refused_by_name(engine, feature):
    entry, class_name, key, value = UNSUPPORTED[feature]
    with pytest.raises(ValueError, match=rf"{class_name}.*" + re.escape(f"`{key}={value!r}`")):
        keras_names.to_lamina(entry)


def test_every_keras_only_key_is_one_lamina_lacks(engine):
    """The table lists only keys the named classes do not take: a feature lamina gains leaves the table."""
    for (class_name, key) in keras_names._KERAS_ONLY_KEYS:
        if class_name != "*":
            cls = getattr(layers, class_name, None) or getattr(initializers, class_name)
            assert key not in inspect.signature(cls).parameters, (class_name, key)


def test_an_unsupported_option_nested_in_a_layer_names_both(engine):
    entry = copy.deepcopy(LAYERS["Dense"])
    entry["config"]["kernel_initializer"]["config"]["input_axes"] = [0]
    with pytest.raises(ValueError, match=r"GlorotUniform \(the kernel_initializer of Dense 'dense'\).*"
                                         r"`input_axes=\[0\]`"):
        deserialize_layer(entry)


def test_renorm_settings_are_moot_while_renorm_is_off(engine):
    entry = with_key(with_key(LAYERS["BatchNormalization"], "renorm_momentum", 0.5), "renorm_clipping", {"rmax": 3})
    assert type(deserialize_layer(entry)).__name__ == "BatchNormalization"


@pytest.mark.parametrize("dtype, name", [
    ("float32", "float32"),  # Keras 3.0 to 3.4 wrote a policy name
    ({"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"}, "registered_name": None},
     "mixed_float16"),
    ({"module": "keras.dtype_policies", "class_name": "FloatDTypePolicy", "config": {"name": "float16"},
      "registered_name": None}, "float16"),
])
def test_dtype_policies_in_every_keras_form(engine, dtype, name):
    layer = deserialize_layer(with_key(LAYERS["Dense"], "dtype", dtype))
    assert layer.dtype_policy.name == name


def test_a_quantized_dtype_policy_is_refused_by_name(engine):
    policy = {"module": "keras.dtype_policies", "class_name": "QuantizedDTypePolicy",
              "config": {"mode": "int8", "source_name": "float32"}, "registered_name": None}
    with pytest.raises(ValueError, match=r"Dense 'dense'.*`dtype=.*QuantizedDTypePolicy"):
        deserialize_layer(with_key(LAYERS["Dense"], "dtype", policy))


def test_build_config_builds_the_layer(engine):
    entry = copy.deepcopy(LAYERS["Dense"])
    entry["build_config"] = {"input_shape": [None, 4]}
    layer = deserialize_layer(entry)
    assert layer.built and [tuple(w.shape) for w in layer.weights] == [(4, 3), (3,)]


@pytest.mark.parametrize("model", ["mlp", "char_cnn", "bilstm", "cnn_bn"])
def test_keras_model_and_compile_configs_load(engine, model):
    """A whole ``config.json`` from a Keras 3.15.1 ``.keras`` file: the model, its build_config (built) and
    its compile_config (optimizer with Keras' hyperparameters, loss and metrics)."""
    config = json.loads(zipfile.ZipFile(KERAS_FILES / f"{model}.keras").read("config.json"))
    loaded = models.model_from_json(json.dumps({key: value for key, value in config.items()
                                                if key != "compile_config"}))
    assert loaded.built and loaded.name == config["config"]["name"]
    compile_from_config(loaded, config["compile_config"])
    optimizer = config["compile_config"]["optimizer"]["config"]
    assert type(loaded.optimizer).__name__ == "Adam"
    np.testing.assert_allclose(convert_to_numpy(loaded.optimizer.learning_rate), optimizer["learning_rate"])
    assert loaded.optimizer.beta_1 == optimizer["beta_1"] and loaded.optimizer.epsilon == optimizer["epsilon"]


def test_keras_configs_passed_directly_are_translated_too(engine):
    """A Keras config handed to ``get``/``deserialize`` in user code (not read from a file) gets the same
    treatment: Keras-only keys at their defaults are dropped, other values refused by name."""
    config = {"module": "keras.initializers", "class_name": "GlorotUniform",
              "config": {"seed": 3, "input_axes": None, "output_axes": None}, "registered_name": None}
    assert initializers.get(config).seed == 3
    config["config"]["input_axes"] = [0]
    with pytest.raises(ValueError, match="input_axes"):
        initializers.get(config)
