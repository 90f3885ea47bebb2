"""Trainer: ``compile``, ``fit``, ``evaluate``, ``predict`` and the ``*_on_batch`` methods of every Model.

One engine-neutral loop. The engine supplies only the steps (``lamina.backend.engine.step``): how one
batch is trained, tested or predicted, and how gradients are switched off. Metric state stays on the
device; values reach the host at epoch end, or when a callback reads the lazy batch logs.
"""

from __future__ import annotations

import warnings

import numpy as np

from lamina import backend, config, optimizers, tree
from lamina import metrics as metrics_module
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.callbacks import CallbackList
from lamina.training.compile_utils import CompiledLoss, CompiledMetrics, match_outputs
from lamina.training.data_adapters import train_validation_split
from lamina.training.data_adapters.host_inputs import host_stage, stages_on_host, text_inputs
from lamina.training.epoch_iterator import EpochIterator
from lamina.training.logs import LazyLogs
from lamina.training.output_layout import OutputLayout
from lamina.training.step_hooks import StepHooks, batch_size_of
from lamina.utils.argument_validation import check_int_at_least

_step = backend.engine.step
_DEFAULT_BATCH_SIZE = 32


def _unpack(data):
    """``(x, y, sample_weight)`` from a batch given as x, (x,), (x, y) or (x, y, sample_weight)."""
    if isinstance(data, tuple) and 1 <= len(data) <= 3:
        return data + (None,) * (3 - len(data))
    return data, None, None


def _unpack_validation(data):
    """``(x, y, sample_weight)`` from fit's ``validation_data``: a tuple (or list) of 2 or 3 items, or a stream."""
    if isinstance(data, list):
        data = tuple(data)
    if isinstance(data, tuple) and not 1 <= len(data) <= 3:
        raise ValueError(
            "Invalid value for argument `validation_data` of fit. Expected `(x_val, y_val)` or `(x_val, y_val, "
            "val_sample_weight)`, or a generator, PyDataset or data loader yielding such batches. Received a tuple "
            f"of {len(data)} items: {tuple(type(item).__name__ for item in data)}"
        )
    return _unpack(data)


def _is_one_numeric_batch(x, batch_size) -> bool:
    """True for one numeric NumPy array of at most one batch (``batch_size`` valid or None: the default)."""
    return type(x) is np.ndarray and x.dtype.kind in "biuf" and x.ndim > 0 and len(x) <= (
        _DEFAULT_BATCH_SIZE if batch_size is None else batch_size if type(batch_size) is int and batch_size > 0
        else -1)


def _is_small_array_input(x, batch_size) -> bool:
    """True for in-memory data of at most one batch (``predict`` then skips the epoch machinery)."""
    leaves = tree.flatten(x)
    if not leaves or not all(hasattr(leaf, "shape") and hasattr(leaf, "__len__") for leaf in leaves):
        return False
    if any(getattr(leaf, "to_numpy", None) is not None for leaf in leaves):
        return False
    return all(len(leaf) <= batch_size for leaf in leaves)


