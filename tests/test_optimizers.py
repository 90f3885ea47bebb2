"""Optimizers against NumPy references of Keras 3's formulas, plus the base class's features."""

import numpy as np
import pytest

import lamina
from lamina import optimizers
from lamina.optimizers import schedules

SHAPES = [(3, 4), (5,), (2, 3, 2)]
STEPS = 4


def _data(seed=0, steps=STEPS):
    rng = np.random.default_rng(seed)
    init = [rng.normal(size=shape).astype("float32") for shape in SHAPES]
    grads = [[rng.normal(size=shape).astype("float32") for shape in SHAPES] for _ in range(steps)]
    return init, grads


def _variables(init, names=None):
    names = names or [f"w{i}" for i in range(len(init))]
    return [lamina.Variable(x.copy(), name=name) for x, name in zip(init, names)]


def _run(optimizer, init, grads):
    variables = _variables(init)
    for step_grads in grads:
        optimizer.apply([lamina.ops.convert_to_tensor(g) for g in step_grads], variables)
    return [v.numpy() for v in variables]


def _reference(update, init, grads, state=None, lr=None, weight_decay=None):
    """Run ``update(w, g, s, t)`` (t = 1-based step; s: per-variable state dict) on float64 copies."""
    ws = [x.astype("float64") for x in init]
    states = [dict(state(w)) if state else {} for w in ws]
    for t, step_grads in enumerate(grads, start=1):
        for i, (g, s) in enumerate(zip(step_grads, states)):
            if weight_decay:
                ws[i] = ws[i] - lr * weight_decay * ws[i]
            ws[i] = update(ws[i], g.astype("float64"), s, t)
    return ws


def _close(actual, expected, rtol=2e-4, atol=2e-6):
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)


# -- NumPy references (Keras 3 formulas) -------------------------------------------------------------
def sgd_ref(lr, momentum=0.0, nesterov=False):
    def update(w, g, s, t):
        if not momentum:
            return w - lr * g
        s["m"] = momentum * s["m"] - lr * g
        return w + (momentum * s["m"] - lr * g if nesterov else s["m"])
    return update, lambda w: {"m": np.zeros_like(w)}


