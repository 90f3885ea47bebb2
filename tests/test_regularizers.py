"""lamina.regularizers: penalties against hand computation, configs and lookup by name."""

import numpy as np
import pytest

from lamina import regularizers
from lamina.backend import convert_to_numpy

W = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.5]], "float32")


def _value(x):
    return float(convert_to_numpy(x))


def test_defaults_follow_keras(engine):
    assert regularizers.L1().l1 == 0.01
    assert regularizers.L2().l2 == 0.01
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.OrthogonalRegularizer().get_config() == {"factor": 0.01, "mode": "rows"}


def test_l1_l2_l1l2_values(engine):
    # sum |W| = 8.0, sum W^2 = 1 + 4 + 0.25 + 0 + 9 + 2.25 = 16.5
    assert _value(regularizers.L1(0.1)(W)) == pytest.approx(0.8)
    assert _value(regularizers.L2(0.1)(W)) == pytest.approx(1.65)
    assert _value(regularizers.L1L2(l1=0.1, l2=0.2)(W)) == pytest.approx(0.8 + 3.3)
    assert _value(regularizers.L1L2(l2=0.2)(W)) == pytest.approx(3.3)
    assert _value(regularizers.L1L2()(W)) == 0.0


def test_penalty_keeps_the_weight_dtype(engine):
    w16 = W.astype("float16")
    for reg in (regularizers.L1(), regularizers.L2(), regularizers.L1L2(0.1, 0.1)):
        assert convert_to_numpy(reg(w16)).dtype == np.float16


def _orthogonal_ref(w, factor, mode):
    vectors = w if mode == "rows" else w.T
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosines = vectors @ vectors.T
    n = len(vectors)
    pairs = [abs(cosines[i, j]) for i in range(n) for j in range(i + 1, n)]
    return factor * np.mean(pairs)


@pytest.mark.parametrize("mode", ["rows", "columns"])
def test_orthogonal_regularizer(engine, rng, mode):
    w = rng.normal(size=(4, 3)).astype("float32")
    out = regularizers.OrthogonalRegularizer(factor=0.3, mode=mode)(w)
    assert _value(out) == pytest.approx(_orthogonal_ref(w.astype("float64"), 0.3, mode), rel=1e-5)


def test_orthogonal_regularizer_is_zero_on_orthogonal_rows(engine):
    q = np.linalg.qr(np.random.default_rng(1).normal(size=(4, 4)))[0].astype("float32")
    scaled = q * np.array([[1.0], [2.0], [3.0], [4.0]], "float32")  # lengths do not matter, only angles
    assert _value(regularizers.OrthogonalRegularizer(1.0)(scaled)) == pytest.approx(0.0, abs=1e-6)


def test_invalid_arguments(engine):
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(np.ones((2, 2, 2), "float32"))
    with pytest.raises(ValueError, match="l1"):
        regularizers.L1("0.1")
    with pytest.raises(ValueError, match="l2"):
        regularizers.L2(float("nan"))


def test_base_regularizer(engine):
    assert regularizers.Regularizer()(W) == 0.0
    with pytest.raises(NotImplementedError):
        regularizers.Regularizer().get_config()


@pytest.mark.parametrize("reg", [
    regularizers.L1(0.3), regularizers.L2(0.2), regularizers.L1L2(0.1, 0.4),
    regularizers.OrthogonalRegularizer(0.5, "columns"),
])
def test_config_round_trip(engine, reg):
    clone = type(reg).from_config(reg.get_config())
    assert clone.get_config() == reg.get_config()
    config = regularizers.serialize(reg)
    assert config["class_name"] == type(reg).__name__ and config["config"] == reg.get_config()
    restored = regularizers.deserialize(config)
    assert type(restored) is type(reg) and restored.get_config() == reg.get_config()
    assert _value(restored(W)) == pytest.approx(_value(reg(W)))
    assert regularizers.get(config).get_config() == reg.get_config()


@pytest.mark.parametrize("name,cls", [
    ("l1", regularizers.L1), ("l2", regularizers.L2), ("l1_l2", regularizers.L1L2), ("L1L2", regularizers.L1L2),
    ("orthogonal_regularizer", regularizers.OrthogonalRegularizer), ("L2", regularizers.L2),
])
def test_get_by_name(engine, name, cls):
    assert type(regularizers.get(name)) is cls


def test_get_passes_instances_and_callables_through(engine):
    reg = regularizers.L2(0.5)
    assert regularizers.get(reg) is reg
    assert regularizers.get(None) is None
    assert type(regularizers.get(regularizers.L1)) is regularizers.L1
    penalty = lambda w: 0.0  # noqa: E731
    assert regularizers.get(penalty) is penalty
    assert regularizers.l1_l2 is regularizers.L1L2
    with pytest.raises(ValueError, match="regularizer"):
        regularizers.get("l3")
