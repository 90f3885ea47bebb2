"""Keras 1/2's ``keras.models``: ``Sequential``, ``Model`` and Keras 0.3's ``Graph``, over lamina's models.

The classes are lamina's ``Sequential`` and functional ``Model`` with the old training API mixed in
(``_Keras1Training``): ``fit(nb_epoch=..., show_accuracy=True)``, ``evaluate`` returning ``[loss, acc]``,
``compile(class_mode=...)``, ``predict_classes``/``predict_proba`` and the ``*_generator`` methods counting
``samples_per_epoch``. Everything runs through lamina's one ``fit``/``evaluate``/``predict`` loop.

Keras 1's defaults are kept: ``fit`` trains 10 epochs unless told otherwise, ``predict`` is silent, a
compiled ``"accuracy"`` is logged as ``acc``. ``Graph`` builds a lamina functional model over its named
inputs and outputs; its data is one dict holding inputs and targets by name.
"""

from __future__ import annotations

import itertools
import math
import warnings

from lamina import metrics as metrics_module
from lamina import models, tree
from lamina.layers import Input
from lamina.legacy import objectives, saving
from lamina.legacy import optimizers as legacy_optimizers
from lamina.legacy.backend.variable_reads import running
from lamina.legacy.deprecation import warn_old_spelling
from lamina.legacy.layers import graph_access
from lamina.legacy.layers.merge import merge

KERAS1_DEFAULT_EPOCHS = 10  # Keras 1's ``fit(nb_epoch=10)`` default
_ACCURACY = {"binary": metrics_module.BinaryAccuracy, "categorical": metrics_module.CategoricalAccuracy}
_KERAS1_WORKER_ARGUMENTS = ("max_q_size", "nb_worker", "pickle_safe", "nb_val_worker")


def _epochs(epochs, nb_epoch, default: int) -> int:
    if nb_epoch is not None:
        if epochs is not None:
            raise TypeError(f"Pass `epochs` or its Keras 1 spelling `nb_epoch`, not both. Received: epochs={epochs}, "
                            f"nb_epoch={nb_epoch}")
        warn_old_spelling("nb_epoch=...", "epochs=...", stacklevel=4)
        return nb_epoch
    return default if epochs is None else epochs


def _acc_names(metrics):
    """Keras 1/2 logged ``metrics=["accuracy"]`` as ``acc`` (``history.history["val_acc"]``)."""
    if isinstance(metrics, dict):
        return {key: _acc_names(value) for key, value in metrics.items()}
    if isinstance(metrics, (list, tuple)):
        return [_acc_names(value) for value in metrics]
    return "acc" if metrics == "accuracy" else metrics


def _batch_size_of(batch) -> int:
    x = batch[0] if isinstance(batch, tuple) else batch
    return len(tree.flatten(x)[0])


def _steps_from_samples(stream, samples: int, old: str, modern: str):
    """Keras 1 counted samples; Keras 3 counts batches. Peek at the first batch for its size and return
    ``(steps covering samples, the stream with that batch put back)``."""
    warn_old_spelling(f"{old}=...", f"{modern}=... (batches, not samples)", stacklevel=5)
    stream = iter(stream)
    first = next(stream)
    return math.ceil(samples / _batch_size_of(first)), itertools.chain([first], stream)


def _ignore_worker_arguments(method: str, kwargs: dict) -> None:
    """Keras 1's queue and worker arguments: lamina reads plain generators in the training loop."""
    for name in _KERAS1_WORKER_ARGUMENTS:
        if name in kwargs:
            kwargs.pop(name)
            warn_old_spelling(f"{method}({name}=...)", "PyDataset(workers=..., use_multiprocessing=...)", stacklevel=4)
    if kwargs:
        raise TypeError(f"{method}() got unexpected keyword arguments: {sorted(kwargs)}")


def _is_stream(data) -> bool:
    return data is not None and not isinstance(data, (tuple, list, dict)) and not hasattr(data, "shape")


