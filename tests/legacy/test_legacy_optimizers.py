"""Keras 1/2 optimizers: two updates against NumPy transcriptions of Keras 1.2.2's update rules."""

import warnings

import numpy as np
import pytest

import lamina
from lamina.legacy import optimizers

EPS = 1e-8
G1 = np.array([0.5, -1.5, 2.0, 0.01], dtype="float32")
G2 = np.array([-0.25, 1.0, 0.5, 0.02], dtype="float32")
P0 = np.array([1.0, -2.0, 0.5, 3.0], dtype="float32")


def _keras1(name, grads, p, lr, decay=0.0, **hyper):
    """Keras 1.2.2's rule for ``name``, applied to ``p`` for each gradient in turn (float64)."""
    p = p.astype("float64")
    state = {}
    for t, g in enumerate(grads):
        g = g.astype("float64")
        rate = lr / (1.0 + decay * t)
        if name == "SGD":
            m = hyper.get("momentum", 0.0)
            v = m * state.get("m", 0.0) - rate * g
            state["m"] = v
            p = p + m * v - rate * g if hyper.get("nesterov") else p + v
        elif name == "RMSprop":
            a = 0.9 * state.get("a", 0.0) + 0.1 * g**2
            state["a"] = a
            p = p - rate * g / (np.sqrt(a) + EPS)
        elif name == "Adagrad":
            a = state.get("a", 0.0) + g**2
            state["a"] = a
            p = p - rate * g / (np.sqrt(a) + EPS)
        elif name == "Adadelta":
            a = 0.95 * state.get("a", 0.0) + 0.05 * g**2
            update = g * np.sqrt(state.get("d", 0.0) + EPS) / np.sqrt(a + EPS)
            state["a"], state["d"] = a, 0.95 * state.get("d", 0.0) + 0.05 * update**2
            p = p - rate * update
        elif name in ("Adam", "Adamax"):
            step = t + 1
            m = 0.9 * state.get("m", 0.0) + 0.1 * g
            if name == "Adam":
                v = 0.999 * state.get("v", 0.0) + 0.001 * g**2
                p = p - rate * np.sqrt(1 - 0.999**step) / (1 - 0.9**step) * m / (np.sqrt(v) + EPS)
            else:
                v = np.maximum(0.999 * state.get("v", 0.0), np.abs(g))
                p = p - rate / (1 - 0.9**step) * m / (v + EPS)
            state["m"], state["v"] = m, v
        elif name == "Nadam":
            step, decay_rate = t + 1, hyper.get("schedule_decay", 0.004)
            cache = 0.9 * (1 - 0.5 * 0.96 ** (step * decay_rate))
            cache_next = 0.9 * (1 - 0.5 * 0.96 ** ((step + 1) * decay_rate))
            schedule = state.get("schedule", 1.0) * cache
            m = 0.9 * state.get("m", 0.0) + 0.1 * g
            v = 0.999 * state.get("v", 0.0) + 0.001 * g**2
            m_bar = (1 - cache) * g / (1 - schedule) + cache_next * m / (1 - schedule * cache_next)
            p = p - lr * m_bar / (np.sqrt(v / (1 - 0.999**step)) + EPS)
            state.update(schedule=schedule, m=m, v=v)
    return p


def _two_updates(optimizer, grads=(G1, G2), start=P0):
    variable = lamina.Variable(start.copy())
    for g in grads:
        optimizer.apply([lamina.ops.convert_to_tensor(g)], [variable])
    return lamina.backend.convert_to_numpy(variable.value)


@pytest.mark.parametrize("name, kwargs, keras1_lr", [
    ("SGD", {"lr": 0.1, "momentum": 0.9, "decay": 0.5, "nesterov": True}, 0.1),
    ("SGD", {}, 0.01),
    ("RMSprop", {"lr": 0.01, "decay": 0.1}, 0.01),
    ("Adagrad", {}, 0.01),
    ("Adadelta", {}, 1.0),
    ("Adam", {"lr": 0.01, "decay": 0.1}, 0.01),
    ("Adamax", {}, 0.002),
    ("Nadam", {}, 0.002),
])
def test_two_updates_follow_keras1(engine, name, kwargs, keras1_lr):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        optimizer = getattr(optimizers, name)(**kwargs)
    hyper = {k: v for k, v in kwargs.items() if k not in ("lr", "decay")}
    expected = _keras1(name, [G1, G2], P0, keras1_lr, kwargs.get("decay", 0.0), **hyper)
    # RMSprop/Adagrad keep Keras 3's sqrt(a + eps): within float32 rounding of Keras 1's sqrt(a) + eps here.
    np.testing.assert_allclose(_two_updates(optimizer), expected, rtol=2e-5, atol=1e-6)


