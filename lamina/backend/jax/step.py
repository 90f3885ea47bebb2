"""How one batch is trained, tested and predicted on JAX: ONE jitted pure function per step.

The step reads every piece of state — trainable and non-trainable variables (including random-seed
states), optimizer slots, metric accumulators — as arrays, runs the model inside a ``StatelessScope`` that
maps each Variable to its array, and returns the new arrays. State buffers are donated, so XLA updates
them in place. After each call the new arrays are written back into the Variables, so callbacks that read
or set weights between batches see current values.
"""

from __future__ import annotations

import contextlib
import warnings

import jax

from lamina.backend.common.scopes import StatelessScope
from lamina.backend.jax.core import RuntimeChecks

_RECOMPILE_WARNING_AFTER = 8
TRACED = True  # a step's inputs are traced arrays: host values (strings) cannot enter it


def _unpack(data):
    if isinstance(data, tuple) and 1 <= len(data) <= 3:
        return data + (None,) * (3 - len(data))
    return data, None, None


def _batch_size(x) -> int:
    while isinstance(x, (list, tuple, dict)):
        x = next(iter(x.values())) if isinstance(x, dict) else x[0]
    return x.shape[0]


class _State:
    """The model's variables in a fixed order, grouped as the step function sees them."""

    def __init__(self, model, with_optimizer: bool):
        trainable = model.trainable_variables
        known = {id(v) for v in trainable}
        self.trainable = trainable
        self.non_trainable = [v for v in model.variables if id(v) not in known]
        self.optimizer = list(model.optimizer.variables) if with_optimizer else []
        # With a metric that cannot be traced, all metrics update eagerly after the compiled step.
        self.eager_metrics = not all(metric.traceable for metric in model.metrics)
        self.metrics = [] if self.eager_metrics else [v for metric in model.metrics for v in metric.variables]
        self.groups = (self.trainable, self.non_trainable, self.optimizer, self.metrics)

    def values(self):
        return tuple([v.value for v in group] for group in self.groups)

    def write(self, new_values):
        for group, values in zip(self.groups, new_values):
            for variable, value in zip(group, values):
                variable._direct_assign(value)


def _scope(variables, values):
    return StatelessScope(list(zip(variables, values)))


def _read(scope, variables, defaults):
    return [_current(scope, v, d) for v, d in zip(variables, defaults)]


def _current(scope, variable, default):
    value = scope.get_current_value(variable)
    return default if value is None else value


class _Compiled:
    """A jitted step for one model, with its compile count (a new input shape compiles again). With
    ``compile(run_eagerly=True)`` or ``jit_compile=False`` the same pure function runs un-jitted.

    Runtime checks the model makes while traced (``ops.core.assert_all``, e.g. Embedding's index range)
    become extra outputs, read after each call; a model without checks returns none and syncs nothing.
    """

    def __init__(self, model, function, donate):
        self.model = model
        self.compiles = 0
        self.checks = RuntimeChecks()
        settings = getattr(model, "_compile_config", {})
        eager = settings.get("run_eagerly") is True or settings.get("jit_compile") is False
        checked = self._checked(function)
        self._function = checked if eager else jax.jit(self._counting(checked), donate_argnums=donate)

    def __call__(self, *args):
        outputs, self._check_results = self._function(*args)
        return outputs

    def raise_failed_checks(self) -> None:
        """After the caller kept the step's new state (its inputs were donated), report a failed check."""
        conditions, values = self._check_results
        if conditions:
            self.checks.raise_failed(conditions, values)

    def _checked(self, function):
        def with_checks(*args):
            with RuntimeChecks() as checks:
                outputs = function(*args)
            self.checks = checks
            return outputs, checks.outputs()

        return with_checks

    def _counting(self, function):
        def traced(*args):
            self.compiles += 1
            if self.compiles == _RECOMPILE_WARNING_AFTER:
                warnings.warn(
                    f"Model '{self.model.name}': the step has been compiled {self.compiles} times. Each new input "
                    "shape (or dtype) compiles it again; keep batch shapes fixed (e.g. drop or pad the last "
                    "partial batch) to avoid paying for it.", stacklevel=2)
            return function(*args)

        return traced