class _Keras1Training:
    """Keras 0.3/1/2's training API, mixed in before a lamina model class."""

    _class_mode = None
    _user_metrics = None
    _accuracy_compiled = False

    # -- compile ---------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None, sample_weight_mode=None,
                class_mode=None, **kwargs):
        """Keras 3's ``compile`` reading Keras 1 names: ``loss="cosine_proximity"``, ``optimizer="adagrad"``
        (Keras 1's defaults). ``class_mode`` ("binary"/"categorical") picks the accuracy ``show_accuracy``
        reports (by default it follows the loss and the output shape, as Keras 1's "accuracy" did)."""
        if class_mode is not None:
            warn_old_spelling("compile(class_mode=...)", "compile(metrics=['accuracy'])")
            if class_mode not in _ACCURACY:
                raise ValueError(f"Invalid value for argument `class_mode` of compile. Expected 'binary' or "
                                 f"'categorical'. Received: class_mode={class_mode!r}")
        if sample_weight_mode is not None:
            warn_old_spelling("compile(sample_weight_mode=...)", "fit(sample_weight=<one weight per timestep>)")
        self._class_mode = class_mode
        self._user_metrics = _acc_names(metrics)
        self._accuracy_compiled = False
        super().compile(optimizer=legacy_optimizers.get(optimizer), loss=objectives.modern(loss),
                        metrics=self._user_metrics, loss_weights=loss_weights, **kwargs)

    def _show_accuracy(self) -> None:
        """``show_accuracy=True``: compile Keras 0.3's accuracy (logged as ``acc``) once, keeping the optimizer
        and its state. A model compiled with its own metrics reports those, as Keras 1 did."""
        warn_old_spelling("show_accuracy=True", "compile(metrics=['accuracy'])", stacklevel=4)
        if self._user_metrics or self._accuracy_compiled:
            return
        names = list(self.output_names or [])

        def accuracy():
            return _ACCURACY[self._class_mode](name="acc") if self._class_mode else "acc"

        metrics = [accuracy()] if len(names) <= 1 else {name: [accuracy()] for name in names}
        super().compile(**{**self._compile_config, "metrics": metrics})
        self._accuracy_compiled = True

    def _keras1_result(self, logs: dict, show_accuracy: bool):
        """Keras 1's return value: the loss alone, or a list in ``metrics_names`` order. The accuracy compiled
        for ``show_accuracy`` is left out when not asked for (Keras 0.3 returned the bare loss)."""
        hidden = set()
        if self._accuracy_compiled and not show_accuracy:
            hidden = {metric.name for metric in self._compile_metrics.metrics}
        values = [logs[name] for name in self.metrics_names if name in logs and name not in hidden]
        return values[0] if len(values) == 1 else values

    # -- fit / evaluate / predict ----------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=None, verbose=1, callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, *, nb_epoch=None, show_accuracy=False, **kwargs):
        """Keras 3's ``fit``; ``nb_epoch`` is ``epochs`` (10 when neither is given, as in Keras 1) and
        ``show_accuracy=True`` logs the accuracy as ``acc``."""
        epochs = _epochs(epochs, nb_epoch, KERAS1_DEFAULT_EPOCHS)
        if show_accuracy:
            self._show_accuracy()
        return super().fit(x, y, batch_size=batch_size, epochs=epochs, verbose=verbose, callbacks=callbacks,
                           validation_split=validation_split, validation_data=validation_data, shuffle=shuffle,
                           class_weight=class_weight, sample_weight=sample_weight, initial_epoch=initial_epoch,
                           steps_per_epoch=steps_per_epoch, validation_steps=validation_steps, **kwargs)

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, sample_weight=None, steps=None, callbacks=None,
                 return_dict=False, *, show_accuracy=False):
        """The loss, or ``[loss, acc]`` with ``show_accuracy=True`` (or the loss and compiled metrics)."""
        if show_accuracy:
            self._show_accuracy()
        logs = super().evaluate(x, y, batch_size=batch_size, verbose=verbose, sample_weight=sample_weight,
                                steps=steps, callbacks=callbacks, return_dict=True)
        return logs if return_dict else self._keras1_result(logs, show_accuracy)

    def predict(self, x, batch_size=None, verbose=0, steps=None, callbacks=None):
        """Keras 3's ``predict``, silent by default as in Keras 1."""
        return super().predict(x, batch_size=batch_size, verbose=verbose, steps=steps, callbacks=callbacks)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False, *,
                       accuracy=False):
        """One update; Keras 0.3's ``accuracy=True`` also returns the batch accuracy."""
        if accuracy:
            self._show_accuracy()
        logs = super().train_on_batch(x, y, sample_weight=sample_weight, class_weight=class_weight, return_dict=True)
        return logs if return_dict else self._keras1_result(logs, accuracy)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False, *, accuracy=False):
        if accuracy:
            self._show_accuracy()
        logs = super().test_on_batch(x, y, sample_weight=sample_weight, return_dict=True)
        return logs if return_dict else self._keras1_result(logs, accuracy)

    def predict_proba(self, x, batch_size=None, verbose=0):
        """``predict``, warning when the outputs are not probabilities (Keras 1's check)."""
        warn_old_spelling("predict_proba(x)", "predict(x)")
        probabilities = self.predict(x, batch_size=batch_size, verbose=verbose)
        if probabilities.min() < 0.0 or probabilities.max() > 1.0:
            warnings.warn("Network returning invalid probability values. The last layer might not normalize "
                          "predictions into probabilities (like softmax or sigmoid would).", stacklevel=2)
        return probabilities

    def predict_classes(self, x, batch_size=None, verbose=0):
        """The predicted class of each sample: the argmax of several outputs, ``int32(p > 0.5)`` of one
        (``class_mode`` decides when given)."""
        warn_old_spelling("predict_classes(x)", "np.argmax(predict(x), axis=-1) or (predict(x) > 0.5)")
        probabilities = self.predict(x, batch_size=batch_size, verbose=verbose)
        categorical = self._class_mode == "categorical" if self._class_mode else probabilities.shape[-1] > 1
        if categorical:
            return probabilities.argmax(axis=-1)
        return (probabilities > 0.5).astype("int32")

    # -- generators ------------------------------------------------------------------------------
    def _keras1_batches(self, stream):
        """The batches of a Keras 1 generator as ``fit`` reads them (``Graph`` splits its dicts)."""
        return stream

    def fit_generator(self, generator, steps_per_epoch=None, epochs=None, verbose=1, callbacks=None,
                      validation_data=None, validation_steps=None, class_weight=None, max_queue_size=10, workers=1,
                      use_multiprocessing=False, shuffle=True, initial_epoch=0, *, samples_per_epoch=None,
                      nb_epoch=None, nb_val_samples=None, show_accuracy=False, **keras1_workers):
        """``fit`` on a generator of ``(x, y)`` or ``(x, y, sample_weight)`` batches.

        Keras 1's ``samples_per_epoch``/``nb_val_samples`` count samples (turned into batches from the
        first batch's size); Keras 2's ``steps_per_epoch``/``validation_steps`` (also the second positional
        argument, as Keras 2 read it) count batches. Queue and worker arguments are accepted and ignored."""
        warn_old_spelling("fit_generator(generator, ...)", "fit(generator, ...)")
        _ignore_worker_arguments("fit_generator", keras1_workers)
        epochs = _epochs(epochs, nb_epoch, 1)
        if samples_per_epoch is not None:
            steps_per_epoch, generator = _steps_from_samples(generator, samples_per_epoch, "samples_per_epoch",
                                                             "steps_per_epoch")
        if _is_stream(validation_data) and nb_val_samples is not None:
            validation_steps, validation_data = _steps_from_samples(validation_data, nb_val_samples,
                                                                    "nb_val_samples", "validation_steps")
        if _is_stream(validation_data):
            validation_data = self._keras1_batches(validation_data)
        return _Keras1Training.fit(self, self._keras1_batches(generator), epochs=epochs, verbose=verbose,
                                   callbacks=callbacks, validation_data=validation_data, class_weight=class_weight,
                                   initial_epoch=initial_epoch, steps_per_epoch=steps_per_epoch,
                                   validation_steps=validation_steps, show_accuracy=show_accuracy)

    def evaluate_generator(self, generator, steps=None, max_queue_size=10, workers=1, use_multiprocessing=False,
                           verbose=0, *, val_samples=None, show_accuracy=False, **keras1_workers):
        """``evaluate`` on a generator: ``steps`` batches, or Keras 1's ``val_samples`` samples."""
        warn_old_spelling("evaluate_generator(generator, ...)", "evaluate(generator, ...)")
        _ignore_worker_arguments("evaluate_generator", keras1_workers)
        if val_samples is not None:
            steps, generator = _steps_from_samples(generator, val_samples, "val_samples", "steps")
        return _Keras1Training.evaluate(self, self._keras1_batches(generator), steps=steps, verbose=verbose,
                                        show_accuracy=show_accuracy)

    def predict_generator(self, generator, steps=None, max_queue_size=10, workers=1, use_multiprocessing=False,
                          verbose=0, *, val_samples=None, **keras1_workers):
        """``predict`` on a generator of input batches: ``steps`` batches, or Keras 1's ``val_samples``."""
        warn_old_spelling("predict_generator(generator, ...)", "predict(generator, ...)")
        _ignore_worker_arguments("predict_generator", keras1_workers)
        if val_samples is not None:
            steps, generator = _steps_from_samples(generator, val_samples, "val_samples", "steps")
        return _Keras1Training.predict(self, self._keras1_batches(generator), steps=steps, verbose=verbose)

    # -- steps: code that runs, so K calls on Variables in a loss or constraint compute at once ----
    def train_step(self, data):
        with running():
            return super().train_step(data)

    def test_step(self, data):
        with running():
            return super().test_step(data)

    def predict_step(self, data):
        with running():
            return super().predict_step(data)

    # -- Keras 0.3's graph access ----------------------------------------------------------------
    def get_input(self, train=False):
        """The model's symbolic input(s) (``train`` is ignored: the tensor is the same)."""
        warn_old_spelling("model.get_input(train=...)", "model.input")
        return self.input

    def get_output(self, train=False):
        """The model's symbolic output(s); ``K.function`` with ``K.learning_phase()`` picks the phase."""
        warn_old_spelling("model.get_output(train=...)", "model.output")
        return self.output


