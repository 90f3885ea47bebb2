"""What ``compile`` turns losses and metrics into: per-output objects, built on the first batch.

``CompiledLoss`` maps one loss, a list or a dict onto the model's outputs and sums them with
``loss_weights``; with several outputs it also tracks each output's loss (``toxic_loss``). ``CompiledMetrics``
does the same for metrics and resolves ``"accuracy"``/``"crossentropy"`` to the binary, categorical or
sparse variant from the loss and the shapes, as Keras does. Log keys follow Keras: ``loss``,
``toxic_loss``, ``toxic_auc``.
"""

from __future__ import annotations

from lamina import losses as losses_module
from lamina import metrics as metrics_module
from lamina import ops, tree

_ACCURACY_NAMES = ("accuracy", "acc")
_CROSSENTROPY_NAMES = ("crossentropy", "ce")


def flatten_by_output(structure, output_names, what):
    """A list with one entry per output, from a single value, a list or a dict keyed by output name."""
    if isinstance(structure, dict):
        unknown = sorted(set(structure) - set(output_names))
        if unknown:
            raise ValueError(f"Unknown output name(s) {unknown} in `{what}`. The model's outputs are {output_names}.")
        return [structure.get(name) for name in output_names]
    if isinstance(structure, (list, tuple)) and len(output_names) > 1:
        if len(structure) != len(output_names):
            raise ValueError(
                f"`{what}` has {len(structure)} entries but the model has {len(output_names)} outputs "
                f"{output_names}."
            )
        return list(structure)
    return [structure] * len(output_names)


def _name_of(identifier, default):
    if isinstance(identifier, str):
        return identifier
    name = getattr(identifier, "name", None) or getattr(identifier, "__name__", None)
    return name or default


def _loss_kind(loss) -> str | None:
    """'binary', 'categorical' or 'sparse' for crossentropy-family losses, else None."""
    if loss is None:
        return None
    words = f"{_name_of(loss, '')} {type(loss).__name__}".lower()
    if words.startswith("bce"):
        return "binary"
    for kind in ("sparse", "binary", "categorical"):
        if kind in words:
            return kind
    return None


def _resolve_kind(loss, y_true, y_pred) -> str:
    kind = _loss_kind(loss)
    if kind:
        return kind
    if y_pred.shape[-1] == 1:
        return "binary"
    if len(y_true.shape) < len(y_pred.shape) or (len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1):
        return "sparse"
    return "categorical"


def _resolve_metric(identifier, loss, y_true, y_pred):
    """A Metric object for one compile entry, named as the user wrote it."""
    if isinstance(identifier, str) and identifier in _ACCURACY_NAMES:
        kind = _resolve_kind(loss, y_true, y_pred)
        cls = {"binary": metrics_module.BinaryAccuracy, "sparse": metrics_module.SparseCategoricalAccuracy,
               "categorical": metrics_module.CategoricalAccuracy}[kind]
        return cls(name=identifier)
    if isinstance(identifier, str) and identifier in _CROSSENTROPY_NAMES:
        kind = _resolve_kind(loss, y_true, y_pred)
        cls = {"binary": metrics_module.BinaryCrossentropy, "sparse": metrics_module.SparseCategoricalCrossentropy,
               "categorical": metrics_module.CategoricalCrossentropy}[kind]
        return cls(name=identifier)
    metric = metrics_module.get(identifier)
    if not isinstance(metric, metrics_module.Metric):
        metric = metrics_module.MeanMetricWrapper(metric, name=_name_of(identifier, "metric"))
    elif isinstance(identifier, str):
        metric.name = identifier
    return metric


