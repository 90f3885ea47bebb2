"""How one batch is trained, tested and predicted on JAX: ONE jitted pure function per step.

``Steps`` is built once per ``compile()`` around the model's ``StepHooks`` (``lamina.training.step_hooks``)
and holds the jitted functions and the variable grouping they read.

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

from lamina import tree
from lamina.backend.common.scopes import StatelessScope
from lamina.backend.common.variable import state_structure_version
from lamina.backend.jax.compile_ahead import AheadCompiles
from lamina.backend.jax.core import RuntimeChecks, convert_to_numpy

_RECOMPILE_WARNING_AFTER = 8
TRACED = True  # a step's inputs are traced arrays: host values (strings) cannot enter it


class _State:
    """The model's variables in a fixed order, grouped as the step function sees them; ``signature`` tells
    two groupings apart (the compiled step of one cannot run the other)."""

    def __init__(self, hooks, with_optimizer: bool, with_metrics: bool = True):
        trainable = hooks.trainable_variables()
        known = {id(v) for v in trainable}
        self.trainable = trainable
        self.non_trainable = [v for v in hooks.variables() if id(v) not in known]
        self.optimizer = list(hooks.optimizer.variables) if with_optimizer else []
        metrics = hooks.metrics if with_metrics else []
        # With a metric that cannot be traced, all metrics update eagerly after the compiled step.
        self.eager_metrics = not all(metric.traceable for metric in metrics)
        self.metrics = [] if self.eager_metrics else [v for metric in metrics for v in metric.variables]
        self.groups = (self.trainable, self.non_trainable, self.optimizer, self.metrics)
        self.signature = tuple(tuple(map(id, group)) for group in self.groups)

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
    """A jitted step, with its compile count (a new input shape compiles again). With
    ``compile(run_eagerly=True)`` or ``jit_compile=False`` the same pure function runs un-jitted.

    Runtime checks the model makes while traced (``ops.core.assert_all``, e.g. Embedding's index range)
    become extra outputs, read after each call; a model without checks returns none and syncs nothing.
    """

    def __init__(self, hooks, function, donate):
        self.name = hooks.name
        self.compiles = 0
        self.checks = RuntimeChecks()
        checked = self._checked(function)
        self.jitted = not hooks.runs_eagerly
        self._function = jax.jit(self._counting(checked), donate_argnums=donate) if self.jitted else checked
        self._ahead = AheadCompiles()

    def __call__(self, *args, ahead_rows=None):
        """Run the step on ``args`` (state..., batch); with ``ahead_rows``, also start compiling it for a batch
        of that many rows (see ``compile_ahead``)."""
        abstract = AheadCompiles.abstract_arguments(args, ahead_rows) if ahead_rows and self.jitted else None
        executable = self._ahead.find(args[-1]) if self._ahead else None
        outputs, self._check_results = (executable or self._function)(*args)
        if abstract is not None:
            self._ahead.start(self._function, abstract)
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
            self._ahead.note_traced(args[-1])
            if self.compiles == _RECOMPILE_WARNING_AFTER:
                warnings.warn(
                    f"Model '{self.name}': the step has been compiled {self.compiles} times. Each new input "
                    "shape (or dtype) compiles it again; keep batch shapes fixed (e.g. drop or pad the last "
                    "partial batch) to avoid paying for it.", stacklevel=2)
            return function(*args)

        return traced


class Steps:
    """The train, test and predict steps of one compiled model: one jitted function per step kind and
    variable grouping, and the grouping itself, listed again only when the model's variables or trainable
    flags change (``state_structure_version``), so a batch costs a few attribute reads outside the jit."""

    def __init__(self, hooks):
        self.hooks = hooks
        self._compiled = {}  # (kind, state signature) -> _Compiled
        self._states = {}  # kind -> (state structure version, _State)
        self._tracing = None  # the _State the step being traced reads
        self._expected_rows = {}  # kind -> rows of a later (partial) batch to compile ahead for

    def _state(self, kind: str) -> _State:
        version = state_structure_version()
        cached = self._states.get(kind)
        if cached is None or cached[0] != version:
            cached = (version, _State(self.hooks, with_optimizer=kind == "train", with_metrics=kind != "predict"))
            self._states[kind] = cached
        return cached[1]

    def _call(self, kind: str, state: _State, builder, donate, *args):
        key = (kind, state.signature)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(self.hooks, builder(), donate)
        self._tracing = state
        outputs = compiled(*args, ahead_rows=self._expected_rows.pop(kind, None))
        return compiled, outputs

    def expect_batch_rows(self, kind: str, rows: int | None) -> None:
        """A later ``kind`` step ("train", "test", "predict") will take a batch of ``rows`` rows (an epoch's
        partial last batch): its compile starts, in the background, right after the next step of that kind."""
        if rows:
            self._expected_rows[kind] = rows

    # -- the pure step functions: (state values, batch) -> (new state values, outputs) ----------
    def _pure_train_step(self):
        hooks = self.hooks

        def step(state_values, data):
            trainable, non_trainable, optimizer_values, metric_values = state_values
            state = self._tracing
            x, y, sample_weight = data

            def loss_function(trainable_values):
                with _scope(state.trainable + state.non_trainable + state.metrics,
                            trainable_values + non_trainable + metric_values) as scope:
                    y_pred, loss = hooks.forward_and_loss(x, y, sample_weight, True)
                    new_non_trainable = _read(scope, state.non_trainable, non_trainable)
                    new_metrics = _read(scope, state.metrics, metric_values)
                return loss, (y_pred, new_non_trainable, new_metrics)

            (loss, (y_pred, non_trainable, metric_values)), grads = jax.value_and_grad(
                loss_function, has_aux=True)(trainable)
            with _scope(state.trainable + state.optimizer + state.non_trainable + state.metrics,
                        trainable + optimizer_values + non_trainable + metric_values) as scope:
                hooks.optimizer.apply(grads, state.trainable)
                if not state.eager_metrics:
                    hooks.update_metrics(loss, x, y, y_pred, sample_weight)
                new_state = (_read(scope, state.trainable, trainable),
                             _read(scope, state.non_trainable, non_trainable),
                             _read(scope, state.optimizer, optimizer_values),
                             _read(scope, state.metrics, metric_values))
                return new_state, (loss, y_pred)

        return step

    def _pure_test_step(self):
        hooks = self.hooks

        def step(state_values, data):
            trainable, non_trainable, _, metric_values = state_values
            state = self._tracing
            x, y, sample_weight = data
            with _scope(state.trainable + state.non_trainable + state.metrics,
                        trainable + non_trainable + metric_values) as scope:
                y_pred, loss = hooks.forward_and_loss(x, y, sample_weight, False)
                if not state.eager_metrics:
                    hooks.update_metrics(loss, x, y, y_pred, sample_weight)
                return (trainable, non_trainable, [], _read(scope, state.metrics, metric_values)), (loss, y_pred)

        return step

    def _pure_predict_step(self):
        hooks = self.hooks

        def step(state_values, x):
            trainable, non_trainable = state_values
            state = self._tracing
            with _scope(state.trainable + state.non_trainable, trainable + non_trainable):
                return hooks.forward(x, False)

        return step

    # -- the steps -----------------------------------------------------------------------------------
    def _run(self, kind, builder, donate, batch) -> None:
        """Call the compiled step, write the new state back, and update untraceable metrics eagerly."""
        x, y, _ = batch
        self.hooks.prepare(x, y, with_optimizer=kind == "train")
        state = self._state(kind)
        compiled, (new_state, (loss, y_pred)) = self._call(kind, state, builder, donate, state.values(), batch)
        state.write(new_state)
        compiled.raise_failed_checks()
        if state.eager_metrics:
            self.hooks.update_metrics(loss, x, y, y_pred, batch[2])

    def train(self, x, y, sample_weight) -> None:
        """One jitted training step; the new state is written back into the model's Variables."""
        self._run("train", self._pure_train_step, (0,), (x, y, sample_weight))

    def test(self, x, y, sample_weight) -> None:
        self._run("test", self._pure_test_step, (), (x, y, sample_weight))

    def predict(self, x):
        self.hooks.ensure_built(x)
        state = self._state("predict")
        values = state.values()
        compiled, outputs = self._call("predict", state, self._pure_predict_step, (), (values[0], values[1]), x)
        compiled.raise_failed_checks()
        return outputs

    def predict_on_host(self, x):
        """``predict`` of one batch, its outputs as NumPy arrays (a served prediction)."""
        return tree.map_structure(convert_to_numpy, self.predict(x))

    def compile_counts(self) -> dict:
        """How many times each step kind was traced and compiled (for every variable grouping)."""
        counts = {"train": 0, "test": 0, "predict": 0}
        for (kind, _), compiled in self._compiled.items():
            counts[kind] += compiled.compiles
        return counts


def no_grad():
    """JAX computes gradients only when asked: nothing to switch off."""
    return contextlib.nullcontext()