class Sequential(graph_access.MarksCurrentNodes, _Keras1Training, models.Sequential):
    """lamina's ``Sequential`` with the Keras 1 training API (see ``_Keras1Training``); each layer's ``output``
    is its node in the model's current graph, as Keras 1's (see ``graph_access``)."""


def _keras1_model_arguments(kwargs: dict, warn: bool) -> dict:
    """``Model(input=..., output=...)``: Keras 1's names of ``inputs``/``outputs``."""
    kwargs = dict(kwargs)
    for old, modern in (("input", "inputs"), ("output", "outputs")):
        if old in kwargs:
            if warn:
                warn_old_spelling(f"Model({old}=...)", f"Model({modern}=...)", stacklevel=4)
            kwargs[modern] = kwargs.pop(old)
    return kwargs


class Model(_Keras1Training, models.Model):
    """lamina's ``Model`` with the Keras 1 training API; ``Model(input=a, output=b)`` builds a functional
    model (an instance of ``Functional`` below, itself a subclass of this class)."""

    def __new__(cls, *args, **kwargs):
        modern = _keras1_model_arguments(kwargs, warn=False)
        if cls is Model and ("inputs" in modern or args):
            return models.Model.__new__(Functional, *args, **modern)
        return super().__new__(cls, *args, **modern)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_keras1_model_arguments(kwargs, warn=True))