class CompiledLoss:
    """The total loss of a model from its compile arguments, with per-output loss trackers."""

    def __init__(self, loss, loss_weights=None, output_names=None):
        self.loss = loss
        self.loss_weights = loss_weights
        self.output_names = list(output_names or ["output"])
        self.built = False

    def build(self):
        names = self.output_names
        entries = flatten_by_output(self.loss, names, "loss")
        weights = flatten_by_output(self.loss_weights, names, "loss_weights") if self.loss_weights is not None \
            else [1.0] * len(names)
        self.losses = [None if entry is None else _as_loss_object(entry) for entry in entries]
        self.weights = [1.0 if w is None else float(w) for w in weights]
        self.trackers = []
        if sum(loss is not None for loss in self.losses) > 1:
            self.trackers = [metrics_module.Mean(name=f"{name}_loss") if loss is not None else None
                             for name, loss in zip(names, self.losses)]
        self.built = True

    def entries_for(self, index):
        """The loss identifier compile gave for output ``index`` (for resolving "accuracy")."""
        return flatten_by_output(self.loss, self.output_names, "loss")[index]

    def __call__(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build()
        total = None
        for index, (loss, weight) in enumerate(zip(self.losses, self.weights)):
            if loss is None or y_true[index] is None:
                continue
            value = loss(y_true[index], y_pred[index], sample_weight=sample_weight[index])
            if self.trackers:
                self.trackers[index].update_state(value)
            value = value * weight if weight != 1.0 else value
            total = value if total is None else total + value
        if total is None:
            raise ValueError("No loss to compute: compile() was given no loss for any output that has a target.")
        return total

    @property
    def metrics(self) -> list:
        return [tracker for tracker in getattr(self, "trackers", []) if tracker is not None]


def _as_loss_object(identifier):
    loss = losses_module.get(identifier)
    if isinstance(loss, losses_module.Loss):
        return loss
    if callable(loss):
        return losses_module.LossFunctionWrapper(loss, name=_name_of(identifier, "loss"))
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


class CompiledMetrics:
    """Metrics per output from compile's ``metrics`` and ``weighted_metrics``; built on the first batch."""

    def __init__(self, metrics=None, weighted_metrics=None, output_names=None, compiled_loss=None):
        self.metrics_arg = metrics
        self.weighted_metrics_arg = weighted_metrics
        self.output_names = list(output_names or ["output"])
        self.compiled_loss = compiled_loss
        self.built = False
        self.metrics_per_output = []
        self.weighted_per_output = []

    def _per_output(self, argument, what):
        names = self.output_names
        if argument is None:
            return [[] for _ in names]
        if isinstance(argument, dict):
            per_output = flatten_by_output(argument, names, what)
        elif (isinstance(argument, (list, tuple)) and len(names) > 1 and len(argument) == len(names)
              and all(isinstance(item, (list, tuple)) or item is None for item in argument)):
            per_output = list(argument)
        else:
            per_output = [argument] * len(names)
        return [[] if entry is None else list(entry) if isinstance(entry, (list, tuple)) else [entry]
                for entry in per_output]

    def build(self, y_true, y_pred):
        several = len(self.output_names) > 1
        loss_entries = [self.compiled_loss.entries_for(i) if self.compiled_loss else None
                        for i in range(len(self.output_names))]

        def make(argument, what):
            built = []
            for index, entries in enumerate(self._per_output(argument, what)):
                output_metrics = []
                for entry in entries:
                    metric = _resolve_metric(entry, loss_entries[index], y_true[index], y_pred[index])
                    if several:
                        metric.name = f"{self.output_names[index]}_{metric.name}"
                    output_metrics.append(metric)
                built.append(output_metrics)
            return built

        self.metrics_per_output = make(self.metrics_arg, "metrics")
        self.weighted_per_output = make(self.weighted_metrics_arg, "weighted_metrics")
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight):
        if not self.built:
            self.build(y_true, y_pred)
        for index, output_metrics in enumerate(self.metrics_per_output):
            if y_true[index] is not None:
                for metric in output_metrics:
                    metric.update_state(y_true[index], y_pred[index])
        for index, output_metrics in enumerate(self.weighted_per_output):
            if y_true[index] is not None:
                for metric in output_metrics:
                    metric.update_state(y_true[index], y_pred[index], sample_weight=sample_weight[index])

    @property
    def metrics(self) -> list:
        return [m for group in self.metrics_per_output + self.weighted_per_output for m in group]


def match_outputs(y, y_pred, sample_weight, output_names):
    """Targets, predictions and sample weights as three lists aligned with ``output_names``."""
    count = len(output_names)
    if isinstance(y_pred, dict):
        y_pred_list = [y_pred[name] for name in output_names]
    else:
        y_pred_list = tree.flatten(y_pred) if count > 1 else [y_pred]
    if count == 1:
        y_list = [y[output_names[0]] if isinstance(y, dict) and output_names[0] in y else
                  (y[0] if isinstance(y, (list, tuple)) and len(y) == 1 else y)]
    else:
        y_list = flatten_by_output(y, output_names, "y") if y is not None else [None] * count
    if sample_weight is None or not (isinstance(sample_weight, dict) or isinstance(sample_weight, (list, tuple))
                                     and count > 1):
        weight_list = [sample_weight] * count
    else:
        weight_list = flatten_by_output(sample_weight, output_names, "sample_weight")
    y_list = [None if t is None else ops.convert_to_tensor(t) for t in y_list]
    return y_list, y_pred_list, weight_list
