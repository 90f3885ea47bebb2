"""lamina.activations: every activation against a NumPy formula, and lookup/serialization by name."""

import math

import numpy as np
import pytest

from lamina import activations
from lamina.backend import SymbolicTensor, convert_to_numpy
from lamina.saving import custom_object_scope, register_lamina_serializable

_erf = np.vectorize(math.erf)
SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Keras's relu: x above threshold (capped at max_value), negative_slope * (x - threshold) below."""
    positive = np.where(x > threshold, x, 0.0)
    if max_value is not None:
        positive = np.minimum(positive, max_value)
    return positive - negative_slope * np.maximum(threshold - x, 0.0)


FORMULAS = [
    ("relu", {}, lambda x: np.maximum(x, 0)),
    ("relu", {"negative_slope": 0.1}, lambda x: _relu(x, 0.1)),
    ("relu", {"max_value": 2.0}, lambda x: _relu(x, max_value=2.0)),
    ("relu", {"threshold": 1.0}, lambda x: _relu(x, threshold=1.0)),
    ("relu", {"negative_slope": 0.3, "max_value": 4.0, "threshold": -0.5},
     lambda x: _relu(x, 0.3, 4.0, -0.5)),
    ("leaky_relu", {}, lambda x: np.where(x >= 0, x, 0.2 * x)),
    ("relu6", {}, lambda x: np.clip(x, 0, 6)),
    ("elu", {"alpha": 0.7}, lambda x: np.where(x > 0, x, 0.7 * (np.exp(x) - 1))),
    ("selu", {}, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1))),
    ("celu", {}, lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    ("gelu", {}, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    ("gelu", {"approximate": True}, lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))),
    ("softplus", {}, _softplus),
    ("softsign", {}, lambda x: x / (1 + np.abs(x))),
    ("sparse_plus", {}, lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4))),
    ("squareplus", {"b": 2}, lambda x: (x + np.sqrt(x**2 + 2)) / 2),
    ("silu", {}, lambda x: x * _sigmoid(x)),
    ("swish", {}, lambda x: x * _sigmoid(x)),
    ("sigmoid", {}, _sigmoid),
    ("log_sigmoid", {}, lambda x: np.log(_sigmoid(x))),
    ("hard_sigmoid", {}, lambda x: np.clip(x / 6 + 0.5, 0, 1)),
    ("hard_silu", {}, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    ("hard_swish", {}, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    ("sparse_sigmoid", {}, lambda x: np.clip((x + 1) / 2, 0, 1)),
    ("tanh", {}, np.tanh),
    ("hard_tanh", {}, lambda x: np.clip(x, -1, 1)),
    ("tanh_shrink", {}, lambda x: x - np.tanh(x)),
    ("hard_shrink", {}, lambda x: np.where(np.abs(x) > 0.5, x, 0)),
    ("soft_shrink", {}, lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0))),
    ("threshold", {"threshold": 0.25, "default_value": 9.0}, lambda x: np.where(x > 0.25, x, 9.0)),
    ("mish", {}, lambda x: x * np.tanh(_softplus(x))),
    ("exponential", {}, np.exp),
    ("linear", {}, lambda x: x),
    ("softmax", {}, _softmax),
    ("softmax", {"axis": 0}, lambda x: _softmax(x, 0)),
    ("log_softmax", {}, lambda x: np.log(_softmax(x))),
]


@pytest.mark.parametrize("name,kwargs,formula", FORMULAS, ids=[f"{n}-{k}" for n, k, _ in FORMULAS])
def test_activation_matches_formula(engine, rng, name, kwargs, formula):
    x = (rng.normal(size=(4, 6)) * 3).astype("float32")
    x[0, :5] = [-1.0, -0.5, 0.25, 1.0, 4.0]  # breakpoints and thresholds used above
    fn = getattr(activations, name)
    np.testing.assert_allclose(convert_to_numpy(fn(x, **kwargs)), formula(x.astype("float64")), rtol=1e-5, atol=1e-6)
    symbolic = fn(SymbolicTensor((None, 6)), **kwargs)
    assert symbolic.shape == (None, 6) and symbolic.dtype == "float32"


