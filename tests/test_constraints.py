"""lamina.constraints: outputs against NumPy formulas, configs and lookup by name."""

import numpy as np
import pytest

from lamina import constraints
from lamina.backend import convert_to_numpy

EPS = 1e-7  # Keras' default epsilon, added to the norms in the denominators


def _norms(w, axis):
    return np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))


@pytest.fixture
def kernel(rng):
    w = (rng.normal(size=(4, 3)) * [0.5, 1.0, 3.0]).astype("float32")  # a zero, a short and a long column
    w[:, 0] = 0.0
    return w


@pytest.mark.parametrize("axis", [0, 1, [0, 1]])
def test_max_norm(engine, kernel, axis):
    out = convert_to_numpy(constraints.MaxNorm(max_value=2.0, axis=axis)(kernel))
    norms = _norms(kernel, tuple(axis) if isinstance(axis, list) else axis)
    np.testing.assert_allclose(out, kernel * (np.clip(norms, 0, 2.0) / (EPS + norms)), rtol=1e-6)
    assert np.all(_norms(out, tuple(axis) if isinstance(axis, list) else axis) <= 2.0 + 1e-5)


def test_max_norm_defaults_leave_short_columns(engine, kernel):
    out = convert_to_numpy(constraints.MaxNorm()(kernel))
    assert constraints.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    short = _norms(kernel, 0)[0] < 2.0
    np.testing.assert_allclose(out[:, short], kernel[:, short], rtol=1e-6)


@pytest.mark.parametrize("rate", [1.0, 0.25])
def test_min_max_norm(engine, kernel, rate):
    out = convert_to_numpy(constraints.MinMaxNorm(min_value=1.0, max_value=2.0, rate=rate)(kernel))
    norms = _norms(kernel, 0)
    desired = rate * np.clip(norms, 1.0, 2.0) + (1 - rate) * norms
    np.testing.assert_allclose(out, kernel * (desired / (EPS + norms)), rtol=1e-6)


def test_non_neg(engine, kernel):
    out = constraints.NonNeg()(kernel)
    np.testing.assert_array_equal(convert_to_numpy(out), np.where(kernel >= 0, kernel, 0.0))
    assert convert_to_numpy(out).dtype == np.float32


@pytest.mark.parametrize("axis", [0, -1])
def test_unit_norm(engine, kernel, axis):
    out = convert_to_numpy(constraints.UnitNorm(axis=axis)(kernel))
    np.testing.assert_allclose(out, kernel / (EPS + _norms(kernel, axis)), rtol=1e-6)
    nonzero = _norms(out, axis)[_norms(kernel, axis) > 0]
    np.testing.assert_allclose(nonzero, 1.0, rtol=1e-5)


def test_base_constraint_is_identity(engine, kernel):
    assert constraints.Constraint()(kernel) is kernel
    assert constraints.Constraint().get_config() == {}


@pytest.mark.parametrize("constraint", [
    constraints.MaxNorm(3.0, axis=[0, 1]), constraints.MinMaxNorm(0.5, 1.5, 0.3, axis=1), constraints.NonNeg(),
    constraints.UnitNorm(axis=-1),
])
def test_config_round_trip(engine, constraint, kernel):
    clone = type(constraint).from_config(constraint.get_config())
    assert clone.get_config() == constraint.get_config()
    config = constraints.serialize(constraint)
    assert config["class_name"] == type(constraint).__name__
    restored = constraints.deserialize(config)
    assert type(restored) is type(constraint) and restored.get_config() == constraint.get_config()
    np.testing.assert_allclose(convert_to_numpy(restored(kernel)), convert_to_numpy(constraint(kernel)))
    assert constraints.get(config).get_config() == constraint.get_config()


@pytest.mark.parametrize("name,cls", [
    ("max_norm", constraints.MaxNorm), ("non_neg", constraints.NonNeg), ("unit_norm", constraints.UnitNorm),
    ("min_max_norm", constraints.MinMaxNorm), ("MaxNorm", constraints.MaxNorm), ("NonNeg", constraints.NonNeg),
])
def test_get_by_name(engine, name, cls):
    assert type(constraints.get(name)) is cls


def test_get_passes_instances_and_callables_through(engine):
    constraint = constraints.UnitNorm()
    assert constraints.get(constraint) is constraint
    assert constraints.get(None) is None
    assert constraints.max_norm is constraints.MaxNorm
    with pytest.raises(ValueError, match="constraint"):
        constraints.get("positive")
