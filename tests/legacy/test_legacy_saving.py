"""Models holding ``lamina.legacy`` layers saved and loaded with lamina's own formats: ``model.save("m.keras")``,
the legacy ``.h5`` file, ``to_json``/``model_from_json`` with ``save_weights``/``load_weights``. Every reloaded
model must predict the numbers the saved one did.

The Keras 1 layers Keras 3 lacks are registered as ``lamina.legacy.layers>Name``; a translated standard class
(``Convolution1D``, ``TimeDistributedDense``, legacy ``Dense``) saves as its modern class with its modern config,
so the file is a plain Keras 3 file.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import lamina
from lamina import layers, serialization
from lamina.legacy.layers import advanced_activations, containers, convolutional, core, recurrent

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TOLERANCE = {"rtol": 1e-6, "atol": 1e-6}


def reloaded(model, tmp_path, safe_mode: bool = True) -> list:
    """The model read back from a ``.keras`` file, a legacy ``.h5`` file, and JSON plus a weights file."""
    model.save(tmp_path / "m.keras")
    model.save(tmp_path / "m.h5")
    model.save_weights(tmp_path / "m.weights.h5")
    with serialization.safe_mode_scope(safe_mode):  # ``model_from_json`` takes no ``safe_mode``, as in Keras
        from_json = lamina.models.model_from_json(model.to_json())
    from_json.load_weights(tmp_path / "m.weights.h5")
    return [lamina.models.load_model(tmp_path / "m.keras", safe_mode=safe_mode),
            lamina.models.load_model(tmp_path / "m.h5", compile=False, safe_mode=safe_mode), from_json]


def assert_same_predictions(model, x, tmp_path, safe_mode: bool = True) -> list:
    expected = model.predict(x, verbose=0)
    copies = reloaded(model, tmp_path, safe_mode)
    for copy in copies:
        np.testing.assert_allclose(copy.predict(x, verbose=0), expected, **TOLERANCE)
    return copies


def test_maxout_dense_highway_srelu(engine, rng, tmp_path):
    srelu = advanced_activations.SReLU(weights=[np.full(2, v, "float32") for v in (-0.5, 0.2, 1.0, 0.5)])
    model = lamina.Sequential([core.MaxoutDense(4, nb_feature=3, input_dim=3), core.Highway(activation="relu"),
                               core.Dense(2), srelu])
    x = rng.normal(size=(6, 3)).astype("float32")
    for copy in assert_same_predictions(model, x, tmp_path):
        assert [type(layer) for layer in copy.layers[:2]] == [core.MaxoutDense, core.Highway]
        assert isinstance(copy.layers[3], advanced_activations.SReLU)
        assert copy.layers[0].nb_feature == 3


def test_keras1_layers_are_registered_as_lamina_legacy(engine):
    entry = json.loads(lamina.Sequential([core.Highway(input_dim=2)]).to_json())["config"]["layers"][1]
    assert entry["registered_name"] == "lamina.legacy.layers>Highway"


def test_translated_classes_save_as_their_modern_class(engine, rng, tmp_path):
    """Intended: a translated Keras 1 class saves its modern config under its modern class, and loads as it."""
    model = lamina.Sequential([convolutional.Convolution1D(2, 3, input_shape=(5, 4), init="uniform"),
                               core.TimeDistributedDense(3), core.Dense(1)])
    entries = json.loads(model.to_json())["config"]["layers"][1:]
    assert [(e["module"], e["class_name"], e["registered_name"]) for e in entries] == [
        ("keras.layers", "Conv1D", None), ("keras.layers", "Dense", None), ("keras.layers", "Dense", None)]
    conv = entries[0]["config"]
    assert conv["filters"] == 2 and conv["kernel_initializer"]["config"]["maxval"] == 0.05  # Keras 1's "uniform"
    copies = assert_same_predictions(model, rng.normal(size=(2, 5, 4)).astype("float32"), tmp_path)
    assert [type(layer) for layer in copies[0].layers] == [layers.Conv1D, layers.Dense, layers.Dense]


def test_time_distributed_merge(engine, rng, tmp_path):
    model = lamina.Sequential([lamina.Input((4, 3)), core.TimeDistributedMerge("mul"), core.Dense(2)])
    x = rng.normal(size=(3, 4, 3)).astype("float32")
    copies = assert_same_predictions(model, x, tmp_path)
    assert all(copy.layers[0].mode == "mul" for copy in copies)


def test_merge_of_branch_models(engine, rng, tmp_path):
    left = lamina.Sequential([core.Dense(3, input_dim=4, activation="tanh")])
    right = lamina.Sequential([core.Dense(2, input_dim=2), core.Dense(3)])
    a, b = lamina.Input((4,)), lamina.Input((2,))
    model = lamina.Model([a, b], core.Dense(1)(core.Merge([left, right], mode="concat")([a, b])))
    x = [rng.normal(size=(5, 4)).astype("float32"), rng.normal(size=(5, 2)).astype("float32")]
    for copy in assert_same_predictions(model, x, tmp_path):
        merged = copy.layers[2]
        assert isinstance(merged, core.Merge) and merged.mode == "concat"
        assert [len(branch.layers) for branch in merged.branches] == [1, 2]


def test_merge_with_a_named_mode(engine, tmp_path):
    a, b = lamina.Input((3,)), lamina.Input((3,))
    model = lamina.Model([a, b], core.merge([a, b], mode="cos"))
    x = [np.array([[1.0, 2.0, 3.0]], "float32"), np.array([[4.0, -5.0, 6.0]], "float32")]
    cosine = 12.0 / (np.linalg.norm(x[0]) * np.linalg.norm(x[1]))
    for copy in assert_same_predictions(model, x, tmp_path):
        np.testing.assert_allclose(copy.predict(x, verbose=0), [[[cosine]]], rtol=1e-5)


def weighted_sum(tensors):
    return tensors[0] * 2.0 + tensors[1]


def test_merge_with_a_named_function_mode(engine, tmp_path):
    """A named function is looked up, as a ``Lambda``'s is: registered ones load in safe mode."""
    lamina.saving.register_keras_serializable("tests.legacy")(weighted_sum)
    a, b = lamina.Input((2,)), lamina.Input((2,))
    model = lamina.Model([a, b], core.merge([a, b], mode=weighted_sum, output_shape=(2,)))
    x = [np.array([[1.0, 2.0]], "float32"), np.array([[10.0, 20.0]], "float32")]
    for copy in assert_same_predictions(model, x, tmp_path):
        np.testing.assert_allclose(copy.predict(x, verbose=0), [[12.0, 24.0]])


