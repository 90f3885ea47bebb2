"""``Model.to_yaml`` / ``model_from_yaml`` (Keras 2 had them; Keras 3 dropped YAML): round trips and YAML
written the way Keras 2 wrote it."""

import json

import numpy as np
import pytest
import yaml

import lamina
from lamina import layers
from lamina.backend import convert_to_numpy
from lamina.models import Model, Sequential, model_from_yaml


def test_functional_yaml_round_trip(engine, rng):
    x = layers.Input((4,), name="x")
    model = Model(x, layers.Dense(2, activation="tanh", name="out")(layers.Dense(3, name="hidden")(x)))
    text = model.to_yaml()
    document = yaml.safe_load(text)  # plain YAML: the structure of to_json's JSON
    assert document["class_name"] == "Functional" and document["config"]["layers"][1]["module"] == "keras.layers"
    assert document == yaml.safe_load(yaml.safe_dump(json.loads(model.to_json())))
    clone = model_from_yaml(text)
    clone.set_weights(model.get_weights())
    data = rng.standard_normal((2, 4)).astype("float32")
    np.testing.assert_allclose(convert_to_numpy(clone(data)), convert_to_numpy(model(data)), rtol=1e-6)


def test_sequential_yaml_round_trip_through_saving(engine):
    model = Sequential([layers.Input((6, 1)), layers.Conv1D(2, 3, name="conv"), layers.Flatten()])
    clone = lamina.saving.model_from_yaml(model.to_yaml(sort_keys=True))
    assert [type(layer).__name__ for layer in clone.layers] == ["Conv1D", "Flatten"]
    assert clone.layers[0].kernel_size == (3,) and clone.output_shape == (None, 8)


KERAS2_YAML = """\
backend: tensorflow
class_name: Sequential
config:
  layers:
  - class_name: Dense
    config:
      activation: relu
      batch_input_shape: !!python/tuple [null, 3]
      bias_initializer: {class_name: Zeros, config: {}}
      dtype: float32
      kernel_initializer:
        class_name: VarianceScaling
        config: {distribution: uniform, mode: fan_avg, scale: 1.0, seed: null}
      name: dense
      trainable: true
      units: 2
      use_bias: true
  - class_name: Dense
    config: {activation: linear, dtype: float32, name: out, units: 1, use_bias: false}
  name: sequential
keras_version: 2.3.0-tf
"""


def test_keras2_yaml_text_loads(engine):
    """tf.keras 2.x wrote ``yaml.dump`` output: ``!!python/tuple`` shapes, legacy entries without modules."""
    model = model_from_yaml(KERAS2_YAML)
    assert isinstance(model, Sequential) and model.output_shape == (None, 1)
    first, second = model.layers
    first.kernel.assign(np.array([[1.0, -1.0], [2.0, 0.5], [0.0, 1.0]], "float32"))
    second.kernel.assign(np.array([[1.0], [3.0]], "float32"))
    data = np.array([[1.0, 1.0, 1.0], [-1.0, 0.0, 2.0]], "float32")
    # relu(data @ k1) @ k2: [[3, 0.5] -> 4.5], [[-1, 3] -> relu -> [0, 3] -> 9]
    np.testing.assert_allclose(convert_to_numpy(model(data)), [[4.5], [9.0]], rtol=1e-6)


def test_yaml_refuses_python_objects(engine):
    with pytest.raises(yaml.constructor.ConstructorError):
        model_from_yaml("!!python/object/apply:os.system ['true']")
    with pytest.raises(ValueError, match="YAML mapping"):
        model_from_yaml("- 1\n- 2\n")