class Trainer:
    """Mixed into ``Model``: the training and inference API."""

    compiled = False
    jit_compile = False
    optimizer = None
    stop_training = False
    history = None
    _compile_loss = None
    _compile_metrics = None
    _loss_tracker = None
    _layout = None

    # -- compile ---------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly=False, steps_per_execution=1, jit_compile="auto", auto_scale_loss=True):
        """Configure training: the optimizer, the loss(es) per output, their weights and the metrics.

        ``jit_compile=True`` compiles the forward pass and loss with the engine's compiler (torch.compile
        on torch); ``"auto"`` leaves it eager on torch. ``steps_per_execution`` and ``run_eagerly`` are
        accepted for Keras compatibility; every step already runs eagerly on torch.
        """
        self.optimizer = optimizers.get(optimizer)
        self._compile_loss = CompiledLoss(loss, loss_weights) if loss is not None else None
        self._compile_metrics = CompiledMetrics(metrics, weighted_metrics, compiled_loss=self._compile_loss)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._layout = None
        self.run_eagerly = run_eagerly
        self.steps_per_execution = steps_per_execution
        self.jit_compile = jit_compile is True
        self._compile_config = dict(optimizer=self.optimizer, loss=loss, loss_weights=loss_weights, metrics=metrics,
                                    weighted_metrics=weighted_metrics, run_eagerly=run_eagerly,
                                    steps_per_execution=steps_per_execution, jit_compile=jit_compile)
        self.__dict__["_steps"] = _step.Steps(StepHooks(self))
        self.compiled = True

    def get_compile_config(self):
        """The arguments ``compile`` was called with, serialized (Keras 3's ``compile_config``)."""
        from lamina.training.compile_config import get_compile_config  # it imports this module

        return get_compile_config(self)

    def compile_from_config(self, config):
        """Compile from ``get_compile_config``'s output."""
        from lamina.training.compile_config import compile_from_config

        compile_from_config(self, config)

    def _assert_compiled(self, method):
        if not self.compiled:
            raise RuntimeError(f"You must call `compile()` before calling `{method}()`.")

    def _output_layout(self, y_pred):
        """How the outputs are laid out and named (from the first batch's predictions), cached."""
        if self._layout is None:
            self._layout = OutputLayout(y_pred, getattr(self, "output_names", None))
        return self._layout

    def _matched(self, y, y_pred, sample_weight):
        """Targets, predictions and sample weights per output; builds the compiled losses and metrics once."""
        layout = self._output_layout(y_pred)
        compiled_loss = self._compile_loss
        if compiled_loss is not None and not compiled_loss.built:
            y_list, pred_list, _ = match_outputs(layout, y, y_pred, None)
            compiled_loss.build(layout, y_list, pred_list)
        needed = compiled_loss.has_loss if compiled_loss is not None else None
        matched = match_outputs(layout, y, y_pred, sample_weight, needed)
        if y is not None and not self._compile_metrics.built:
            self._compile_metrics.build(layout, matched[0], matched[1])
        return matched

    def _build_compiled_state(self, x, y):
        """Create, before any compiled step traces, every Variable training needs: the model's, and the
        compiled loss trackers and metrics (from the output structure). A built graph model gives its output
        structure symbolically, at no compute (on JAX, no eager op compiles before the first step); other
        models run one forward pass on the batch."""
        if self._layout is not None:
            return
        y_pred = self._symbolic_outputs(x)
        if y_pred is None:
            with _step.no_grad():
                y_pred = self(x)
        y_list, pred_list, _ = self._matched(y, y_pred, None)
        if y is not None and any(not metric.variables for metric in self._compile_metrics.metrics):
            # Metrics that size their state from the first batch (AUC with multi_label) build it now.
            batch = batch_size_of(x)
            zeros = [None if p is None else backend.numpy.zeros((batch,) + tuple(p.shape[1:]), dtype=p.dtype)
                     for p in pred_list]
            with _step.no_grad():
                self._compile_metrics.update_state(y_list, zeros, [None] * len(y_list))
            for metric in self._compile_metrics.metrics:
                metric.reset_state()

    def _symbolic_outputs(self, x):
        """The outputs of a built functional or Sequential model for ``x``, as symbolic tensors (None for
        other models)."""
        if not (self.built and getattr(self, "inputs", None)):
            return None
        return self.compute_output_spec(tree.map_structure(
            lambda leaf: SymbolicTensor(tuple(leaf.shape), backend.core.get_dtype(leaf)), x))

    # -- the pieces a step is made of (Keras 3 names, overridable) ------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The total loss of a batch: the compiled losses plus the model's own (regularization) losses."""
        total = None
        if self._compile_loss is not None:
            total = self._compile_loss(*self._matched(y, y_pred, sample_weight))
        for extra in self.losses:
            total = extra if total is None else total + extra
        if total is None:
            raise ValueError("The model has no loss to optimize: pass `loss=` to `compile()`.")
        return total

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Update the compiled metrics with a batch and return the (lazy) logs."""
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(*self._matched(y, y_pred, sample_weight))
        return self.get_metrics_result(lazy=True)

    def get_metrics_result(self, lazy=False):
        """The current value of every metric: Python floats, or a ``LazyLogs`` when ``lazy``."""
        logs = LazyLogs({metric.name: metric for metric in self.metrics})
        return logs if lazy else dict(logs)

    @property
    def metrics(self) -> list:
        """The loss tracker, the per-output loss trackers, then the compiled metrics."""
        if not self.compiled:
            return []
        found = [self._loss_tracker]
        if self._compile_loss is not None:
            found.extend(self._compile_loss.metrics)
        found.extend(self._compile_metrics.metrics)
        return found

    @property
    def metrics_names(self) -> list:
        return [metric.name for metric in self.metrics]

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    @property
    def _engine_steps(self):
        """The engine's steps for this model (built by ``compile``; an uncompiled model gets its own to
        predict with)."""
        steps = self.__dict__.get("_steps")
        if steps is None:
            steps = self.__dict__["_steps"] = _step.Steps(StepHooks(self))
        return steps

    def train_step(self, data):
        """One training step on a batch; returns logs. Override for custom training (Keras 3 style)."""
        self._engine_steps.train(*_unpack(data))
        return self.get_metrics_result(lazy=True)

    def test_step(self, data):
        self._engine_steps.test(*_unpack(data))
        return self.get_metrics_result(lazy=True)

    def predict_step(self, data):
        return self._engine_steps.predict(_unpack(data)[0])


    # -- fit -------------------------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1):
        """Train for ``epochs`` epochs and return the ``History``."""
        self._assert_compiled("fit")
        epochs = check_int_at_least(epochs, 0, "epochs", "fit")
        initial_epoch = check_int_at_least(initial_epoch, 0, "initial_epoch", "fit")
        batch_size = check_int_at_least(batch_size, 1, "batch_size", "fit", allow_none=True)
        if config.max_epochs() and config.max_epochs() < epochs:  # a debugging cap (``config.set_max_epochs``)
            warnings.warn(f"Limiting epochs to {config.max_epochs()}", stacklevel=2)
            epochs = config.max_epochs()
        x = text_inputs(self, x)
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = train_validation_split((x, y, sample_weight), validation_split)
        iterator = EpochIterator(x, y, sample_weight, batch_size=self._batch_size(x, batch_size),
                                 steps_per_epoch=steps_per_epoch, shuffle=shuffle, class_weight=class_weight,
                                 output_names=self._class_weight_names(class_weight))
        validation = None
        if validation_data is not None:
            val_x, val_y, val_weight = _unpack_validation(validation_data)
            val_x = text_inputs(self, val_x)
            validation = EpochIterator(val_x, val_y, val_weight,
                                       batch_size=self._batch_size(val_x, validation_batch_size or batch_size),
                                       steps_per_epoch=validation_steps)
        callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=epochs, steps=iterator.num_batches)
        self._engine_steps.expect_batch_rows("train", iterator.partial_batch_rows)
        self.stop_training = False
        callback_list.on_train_begin()
        epoch_logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            for step, batch in iterator.enumerate_epoch():
                callback_list.on_train_batch_begin(step)
                with host_stage(self, batch) as batch:
                    logs = self.train_step(batch)
                if epoch == initial_epoch and step == 0:
                    self._warn_if_nothing_to_train()
                callback_list.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            if iterator.exhausted:  # a one-shot generator ran dry: Keras stops training
                self.stop_training = True
            epoch_logs = self.get_metrics_result()
            if validation is not None and self._validates_at(epoch, validation_freq):
                validation.reset()
                val_logs = self._run_evaluation(validation, callback_list)
                epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        callback_list.on_train_end(epoch_logs)
        return self.history

    def _warn_if_nothing_to_train(self):
        """Keras' warning for a model without trainable weights (after a step has built it): fit still runs."""
        if not self.trainable_variables:
            warnings.warn("The model does not have any trainable weights.", stacklevel=3)

    def _batch_size(self, x, batch_size):
        if batch_size is not None:
            return batch_size
        return None if _is_dataset(x) else _DEFAULT_BATCH_SIZE

    def _class_weight_names(self, class_weight):
        if not class_weight or not isinstance(getattr(self, "_outputs_struct", None), (list, tuple, dict)):
            return getattr(self, "output_names", None)
        outputs = self._outputs_struct
        return sorted(outputs) if isinstance(outputs, dict) else self.output_names

    @staticmethod
    def _validates_at(epoch, validation_freq) -> bool:
        if isinstance(validation_freq, int):
            return (epoch + 1) % validation_freq == 0
        return (epoch + 1) in validation_freq

    # -- evaluate --------------------------------------------------------------------------------
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False, **kwargs):
        """Loss and metrics on data: a scalar (loss only), a list in ``metrics_names`` order, or a dict."""
        self._assert_compiled("evaluate")
        batch_size = check_int_at_least(batch_size, 1, "batch_size", "evaluate", allow_none=True)
        unknown = set(kwargs) - {"return_dict"}
        if unknown:
            raise TypeError(f"Invalid keyword arguments for evaluate(): {sorted(unknown)}")
        x = text_inputs(self, x)
        iterator = EpochIterator(x, y, sample_weight, batch_size=self._batch_size(x, batch_size),
                                 steps_per_epoch=steps)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                     steps=iterator.num_batches)
        logs = self._run_evaluation(iterator, callback_list)
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names if name in logs]
        return values[0] if len(values) == 1 else values

    def _run_evaluation(self, iterator, callback_list):
        self.reset_metrics()
        self._engine_steps.expect_batch_rows("test", iterator.partial_batch_rows)
        if callback_list is not None:
            callback_list.on_test_begin()
        with _step.no_grad():
            for step, batch in iterator.enumerate_epoch():
                if callback_list is not None:
                    callback_list.on_test_batch_begin(step)
                with host_stage(self, batch) as batch:
                    logs = self.test_step(batch)
                if callback_list is not None:
                    callback_list.on_test_batch_end(step, logs)
        logs = self.get_metrics_result()
        if callback_list is not None:
            callback_list.on_test_end(logs)
        return logs

    # -- predict ---------------------------------------------------------------------------------
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Model outputs for ``x`` as NumPy arrays (same structure as the model's outputs)."""
        if _is_one_numeric_batch(x, batch_size) and callbacks is None and steps is None:
            return self._predict_one_batch(x)  # a serving call: no argument to convert, no epoch machinery
        x = text_inputs(self, x)
        batch_size = check_int_at_least(self._batch_size(x, batch_size), 1, "batch_size", "predict", allow_none=True)
        if callbacks is None and steps is None and batch_size and _is_small_array_input(x, batch_size):
            return self._predict_one_batch(x)
        iterator = EpochIterator(x, batch_size=batch_size, steps_per_epoch=steps)
        self._engine_steps.expect_batch_rows("predict", iterator.partial_batch_rows)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                     steps=iterator.num_batches)
        callback_list.on_predict_begin()
        outputs = []
        with _step.no_grad():
            for step, batch in iterator.enumerate_epoch():
                callback_list.on_predict_batch_begin(step)
                with host_stage(self, batch) as batch:
                    batch_outputs = self.predict_step(batch)
                outputs.append(batch_outputs)
                callback_list.on_predict_batch_end(step, {"outputs": batch_outputs})
        callback_list.on_predict_end()
        if not outputs:
            raise ValueError("`predict` received no data: the input iterator yielded no batch.")
        # Joined on the host: an engine concatenation of many parts would compile (JAX) and copy once more.
        return tree.map_structure(lambda *parts: np.concatenate([backend.convert_to_numpy(p) for p in parts]),
                                  *outputs)

    # -- single batches --------------------------------------------------------------------------
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One gradient update on one batch; returns the loss and metrics after it."""
        self._assert_compiled("train_on_batch")
        self.reset_metrics()
        batch = self._single_batch(x, y, sample_weight, class_weight)
        with host_stage(self, batch) as batch:
            self.train_step(batch)
        self._warn_if_nothing_to_train()
        return self._batch_result(return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._assert_compiled("test_on_batch")
        self.reset_metrics()
        with _step.no_grad(), host_stage(self, self._single_batch(x, y, sample_weight, None)) as batch:
            self.test_step(batch)
        return self._batch_result(return_dict)

    def predict_on_batch(self, x):
        return self._predict_one_batch(text_inputs(self, x))

    def _predict_one_batch(self, x):
        if type(self).predict_step is Trainer.predict_step and not stages_on_host(self):
            return self._engine_steps.predict_on_host(x)  # what the lines below do, in fewer calls
        with _step.no_grad(), host_stage(self, (x,)) as batch:
            return tree.map_structure(backend.convert_to_numpy, self.predict_step(batch))

    def _single_batch(self, x, y, sample_weight, class_weight):
        x = text_inputs(self, x)
        iterator = EpochIterator(x, y, sample_weight, batch_size=batch_size_of(x), shuffle=False,
                                 class_weight=class_weight, output_names=self._class_weight_names(class_weight))
        return next(iter(iterator.enumerate_epoch()))[1]

    def _batch_result(self, return_dict):
        logs = self.get_metrics_result()
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values


def _is_dataset(x) -> bool:
    """Generators, PyDatasets and data loaders bring their own batch size."""
    return not (x is None or hasattr(x, "shape") or isinstance(x, (list, tuple, dict)) or hasattr(x, "to_numpy"))