def test_merge_with_a_python_lambda_needs_safe_mode_off(engine, tmp_path):
    a, b = lamina.Input((2,)), lamina.Input((2,))
    model = lamina.Model([a, b], core.merge([a, b], mode=lambda t: t[0] - t[1], output_shape=(2,)))
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="safe_mode=False"):
        lamina.models.load_model(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="safe_mode=False"):
        lamina.models.model_from_json(model.to_json())
    x = [np.array([[5.0, 7.0]], "float32"), np.array([[1.0, 2.0]], "float32")]
    for copy in assert_same_predictions(model, x, tmp_path, safe_mode=False):
        np.testing.assert_allclose(copy.predict(x, verbose=0), [[4.0, 5.0]])


def test_siamese(engine, tmp_path):
    shared = core.Dense(2, weights=[np.ones((3, 2), "float32"), np.array([0.0, 1.0], "float32")])
    a, b = lamina.Input((3,)), lamina.Input((3,))
    model = lamina.Model([a, b], core.Siamese(shared, merge_mode="sum")([a, b]))
    x = [np.ones((1, 3), "float32"), 2 * np.ones((1, 3), "float32")]
    for copy in assert_same_predictions(model, x, tmp_path):
        np.testing.assert_allclose(copy.predict(x, verbose=0), [[9.0, 11.0]])  # (3 + 6) + (0 + 1) * 2
        assert isinstance(copy.layers[2], core.Siamese)


def test_autoencoder(engine, rng, tmp_path):
    encoder = containers.Sequential([core.Dense(2, input_dim=4, activation="tanh")])
    decoder = containers.Sequential([core.Dense(4, input_dim=2)])
    model = lamina.Sequential([core.AutoEncoder(encoder=encoder, decoder=decoder, output_reconstruction=False)])
    x = rng.normal(size=(5, 4)).astype("float32")
    for copy in assert_same_predictions(model, x, tmp_path):
        assert copy.layers[0].output_reconstruction is False
        assert copy.output_shape == (None, 2)


def fresh_process_prediction(path, x, engine) -> tuple[str, np.ndarray]:
    """The first layer's class module and the prediction of the model at ``path`` loaded by a new Python."""
    code = ("import sys, json, lamina, numpy as np; m = lamina.models.load_model(sys.argv[1]); "
            "print(type(m.layers[0]).__module__); print(json.dumps(m.predict(np.array(json.loads(sys.argv[2]), "
            "'float32'), verbose=0).tolist()))")
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", code, str(path), json.dumps(x.tolist())],
                            capture_output=True, text=True, check=True, env={**os.environ, "LAMINA_BACKEND": engine})
    module, prediction = result.stdout.splitlines()[:2]
    return module, np.array(json.loads(prediction))


@pytest.mark.parametrize("kind", ["highway", "lstm"])
def test_a_fresh_process_loads_the_file(engine, rng, tmp_path, kind):
    """No ``import lamina.legacy`` needed: a registered name (``Highway``, Keras 1's ``hard_sigmoid`` of a
    legacy ``LSTM``) makes the loader import the module registering it."""
    if kind == "highway":
        model = lamina.Sequential([core.Highway(input_dim=2, activation="tanh")])
        x, expected_module = rng.normal(size=(3, 2)), "lamina.legacy.layers.highway"
    else:
        model = lamina.Sequential([recurrent.LSTM(2, input_shape=(4, 3), inner_activation="hard_sigmoid")])
        x, expected_module = rng.normal(size=(3, 4, 3)), "lamina.layers.recurrent.lstm"
    model.save(tmp_path / "model.keras")
    module, prediction = fresh_process_prediction(tmp_path / "model.keras", x, engine)
    assert module == expected_module
    np.testing.assert_allclose(prediction, model.predict(x.astype("float32"), verbose=0), rtol=1e-5, atol=1e-6)