def rmsprop_ref(lr, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    def update(w, g, s, t):
        s["v"] = rho * s["v"] + (1 - rho) * g * g
        if centered:
            s["a"] = rho * s["a"] + (1 - rho) * g
            denominator = s["v"] - s["a"] ** 2 + epsilon
        else:
            denominator = s["v"] + epsilon
        increment = lr * g / np.sqrt(denominator)
        if momentum:
            s["m"] = momentum * s["m"] + increment
            return w - s["m"]
        return w - increment
    return update, lambda w: {"v": np.zeros_like(w), "a": np.zeros_like(w), "m": np.zeros_like(w)}


def adam_ref(lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    def update(w, g, s, t):
        s["m"] = s["m"] + (g - s["m"]) * (1 - beta_1)
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - beta_2)
        v = s["v"]
        if amsgrad:
            s["vhat"] = np.maximum(s["vhat"], s["v"])
            v = s["vhat"]
        alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        return w - alpha * s["m"] / (np.sqrt(v) + epsilon)
    return update, lambda w: {"m": np.zeros_like(w), "v": np.zeros_like(w), "vhat": np.zeros_like(w)}


def adamax_ref(lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    def update(w, g, s, t):
        s["m"] = s["m"] + (g - s["m"]) * (1 - beta_1)
        s["u"] = np.maximum(beta_2 * s["u"], np.abs(g))
        return w - lr * s["m"] / ((1 - beta_1**t) * (s["u"] + epsilon))
    return update, lambda w: {"m": np.zeros_like(w), "u": np.zeros_like(w)}


def nadam_ref(lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    product = {"t": 0, "u": 1.0}

    def update(w, g, s, t):
        u_t = beta_1 * (1 - 0.5 * 0.96**t)
        u_next = beta_1 * (1 - 0.5 * 0.96 ** (t + 1))
        if product["t"] != t:  # the product is shared by all variables, advanced once per step
            product["t"], product["u"] = t, product["u"] * u_t
        u_prod = product["u"]
        s["m"] = s["m"] + (g - s["m"]) * (1 - beta_1)
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - beta_2)
        m_hat = u_next * s["m"] / (1 - u_prod * u_next) + (1 - u_t) * g / (1 - u_prod)
        v_hat = s["v"] / (1 - beta_2**t)
        return w - lr * m_hat / (np.sqrt(v_hat) + epsilon)
    return update, lambda w: {"m": np.zeros_like(w), "v": np.zeros_like(w)}


def adagrad_ref(lr, initial_accumulator_value=0.1, epsilon=1e-7):
    def update(w, g, s, t):
        s["a"] = s["a"] + g * g
        return w - lr * g / np.sqrt(s["a"] + epsilon)
    return update, lambda w: {"a": np.full_like(w, initial_accumulator_value)}


def adadelta_ref(lr, rho=0.95, epsilon=1e-7):
    def update(w, g, s, t):
        s["g"] = rho * s["g"] + (1 - rho) * g * g
        delta = -np.sqrt(s["d"] + epsilon) * g / np.sqrt(s["g"] + epsilon)
        s["d"] = rho * s["d"] + (1 - rho) * delta**2
        return w + lr * delta
    return update, lambda w: {"g": np.zeros_like(w), "d": np.zeros_like(w)}


def ftrl_ref(lr, learning_rate_power=-0.5, initial_accumulator_value=0.1, l1_regularization_strength=0.0,
             l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0, beta=0.0):
    p = -learning_rate_power
    l1 = l1_regularization_strength
    l2 = l2_regularization_strength + beta / (2 * lr)

    def update(w, g, s, t):
        n_new = s["n"] + g * g
        s["z"] = s["z"] + g + 2 * l2_shrinkage_regularization_strength * w - (n_new**p - s["n"] ** p) / lr * w
        quadratic = n_new**p / lr + 2 * l2
        s["n"] = n_new
        return (np.clip(s["z"], -l1, l1) - s["z"]) / quadratic
    return update, lambda w: {"n": np.full_like(w, initial_accumulator_value), "z": np.zeros_like(w)}


def lion_ref(lr, beta_1=0.9, beta_2=0.99):
    def update(w, g, s, t):
        direction = np.sign(beta_1 * s["m"] + (1 - beta_1) * g)
        s["m"] = beta_2 * s["m"] + (1 - beta_2) * g
        return w - lr * direction
    return update, lambda w: {"m": np.zeros_like(w)}


def adafactor_ref(lr, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0):
    def rms(x):
        return np.sqrt(np.mean(x * x))

    def update(w, g, s, t):
        rho = min(lr, 1 / np.sqrt(t))
        alpha = max(epsilon_2, rms(w)) * rho
        squares = g * g + epsilon_1
        beta = 1 - t**beta_2_decay
        if w.ndim >= 2:
            s["r"] = beta * s["r"] + (1 - beta) * squares.mean(-1)
            s["c"] = beta * s["c"] + (1 - beta) * squares.mean(-2)
            s["v"] = (s["r"] / s["r"].mean(-1, keepdims=True))[..., None] * s["c"][..., None, :]
        else:
            s["v"] = beta * s["v"] + (1 - beta) * squares
        u = g / np.sqrt(s["v"])
        u = u / max(1.0, rms(u) / clip_threshold)
        return w - alpha * u
    return update, lambda w: {"r": np.zeros(w.shape[:-1]), "c": np.zeros(w.shape[:-2] + w.shape[-1:]),
                              "v": np.zeros_like(w)}


def lamb_ref(lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    def update(w, g, s, t):
        s["m"] = s["m"] + (g - s["m"]) * (1 - beta_1)
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - beta_2)
        u = (s["m"] / (1 - beta_1**t)) / (np.sqrt(s["v"] / (1 - beta_2**t)) + epsilon)
        w_norm, u_norm = np.linalg.norm(w), np.linalg.norm(u)
        ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0
        return w - lr * ratio * u
    return update, lambda w: {"m": np.zeros_like(w), "v": np.zeros_like(w)}


# case -> (optimizer factory, reference factory); references hold state, so each run makes a new one.
CASES = {
    "sgd": (lambda: optimizers.SGD(0.1), lambda: sgd_ref(0.1)),
    "sgd_momentum": (lambda: optimizers.SGD(0.1, momentum=0.9), lambda: sgd_ref(0.1, 0.9)),
    "sgd_nesterov": (lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True), lambda: sgd_ref(0.1, 0.9, True)),
    "rmsprop": (lambda: optimizers.RMSprop(0.01), lambda: rmsprop_ref(0.01)),
    "rmsprop_centered": (lambda: optimizers.RMSprop(0.01, centered=True), lambda: rmsprop_ref(0.01, centered=True)),
    "rmsprop_momentum": (lambda: optimizers.RMSprop(0.01, momentum=0.5, centered=True),
                         lambda: rmsprop_ref(0.01, momentum=0.5, centered=True)),
    "adam": (lambda: optimizers.Adam(0.01), lambda: adam_ref(0.01)),
    "adam_amsgrad": (lambda: optimizers.Adam(0.01, beta_2=0.9, amsgrad=True),
                     lambda: adam_ref(0.01, beta_2=0.9, amsgrad=True)),
    "adamax": (lambda: optimizers.Adamax(0.01), lambda: adamax_ref(0.01)),
    "nadam": (lambda: optimizers.Nadam(0.01), lambda: nadam_ref(0.01)),
    "adagrad": (lambda: optimizers.Adagrad(0.05), lambda: adagrad_ref(0.05)),
    "adadelta": (lambda: optimizers.Adadelta(1.0, rho=0.9), lambda: adadelta_ref(1.0, rho=0.9)),
    "ftrl": (lambda: optimizers.Ftrl(0.05), lambda: ftrl_ref(0.05)),
    "ftrl_regularized": (
        lambda: optimizers.Ftrl(0.05, learning_rate_power=-0.7, l1_regularization_strength=0.3,
                                l2_regularization_strength=0.05, l2_shrinkage_regularization_strength=0.02,
                                beta=0.1),
        lambda: ftrl_ref(0.05, -0.7, 0.1, 0.3, 0.05, 0.02, 0.1)),
    "lion": (lambda: optimizers.Lion(0.01), lambda: lion_ref(0.01)),
    "adafactor": (lambda: optimizers.Adafactor(0.01), lambda: adafactor_ref(0.01)),
    "lamb": (lambda: optimizers.Lamb(0.01), lambda: lamb_ref(0.01)),
    "lamb_betas": (lambda: optimizers.Lamb(0.05, beta_1=0.8, beta_2=0.99, epsilon=1e-3),
                   lambda: lamb_ref(0.05, 0.8, 0.99, 1e-3)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_optimizer_matches_numpy_reference(engine, case):
    factory, reference = CASES[case]
    update, state = reference()
    init, grads = _data()
    _close(_run(factory(), init, grads), _reference(update, init, grads, state))


@pytest.mark.parametrize("case", ["adam", "sgd_momentum", "rmsprop_momentum", "nadam", "ftrl_regularized",
                                  "adafactor", "lion", "lamb"])
def test_state_restored_through_variables_continues_identically(engine, case):
    factory, reference = CASES[case]
    update, state = reference()
    init, grads = _data(steps=6)
    first, variables = factory(), _variables(init)
    for step_grads in grads[:3]:
        first.apply(step_grads, variables)
    # A fresh optimizer on fresh variables, given the saved values, continues as the uninterrupted run does.
    second, copies = factory(), _variables([v.numpy() for v in variables])
    second.build(copies)
    assert [v.shape for v in second.variables] == [v.shape for v in first.variables]
    for target, source in zip(second.variables, first.variables):
        target.assign(source.numpy())
    for step_grads in grads[3:]:
        second.apply(step_grads, copies)
    _close([v.numpy() for v in copies], _reference(update, init, grads, state))


def test_variable_names_follow_keras(engine):
    optimizer = optimizers.Adam(amsgrad=True)
    optimizer.build(_variables(_data()[0][:2], names=["kernel", "bias"]))
    assert [v.path for v in optimizer.variables] == [
        "adam/iteration", "adam/learning_rate", "adam/kernel_momentum", "adam/kernel_velocity",
        "adam/bias_momentum", "adam/bias_velocity", "adam/kernel_velocity_hat", "adam/bias_velocity_hat",
    ]  # Keras 3 interleaves the slots added together, per model variable
    assert optimizer.iterations.dtype == "int32"  # Keras' "int" on its torch and jax backends
    assert all(not v.trainable for v in optimizer.variables)


def test_weight_decay_skips_excluded_variables(engine):
    init, grads = _data()
    optimizer = optimizers.AdamW(0.01, weight_decay=0.1)
    optimizer.exclude_from_weight_decay(var_names=["w1"])
    result = _run(optimizer, init, grads)
    update, state = adam_ref(0.01)
    decayed = _reference(update, init, grads, state, lr=0.01, weight_decay=0.1)
    plain = _reference(update, init, grads, state)
    _close(result, [decayed[0], plain[1], decayed[2]])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        optimizer.exclude_from_weight_decay(var_names=["w0"])


def test_weight_decay_on_sgd_with_schedule(engine):
    init, grads = _data()
    optimizer = optimizers.SGD(schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5), weight_decay=0.2)
    variables = _variables(init)
    expected = [x.astype("float64") for x in init]
    for step, step_grads in enumerate(grads):
        optimizer.apply(step_grads, variables)
        lr = 0.1 * 0.5 ** (step / 2)  # the schedule sees the iterations count before the update
        expected = [w - lr * 0.2 * w - lr * g for w, g in zip(expected, step_grads)]
    _close([v.numpy() for v in variables], expected)


@pytest.mark.parametrize("clip", ["clipnorm", "clipvalue", "global_clipnorm"])
def test_gradient_clipping(engine, clip):
    init, grads = _data(steps=1)
    grads = [[3 * g for g in grads[0]]]
    result = _run(optimizers.SGD(1.0, **{clip: 1.5}), init, grads)
    g = [x.astype("float64") for x in grads[0]]
    if clip == "clipnorm":
        clipped = [x * 1.5 / max(np.linalg.norm(x), 1.5) for x in g]
    elif clip == "clipvalue":
        clipped = [np.clip(x, -1.5, 1.5) for x in g]
    else:
        norm = np.sqrt(sum(np.sum(x * x) for x in g))
        clipped = [x * 1.5 / max(norm, 1.5) for x in g]
    _close(result, [w - c for w, c in zip(init, clipped)])


def test_only_one_clipping_argument(engine):
    with pytest.raises(ValueError, match="Only one of"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)


def test_ema_and_overwrite_frequency(engine):
    init, grads = _data(steps=5)
    optimizer = optimizers.SGD(0.1, use_ema=True, ema_momentum=0.8, ema_overwrite_frequency=3)
    variables = _variables(init)
    ws, averages = [x.astype("float64") for x in init], None
    for step, step_grads in enumerate(grads):
        optimizer.apply(step_grads, variables)
        ws = [w - 0.1 * g for w, g in zip(ws, step_grads)]
        averages = ws if averages is None else [0.8 * a + 0.2 * w for a, w in zip(averages, ws)]
        if (step + 1) % 3 == 0:
            ws = list(averages)
        _close([v.numpy() for v in variables], ws)
    optimizer.finalize_variable_values(variables)
    _close([v.numpy() for v in variables], averages)


def test_gradient_accumulation_averages_every_n_steps(engine):
    init, grads = _data(steps=6)
    optimizer = optimizers.Adam(0.01, gradient_accumulation_steps=3)
    variables = _variables(init)
    for step, step_grads in enumerate(grads):
        optimizer.apply(step_grads, variables)
        if step == 1:  # mid-accumulation: nothing moved yet
            _close([v.numpy() for v in variables], init)
    assert int(optimizer._iterations) == 6 and int(lamina.ops.convert_to_numpy(optimizer.iterations)) == 2
    averaged = [[np.mean([grads[s][i] for s in range(k, k + 3)], axis=0) for i in range(len(SHAPES))]
                for k in (0, 3)]
    update, state = adam_ref(0.01)
    _close([v.numpy() for v in variables], _reference(update, init, averaged, state))


def test_constraints_apply_after_update(engine):
    init, grads = _data(steps=2)
    variables = _variables(init)
    variables[0].constraint = lamina.constraints.NonNeg()
    optimizer = optimizers.SGD(0.1)
    for step_grads in grads:
        optimizer.apply(step_grads, variables)
    expected = init[0].astype("float64")
    for step_grads in grads:
        expected = np.maximum(expected - 0.1 * step_grads[0], 0)
    _close([variables[0].numpy()], [expected])
    _close([variables[1].numpy()], [init[1] - 0.1 * (grads[0][1] + grads[1][1])])


def test_none_gradients_are_skipped(engine):
    init, grads = _data(steps=1)
    variables = _variables(init)
    optimizer = optimizers.Adam(0.01)
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        optimizer.apply([grads[0][0], None, grads[0][2]], variables)
    np.testing.assert_array_equal(variables[1].numpy(), init[1])
    update, state = adam_ref(0.01)
    _close([variables[0].numpy(), variables[2].numpy()],
           _reference(update, [init[0], init[2]], [[grads[0][0], grads[0][2]]], state))
    with pytest.raises(ValueError, match="No gradients"):
        optimizer.apply([None, None, None], variables)


def test_apply_errors_name_the_problem(engine):
    init, grads = _data(steps=1)
    optimizer = optimizers.SGD()
    with pytest.raises(ValueError, match="must already be built"):
        optimizer.apply(grads[0])
    optimizer.build(_variables(init))
    with pytest.raises(ValueError, match="Unknown variable"):
        optimizer.apply(grads[0][:1], _variables(init[:1], names=["other"]))
    with pytest.raises(ValueError, match="not recognized"):
        optimizers.Adam(betas=0.3)


def test_lr_alias_and_learning_rate_setter(engine):
    optimizer = optimizers.SGD(lr=0.5)
    assert float(optimizer.learning_rate) == 0.5
    optimizer.learning_rate = 0.25
    init, grads = _data(steps=1)
    _close(_run(optimizer, init, grads), [w - 0.25 * g for w, g in zip(init, grads[0])])
    scheduled = optimizers.SGD(schedules.ExponentialDecay(0.1, 10, 0.5))
    with pytest.raises(TypeError, match="not settable"):
        scheduled.learning_rate = 0.3
    assert [v.name for v in scheduled.variables] == ["iteration"]


def test_loss_scale_factor_unscales_gradients(engine):
    init, grads = _data(steps=1)
    optimizer = optimizers.SGD(0.1, loss_scale_factor=4.0)
    assert float(lamina.ops.convert_to_numpy(optimizer.scale_loss(lamina.ops.convert_to_tensor(2.0)))) == 8.0
    _close(_run(optimizer, init, [[4 * g for g in grads[0]]]), [w - 0.1 * g for w, g in zip(init, grads[0])])


def test_config_round_trip_and_lookup(engine):
    schedule = schedules.CosineDecay(0.1, 100, alpha=0.1)
    optimizer = optimizers.Adam(schedule, beta_1=0.8, amsgrad=True, clipnorm=2.0, name="my_adam")
    config = optimizer.get_config()
    assert config["beta_1"] == 0.8 and config["amsgrad"] and config["clipnorm"] == 2.0
    restored = optimizers.Adam.from_config(config)
    assert isinstance(restored._learning_rate, schedules.CosineDecay)
    assert restored.get_config() == config
    again = optimizers.deserialize(optimizers.serialize(optimizers.RMSprop(0.02, centered=True)))
    assert isinstance(again, optimizers.RMSprop) and again.centered
    assert abs(float(again.learning_rate) - 0.02) < 1e-7
    for name, cls in [("adam", optimizers.Adam), ("RMSprop", optimizers.RMSprop), ("sgd", optimizers.SGD),
                      ("AdamW", optimizers.AdamW), ("adafactor", optimizers.Adafactor)]:
        assert type(optimizers.get(name)) is cls
    assert optimizers.get(None) is None
    with pytest.raises(ValueError, match="Unknown optimizer"):
        optimizers.get("adamx")


@pytest.mark.engines("torch")
def test_torch_updates_all_variables_in_one_fused_call(engine, monkeypatch):
    import torch

    counts = {"_foreach_add_": 0, "_foreach_addcdiv_": 0}
    for name in counts:
        original = getattr(torch, name)

        def counting(*args, _original=original, _name=name, **kwargs):
            counts[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(torch, name, counting)
    init, grads = _data(steps=3)
    _run(optimizers.SGD(0.1), init, grads)
    assert counts["_foreach_add_"] == 3  # one call per step, for all three variables
    _run(optimizers.Adam(0.01), init, grads)
    assert counts["_foreach_addcdiv_"] == 3


@pytest.mark.engines("torch")
@pytest.mark.parametrize("case", sorted(CASES))
def test_torch_tensor_scalars_path(engine, case, monkeypatch):
    """On an accelerator, learning rates and bias corrections stay 0-d device tensors (never read back to the
    host); the vocabulary then folds them into the fused calls. Force that path on the CPU too."""
    from lamina.backend.torch import optimizer as fused_ops

    monkeypatch.setattr(fused_ops, "_scalar", lambda v: v.value if isinstance(v, lamina.Variable) else v)
    factory, reference = CASES[case]
    update, state = reference()
    init, grads = _data()
    _close(_run(factory(), init, grads), _reference(update, init, grads, state))


def test_lamb_trust_ratio_is_one_for_a_zero_variable(engine):
    """A variable of norm 0 takes the plain bias-corrected Adam step (ratio 1): at step 1 that is
    ``g / (|g| + epsilon)``, about ``sign(g)``."""
    variable = lamina.Variable(np.zeros((3,), "float32"))
    optimizers.Lamb(0.1).apply([np.array([2.0, -0.5, 0.0], "float32")], [variable])
    np.testing.assert_allclose(variable.numpy(), [-0.1, 0.1, 0.0], atol=1e-6)


def test_lamb_trains_through_fit_as_numpy_says(engine):
    """One ``fit`` epoch of full-batch steps equals the NumPy Lamb run on the same (linear, MSE) gradients."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.normal(size=(8, 2)).astype("float32")
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    model.compile(optimizer=optimizers.Lamb(0.05), loss="mse")
    kernel, bias = (w.astype("float64") for w in model.get_weights())
    update, state = lamb_ref(0.05)
    states = [state(kernel), state(bias)]
    for t in range(1, 4):
        error = x.astype("float64") @ kernel + bias - y
        grads = [2 * x.T @ error / error.size, 2 * error.sum(0) / error.size]
        kernel, bias = (update(w, g, s, t) for w, g, s in zip((kernel, bias), grads, states, strict=True))
    model.fit(x, y, batch_size=8, epochs=3, verbose=0, shuffle=False)
    _close(model.get_weights(), [kernel, bias], rtol=1e-4, atol=1e-5)
    assert type(optimizers.get("lamb")) is optimizers.Lamb
    config = optimizers.Lamb(0.02, beta_1=0.7).get_config()
    assert config["beta_1"] == 0.7 and config["name"] == "lamb"