def _compiled(model, kind, builder, donate):
    cache = model.__dict__.setdefault("_jax_steps", {})
    key = (kind, id(model.optimizer), id(model._compile_metrics))
    if key not in cache:
        cache[key] = _Compiled(model, builder(model), donate)
    return cache[key]


def _pure_train_step(model):
    def step(state_values, data):
        trainable, non_trainable, optimizer_values, metric_values = state_values
        state = model._jax_state
        x, y, sample_weight = data

        def loss_function(trainable_values):
            with _scope(state.trainable + state.non_trainable + state.metrics,
                        trainable_values + non_trainable + metric_values) as scope:
                y_pred = model(x, training=True)
                loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
                new_non_trainable = _read(scope, state.non_trainable, non_trainable)
                new_metrics = _read(scope, state.metrics, metric_values)
            return loss, (y_pred, new_non_trainable, new_metrics)

        (loss, (y_pred, non_trainable, metric_values)), grads = jax.value_and_grad(
            loss_function, has_aux=True)(trainable)
        with _scope(state.trainable + state.optimizer + state.non_trainable + state.metrics,
                    trainable + optimizer_values + non_trainable + metric_values) as scope:
            model.optimizer.apply(grads, state.trainable)
            if not state.eager_metrics:
                _update_metrics(model, loss, x, y, y_pred, sample_weight)
            new_state = (_read(scope, state.trainable, trainable), _read(scope, state.non_trainable, non_trainable),
                         _read(scope, state.optimizer, optimizer_values), _read(scope, state.metrics, metric_values))
            return new_state, (loss, y_pred)

    return step


def _update_metrics(model, loss, x, y, y_pred, sample_weight):
    model._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
    model.compute_metrics(x, y, y_pred, sample_weight)


def _run(model, state, kind, builder, donate, batch):
    """Call the compiled step, write the new state back, and update untraceable metrics eagerly."""
    compiled = _compiled(model, kind, builder, donate)
    new_state, (loss, y_pred) = compiled(state.values(), batch)
    state.write(new_state)
    compiled.raise_failed_checks()
    if state.eager_metrics:
        x, y, sample_weight = batch
        _update_metrics(model, loss, x, y, y_pred, sample_weight)
    return model.get_metrics_result(lazy=True)


def _pure_test_step(model):
    def step(state_values, data):
        trainable, non_trainable, _, metric_values = state_values
        state = model._jax_state
        x, y, sample_weight = data
        with _scope(state.trainable + state.non_trainable + state.metrics,
                    trainable + non_trainable + metric_values) as scope:
            y_pred = model(x, training=False)
            loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
            if not state.eager_metrics:
                _update_metrics(model, loss, x, y, y_pred, sample_weight)
            return (trainable, non_trainable, [], _read(scope, state.metrics, metric_values)), (loss, y_pred)

    return step


def _pure_predict_step(model):
    def step(state_values, x):
        trainable, non_trainable = state_values
        state = model._jax_state_predict
        with _scope(state.trainable + state.non_trainable, trainable + non_trainable):
            return model(x, training=False)

    return step


def _prepare(model, data, with_optimizer):
    """Build everything that creates Variables (model, compiled losses/metrics, optimizer) outside the trace."""
    x, y, sample_weight = _unpack(data)
    model._build_compiled_state(x, y)
    if with_optimizer and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    state = _State(model, with_optimizer)
    model.__dict__["_jax_state"] = state
    return state, (x, y, sample_weight)


def train_step(model, data):
    """One jitted training step; the new state is written back into the model's Variables."""
    state, batch = _prepare(model, data, with_optimizer=True)
    return _run(model, state, "train", _pure_train_step, (0,), batch)


def test_step(model, data):
    state, batch = _prepare(model, data, with_optimizer=False)
    return _run(model, state, "test", _pure_test_step, (), batch)


def predict_step(model, data):
    x, _, _ = _unpack(data)
    if not model.built:
        model(x)
    state = _State(model, with_optimizer=False)
    model.__dict__["_jax_state_predict"] = state
    compiled = _compiled(model, "predict", _pure_predict_step, donate=())
    outputs = compiled((state.values()[0], state.values()[1]), x)
    compiled.raise_failed_checks()
    return outputs


def no_grad():
    """JAX computes gradients only when asked: nothing to switch off."""
    return contextlib.nullcontext()