def test_nadam_schedule_decay_differs_from_keras3(engine):
    """Keras 1's momentum schedule is 0.96 ** (t * schedule_decay): other numbers than Keras 3's Nadam."""
    legacy = _two_updates(optimizers.Nadam(schedule_decay=0.004))
    modern = _two_updates(lamina.optimizers.Nadam(learning_rate=0.002, epsilon=1e-8))
    np.testing.assert_allclose(_two_updates(optimizers.Nadam(schedule_decay=1.0)), modern, rtol=1e-6)
    assert np.abs(legacy - modern).max() > 1e-5  # well above float32 rounding (~1e-7)


def test_clipnorm_clips_the_global_norm_as_keras1(engine):
    first, second = lamina.Variable(np.zeros(1, "float32")), lamina.Variable(np.zeros(1, "float32"))
    with pytest.warns(DeprecationWarning, match="global_clipnorm"):
        optimizer = optimizers.SGD(1.0, clipnorm=1.0)
    optimizer.apply([lamina.ops.convert_to_tensor(np.array([3.0], "float32")),
                     lamina.ops.convert_to_tensor(np.array([4.0], "float32"))], [first, second])
    values = [float(lamina.backend.convert_to_numpy(v.value)[0]) for v in (first, second)]
    np.testing.assert_allclose(values, [-0.6, -0.8], rtol=1e-6)


def test_clipvalue_unchanged(engine):
    optimizer = optimizers.SGD(1.0, clipvalue=0.5)
    np.testing.assert_allclose(_two_updates(optimizer, grads=(G1,)), P0 - np.clip(G1, -0.5, 0.5), rtol=1e-6)


def test_old_spellings_warn_once_each(engine):
    with pytest.warns(DeprecationWarning) as record:
        optimizers.Adam(lr=0.01, decay=1e-3)
    messages = [str(w.message) for w in record if issubclass(w.category, DeprecationWarning)]
    assert len(messages) == 2
    assert "learning_rate" in messages[0] and "InverseTimeDecay" in messages[1]


def test_positional_arguments_keras1_order(engine):
    optimizer = optimizers.SGD(0.1, 0.9)
    assert optimizer.momentum == 0.9
    assert float(lamina.backend.convert_to_numpy(optimizer.learning_rate)) == pytest.approx(0.1)
    nadam = optimizers.Nadam(0.002, 0.9, 0.999, 1e-8, 0.004)
    assert nadam.schedule_decay == 0.004 and nadam.epsilon == 1e-8


def test_lr_attribute_reads_and_sets_the_rate(engine):
    optimizer = optimizers.RMSprop()
    assert optimizer.epsilon == 1e-8
    assert float(lamina.backend.convert_to_numpy(optimizer.lr)) == pytest.approx(0.001)
    optimizer.lr = 0.5
    assert float(lamina.backend.convert_to_numpy(optimizer.learning_rate)) == pytest.approx(0.5)


def test_get_by_name_gives_keras1_defaults(engine):
    adagrad = optimizers.get("adagrad")
    assert isinstance(adagrad, optimizers.Adagrad)
    assert adagrad.initial_accumulator_value == 0.0 and adagrad.epsilon == 1e-8
    assert float(lamina.backend.convert_to_numpy(adagrad.learning_rate)) == pytest.approx(0.01)
    assert isinstance(optimizers.get("ftrl"), lamina.optimizers.Ftrl)


def test_config_round_trip(engine):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        optimizer = optimizers.Nadam(lr=0.003, schedule_decay=0.01)
    clone = optimizers.Nadam.from_config(optimizer.get_config())
    np.testing.assert_allclose(_two_updates(clone), _two_updates(optimizer), rtol=1e-6)