class Functional(Model, models.Functional):
    """A functional model (``Model(inputs, outputs)``) with the Keras 1 training API."""


# -- Graph ----------------------------------------------------------------------------------------
class Graph(_Keras1Training, models.Model):
    """Keras 0.3/1's ``Graph``: named inputs, nodes and outputs; data given as one dict by name.

    Each ``add_node`` calls its layer on the named node(s) at once (merging several by ``merge_mode`` with
    Keras 1's ``merge``: concat, sum, mul, ave, max, dot, cos), so a ``Graph`` is a lamina functional model
    whose inputs and outputs are dicts keyed by name. ``fit``, ``evaluate`` and ``train_on_batch`` take one
    dict holding the inputs and the targets; ``predict`` returns a dict by output name.
    """

    def __init__(self, name=None, **kwargs):
        warn_old_spelling("Graph()", "Model(inputs={...}, outputs={...})")
        super().__init__(name=name, **kwargs)
        self._named_inputs = {}
        self._named_tensors = {}
        self._named_outputs = {}
        object.__setattr__(self, "_view", None)

    # -- building --------------------------------------------------------------------------------
    def _claim(self, name: str) -> None:
        if name in self._named_tensors:
            raise ValueError(f"Duplicate node identifier: {name!r} is already a node or input of this Graph.")
        object.__setattr__(self, "_view", None)

    def _tensor(self, name: str):
        if name not in self._named_tensors:
            raise ValueError(f"Unknown node/input identifier: {name!r}. Known: {sorted(self._named_tensors)}")
        return self._named_tensors[name]

    def _incoming(self, input, inputs, merge_mode, concat_axis, dot_axes, merge_name):
        if input:
            return self._tensor(input)
        if inputs:
            return merge([self._tensor(name) for name in inputs], merge_mode, concat_axis, dot_axes, name=merge_name)
        raise ValueError("Give the name of the incoming node as `input`, or several as `inputs`.")

    def add_input(self, name: str, input_shape=None, batch_input_shape=None, dtype: str = "float") -> None:
        """A named input: ``input_shape`` without the batch axis, or ``batch_input_shape`` with it;
        ``dtype`` "float" or "int"."""
        self._claim(name)
        dtype = "int32" if dtype.startswith("int") else None
        if batch_input_shape is not None:
            tensor = Input(batch_shape=tuple(batch_input_shape), dtype=dtype, name=name)
        else:
            tensor = Input(shape=tuple(input_shape), dtype=dtype, name=name)
        self._named_inputs[name] = self._named_tensors[name] = tensor

    def add_node(self, layer, name: str, input=None, inputs=(), merge_mode: str = "concat", concat_axis: int = -1,
                 dot_axes=-1, create_output: bool = False) -> None:
        """Call ``layer`` (renamed ``name``) on the node ``input``, or on ``inputs`` merged by ``merge_mode``
        (concat, sum, mul, ave, max, dot, cos); ``create_output`` also makes it an output named ``name``."""
        self._claim(name)
        layer.name = name
        incoming = self._incoming(input, inputs, merge_mode, concat_axis, dot_axes, f"merge_inputs_for_{name}")
        self._named_tensors[name] = layer(incoming)
        self._track_layer(layer, key=name)
        if create_output:
            self.add_output(name, input=name)

    def add_shared_node(self, layer, name: str, inputs=(), merge_mode=None, concat_axis: int = -1, dot_axes=-1,
                        outputs=(), create_output: bool = False) -> None:
        """Call one ``layer`` on each of ``inputs``: the results merged into node ``name`` by ``merge_mode``,
        or (``merge_mode=None``) kept apart as the nodes named in ``outputs``."""
        self._claim(name)
        layer.name = f"input_for_{name}" if merge_mode else name
        results = [layer(self._tensor(node)) for node in inputs]
        self._track_layer(layer, key=layer.name)
        if merge_mode:
            self._named_tensors[name] = merge(results, merge_mode, concat_axis, dot_axes, name=name)
            names = [name]
        else:
            if len(outputs) != len(inputs):
                raise ValueError(f"With merge_mode=None, give one name in `outputs` per input. Received: "
                                 f"inputs={list(inputs)}, outputs={list(outputs)}")
            for output_name, result in zip(outputs, results):
                self._claim(output_name)
                self._named_tensors[output_name] = result
            names = list(outputs)
        if create_output:
            for output_name in names:
                self.add_output(output_name, input=output_name)

    def add_output(self, name: str, input=None, inputs=(), merge_mode: str = "concat", concat_axis: int = -1,
                   dot_axes=-1) -> None:
        """An output named ``name``: the node ``input``, or ``inputs`` merged by ``merge_mode``."""
        if name in self._named_outputs:
            raise ValueError(f"Duplicate output identifier: {name!r}")
        merge_name = name if name not in self._named_tensors else f"merge_for_output_{name}"
        self._named_outputs[name] = self._incoming(input, inputs, merge_mode, concat_axis, dot_axes, merge_name)
        object.__setattr__(self, "_view", None)

    def _graph(self):
        """The lamina functional model over the named inputs and outputs (rebuilt after additions)."""
        if self._view is None:
            if not self._named_inputs or not self._named_outputs:
                raise ValueError(f"Graph '{self.name}' needs at least one input and one output.")
            view = models.Functional(dict(self._named_inputs), dict(self._named_outputs), name=f"{self.name}_graph")
            object.__setattr__(self, "_view", view)  # a view over our own layers, not a sublayer
            self.built = True
        return self._view

    def call(self, inputs, training=None):
        return self._graph().call(inputs, training=training)

    def compute_output_spec(self, inputs, training=None):
        return self._graph().compute_output_spec(inputs, training=training)

    @property
    def input_names(self) -> list:
        return sorted(self._named_inputs)

    @property
    def output_names(self) -> list:
        return sorted(self._named_outputs)

    @property
    def input(self):
        return dict(self._named_inputs)

    @property
    def output(self):
        return dict(self._named_outputs)

    @property
    def _outputs_struct(self):
        return self.output

    # -- one dict of data ------------------------------------------------------------------------
    def _split(self, data: dict, targets: bool = True):
        """``(inputs, targets)`` from one dict holding both by name (targets None if it has none)."""
        missing = [name for name in self._named_inputs if name not in data]
        if missing:
            raise ValueError(f"Expected to be provided an array (in dict argument `data`) for input(s) {missing}.")
        x = {name: data[name] for name in self._named_inputs}
        if not targets or not any(name in data for name in self._named_outputs):
            return x, None
        missing = [name for name in self._named_outputs if name not in data]
        if missing:
            raise ValueError(f"Expected to be provided an array (in dict argument `data`) for output(s) {missing}.")
        return x, {name: data[name] for name in self._named_outputs}

    def _keras1_batches(self, stream):
        """Graph generators yield a dict, or ``(dict, sample_weight)``."""
        for batch in stream:
            if isinstance(batch, tuple):
                yield (*self._split(batch[0]), *batch[1:])
            else:
                x, y = self._split(batch)
                yield x if y is None else (x, y)

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, sample_weight_modes=None, loss_weights=None,
                **kwargs):
        """``loss`` is a dict ``{output name: loss}``; ``sample_weight_modes`` is Keras 1's per-output
        ``sample_weight_mode``."""
        self._graph()
        super().compile(optimizer, loss, metrics=metrics, loss_weights=loss_weights,
                        sample_weight_mode=sample_weight_modes, **kwargs)

    def fit(self, data, batch_size=None, epochs=None, verbose=1, callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0, *,
            nb_epoch=None, show_accuracy=False, **kwargs):
        """Train on one dict of inputs and targets by name (``validation_data`` likewise)."""
        x, y = self._split(data)
        if isinstance(validation_data, dict):
            validation_data = self._split(validation_data)
        return super().fit(x, y, batch_size=batch_size, epochs=epochs, verbose=verbose, callbacks=callbacks,
                           validation_split=validation_split, validation_data=validation_data, shuffle=shuffle,
                           class_weight=class_weight, sample_weight=sample_weight, initial_epoch=initial_epoch,
                           nb_epoch=nb_epoch, show_accuracy=show_accuracy, **kwargs)

    def evaluate(self, data, batch_size=None, verbose=0, sample_weight=None, *, show_accuracy=False, **kwargs):
        """The loss (or loss and metrics) on one dict of inputs and targets."""
        x, y = self._split(data)
        return super().evaluate(x, y, batch_size=batch_size, verbose=verbose, sample_weight=sample_weight,
                                show_accuracy=show_accuracy, **kwargs)

    def predict(self, data, batch_size=None, verbose=0, **kwargs) -> dict:
        """A dict by output name (``data`` may also hold the targets: only the inputs are read)."""
        if isinstance(data, dict):
            data = self._split(data, targets=False)[0]
        return super().predict(data, batch_size=batch_size, verbose=verbose, **kwargs)

    def train_on_batch(self, data, class_weight=None, sample_weight=None, *, accuracy=False, **kwargs):
        x, y = self._split(data)
        return super().train_on_batch(x, y, sample_weight=sample_weight, class_weight=class_weight,
                                      accuracy=accuracy, **kwargs)

    def test_on_batch(self, data, sample_weight=None, *, accuracy=False, **kwargs):
        x, y = self._split(data)
        return super().test_on_batch(x, y, sample_weight=sample_weight, accuracy=accuracy, **kwargs)

    def predict_on_batch(self, data) -> dict:
        return super().predict_on_batch(self._split(data, targets=False)[0])


# Files load into the classes above, so that Keras 1 code goes on to train the model the old way.
_KERAS1_MODELS = {"Sequential": Sequential, "Model": Functional, "Functional": Functional}


def _with_keras1_models(custom_objects) -> dict:
    return {**_KERAS1_MODELS, **(custom_objects or {})}


def model_from_json(json_string: str, custom_objects=None):
    """A model from a Keras 1/2 (or Keras 3) JSON architecture (``lamina.legacy.saving``)."""
    return saving.model_from_json(json_string, custom_objects=_with_keras1_models(custom_objects))


def model_from_yaml(yaml_string: str, custom_objects=None):
    """A model from a Keras 1/2 YAML architecture (``lamina.legacy.saving``)."""
    return saving.model_from_yaml(yaml_string, custom_objects=_with_keras1_models(custom_objects))


def load_model(filepath, custom_objects=None, compile: bool = True):
    """A whole model from a Keras 1/2 HDF5 file (``lamina.legacy.saving``)."""
    return saving.load_model(filepath, custom_objects=_with_keras1_models(custom_objects), compile=compile)


__all__ = ["Sequential", "Model", "Graph", "model_from_json", "model_from_yaml", "load_model"]
