"""Learning-rate schedules against NumPy versions of Keras 3's formulas."""

import math

import numpy as np
import pytest

import lamina
from lamina.optimizers import schedules

STEPS = [0, 1, 3, 7, 15, 29, 45, 100, 250]


def _restarts_ref(step, initial, first, t_mul, m_mul, alpha):
    """SGDR by walking the periods one by one."""
    start, length, i = 0.0, float(first), 0
    while step >= start + length:
        start, length, i = start + length, length * t_mul, i + 1
    fraction = (step - start) / length
    return initial * ((1 - alpha) * m_mul**i * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha)


def _cosine_ref(step, initial, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
    if warmup_target is not None and step < warmup_steps:
        return initial + (warmup_target - initial) * step / warmup_steps
    top = initial if warmup_target is None else warmup_target
    fraction = min(step - warmup_steps, decay_steps) / decay_steps
    return top * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha)


def _poly_ref(step, initial, decay_steps, end, power, cycle):
    if cycle:
        decay_steps = decay_steps * (1 if step == 0 else math.ceil(step / decay_steps))
    else:
        step = min(step, decay_steps)
    return (initial - end) * (1 - step / decay_steps) ** power + end


def _piecewise_ref(step, boundaries, values):
    for boundary, value in zip(boundaries, values):
        if step <= boundary:
            return value
    return values[-1]


CASES = {
    "exponential": (schedules.ExponentialDecay(0.1, 10, 0.5), lambda s: 0.1 * 0.5 ** (s / 10)),
    "exponential_staircase": (schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True),
                              lambda s: 0.1 * 0.5 ** (s // 10)),
    "inverse_time": (schedules.InverseTimeDecay(0.1, 5, 0.5), lambda s: 0.1 / (1 + 0.5 * s / 5)),
    "inverse_time_staircase": (schedules.InverseTimeDecay(0.1, 5, 0.5, staircase=True),
                               lambda s: 0.1 / (1 + 0.5 * (s // 5))),
    "piecewise": (schedules.PiecewiseConstantDecay([3, 15, 45], [1.0, 0.5, 0.1, 0.01]),
                  lambda s: _piecewise_ref(s, [3, 15, 45], [1.0, 0.5, 0.1, 0.01])),
    "polynomial": (schedules.PolynomialDecay(0.1, 50, end_learning_rate=0.01, power=0.5),
                   lambda s: _poly_ref(s, 0.1, 50, 0.01, 0.5, False)),
    "polynomial_cycle": (schedules.PolynomialDecay(0.1, 20, end_learning_rate=0.01, power=2.0, cycle=True),
                         lambda s: _poly_ref(s, 0.1, 20, 0.01, 2.0, True)),
    "cosine": (schedules.CosineDecay(0.1, 50, alpha=0.1), lambda s: _cosine_ref(s, 0.1, 50, 0.1)),
    "cosine_warmup": (schedules.CosineDecay(0.0, 60, warmup_target=0.2, warmup_steps=10),
                      lambda s: _cosine_ref(s, 0.0, 60, 0.0, 0.2, 10)),
    "restarts": (schedules.CosineDecayRestarts(0.1, 10, t_mul=2.0, m_mul=0.5, alpha=0.1),
                 lambda s: _restarts_ref(s, 0.1, 10, 2.0, 0.5, 0.1)),
    "restarts_constant_period": (schedules.CosineDecayRestarts(0.1, 20, t_mul=1.0, m_mul=0.8),
                                 lambda s: _restarts_ref(s, 0.1, 20, 1.0, 0.8, 0.0)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_schedule_matches_formula(engine, case):
    schedule, reference = CASES[case]
    for step in STEPS:
        expected = reference(step)
        from_int = lamina.ops.convert_to_numpy(schedule(step))
        from_variable = lamina.ops.convert_to_numpy(schedule(lamina.Variable(step, dtype="int64")))
        assert from_int.shape == ()
        np.testing.assert_allclose(from_int, expected, rtol=1e-5, atol=1e-7, err_msg=f"step={step}")
        np.testing.assert_allclose(from_variable, expected, rtol=1e-5, atol=1e-7, err_msg=f"step={step}")


@pytest.mark.parametrize("case", sorted(CASES))
def test_schedule_config_round_trip(engine, case):
    schedule, _ = CASES[case]
    restored = schedules.deserialize(schedules.serialize(schedule))
    assert type(restored) is type(schedule)
    assert restored.get_config() == schedule.get_config()
    assert float(lamina.ops.convert_to_numpy(restored(7))) == float(lamina.ops.convert_to_numpy(schedule(7)))


def test_schedule_arguments_are_validated(engine):
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="first_decay_steps"):
        schedules.CosineDecayRestarts(0.1, -1)
    with pytest.raises(ValueError, match="1 less than"):
        schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2])
    with pytest.raises(NotImplementedError):
        schedules.LearningRateSchedule()(0)


def test_custom_schedule_drives_an_optimizer(engine):
    class Halving(schedules.LearningRateSchedule):
        def __call__(self, step):
            return 1.0 / (2.0 ** lamina.ops.cast(step, "float32"))

        def get_config(self):
            return {}

    optimizer = lamina.optimizers.SGD(Halving())
    variable = lamina.Variable(np.zeros(2, "float32"), name="w")
    for _ in range(3):
        optimizer.apply([np.ones(2, "float32")], [variable])
    np.testing.assert_allclose(variable.numpy(), -(1 + 0.5 + 0.25) * np.ones(2), rtol=1e-6)