def test_relu_documented_values(engine):
    x = np.array([-10, -5, 0.0, 5, 10], dtype="float32")
    cases = [({}, [0, 0, 0, 5, 10]), ({"negative_slope": 0.5}, [-5, -2.5, 0, 5, 10]),
             ({"max_value": 5.0}, [0, 0, 0, 5, 5]), ({"threshold": 5.0}, [0, 0, 0, 0, 10]),
             ({"max_value": 10, "negative_slope": 0.5}, [-5, -2.5, 0, 5, 10])]
    for kwargs, expected in cases:
        np.testing.assert_allclose(convert_to_numpy(activations.relu(x, **kwargs)), expected)


def test_sparsemax_and_glu(engine):
    np.testing.assert_allclose(convert_to_numpy(activations.sparsemax(np.array([[0.5, 0.2, -1.0]]))),
                               [[0.65, 0.35, 0.0]], atol=1e-7)
    x = np.array([[-1.0, 0.0, 1.0, 1.0]], dtype="float32")
    np.testing.assert_allclose(convert_to_numpy(activations.glu(x)), [[-0.73105858, 0.0]], atol=1e-7)


def test_softmax_and_sigmoid_remember_their_logits(engine):
    x = np.array([[1.0, 2.0, 3.0]], dtype="float32")
    assert activations.softmax(x)._keras_logits is x
    assert activations.sigmoid(x)._keras_logits is x
    symbolic = SymbolicTensor((None, 3))
    assert activations.softmax(symbolic)._keras_logits is symbolic


def test_softmax_on_a_vector(engine):
    """Keras 3 normalises a 1-D input along its only axis (Keras 2 raised here)."""
    np.testing.assert_allclose(convert_to_numpy(activations.softmax(np.array([-1.0, 0.0, 1.0]))),
                               [0.09003057, 0.24472847, 0.66524096], atol=1e-7)


# -- lookup and serialization ---------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(activations.ALL_OBJECTS_DICT))
def test_round_trip_by_name(engine, name):
    fn = activations.get(name)
    assert fn is activations.ALL_OBJECTS_DICT[name] is getattr(activations, name)
    serialized = activations.serialize(fn)
    assert isinstance(serialized, str)
    assert activations.deserialize(serialized) is fn
    assert activations.get(serialized) is fn


def test_aliases_serialize_to_their_canonical_names(engine):
    assert activations.serialize(activations.swish) == "silu"
    assert activations.serialize(activations.hard_swish) == "hard_silu"


def test_get_identifiers(engine):
    assert activations.get(None) is activations.linear
    custom = lambda x: x  # noqa: E731
    assert activations.get(custom) is custom
    with pytest.raises(ValueError, match="Unknown activation"):
        activations.get("not_an_activation")
    with pytest.raises(ValueError, match="activation"):
        activations.get(42)


def test_custom_activations(engine):
    @register_lamina_serializable(package="TestActivations")
    def scaled_tanh(x):
        return 2.0 * x

    name = activations.serialize(scaled_tanh)
    assert name == "TestActivations>scaled_tanh"
    assert activations.get(name) is scaled_tanh

    def shifted(x):
        return x + 1.0

    assert activations.deserialize("shifted", custom_objects={"shifted": shifted}) is shifted
    with custom_object_scope({"shifted": shifted}):
        assert activations.get("shifted") is shifted
    with pytest.raises(ValueError, match="lambda"):
        activations.serialize(lambda x: x)


def test_keras_function_config(engine):
    """Keras 3 files may store a function as {"class_name": "function", "config": name}."""
    config = {"module": "keras.activations", "class_name": "function", "config": "gelu", "registered_name": "function"}
    assert activations.deserialize(config) is activations.gelu
    assert activations.get(config) is activations.gelu
