"""What ``compile`` turns losses and metrics into: per-output objects, built on the first batch.

The rules follow Keras 3. ``loss`` is one loss (applied to every output), or a structure mirroring the
outputs (a flat list with one entry per output, a dict keyed by output name, the outputs' own nesting);
a list given to a single output applies each of its losses. ``loss_weights`` mirrors ``loss`` (or is a flat
list with one weight per loss). ``metrics`` and ``weighted_metrics`` are a list (one output: its metrics;
several outputs: one entry, or list of entries, per output) or a dict keyed by output name. The strings
``"accuracy"``/``"crossentropy"`` resolve to the binary, categorical or sparse variant from the loss and the
shapes. Log keys follow Keras: ``loss``, ``toxic_loss``, ``toxic_auc``; a repeated name gets ``_1``, a
weighted metric that repeats an unweighted one is called ``weighted_<name>``.
"""

from __future__ import annotations

import numbers

from lamina import losses as losses_module
from lamina import metrics as metrics_module
from lamina import ops, tree
from lamina.training.output_layout import OutputLayout, leaf_paths

_ACCURACY_NAMES = ("accuracy", "acc")
_CROSSENTROPY_NAMES = ("crossentropy", "ce")


def _name_of(identifier, default):
    if isinstance(identifier, str):
        return identifier
    name = getattr(identifier, "name", None) or getattr(identifier, "__name__", None)
    return name or default


def _loss_kind(loss) -> str | None:
    """'binary', 'categorical' or 'sparse' for crossentropy-family losses, else None."""
    if loss is None or (isinstance(loss, str) and loss.lower() in _CROSSENTROPY_NAMES):
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


def _as_loss_object(identifier, y_true, y_pred):
    """A Loss object for one compile entry (``"crossentropy"``/``"ce"`` resolved from the shapes)."""
    if isinstance(identifier, str) and identifier.lower() in _CROSSENTROPY_NAMES:
        kind = _resolve_kind(None, y_true, y_pred)
        loss = {"binary": losses_module.binary_crossentropy, "sparse": losses_module.sparse_categorical_crossentropy,
                "categorical": losses_module.categorical_crossentropy}[kind]
    else:
        loss = losses_module.get(identifier)
    if isinstance(loss, losses_module.Loss):
        return loss
    if callable(loss):
        return losses_module.LossFunctionWrapper(loss, name=_name_of(identifier, "loss"))
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


def _is_function_like(value) -> bool:
    return value is None or isinstance(value, str) or callable(value)


def _unique_name(name: str, taken: dict) -> str:
    """``name``, or ``name_1``, ``name_2``... when already taken (``taken`` counts the uses)."""
    if name not in taken:
        taken[name] = 1
        return name
    index = taken[name]
    taken[name] += 1
    return f"{name}_{index}"


# -- losses --------------------------------------------------------------------------------------
class _Weighted:
    """One compile loss entry with its weight (``None``: unweighted)."""

    __slots__ = ("identifier", "weight")

    def __init__(self, identifier, weight):
        self.identifier, self.weight = identifier, weight


def _check_loss_weights(loss_weights) -> None:
    if loss_weights is not None and not isinstance(loss_weights, (list, tuple, dict, numbers.Real)):
        raise ValueError(
            "Expected `loss_weights` argument to be a float (single output case) or a list, tuple, or dict "
            f"(multiple output case). Received instead: loss_weights={loss_weights} of type {type(loss_weights)}"
        )


def _with_weights(loss, loss_weights):
    """``loss`` with each leaf paired with its weight: ``loss_weights`` mirrors ``loss`` or lists one per loss."""
    if loss_weights is None:
        return tree.map_structure(lambda entry: None if entry is None else _Weighted(entry, None), loss)
    try:
        tree.assert_same_structure(loss, loss_weights)
    except ValueError:
        flat_weights = tree.flatten(loss_weights)
        if len(tree.flatten(loss)) != len(flat_weights):
            raise ValueError(
                f"`loss_weights` must match the number of losses, got {len(tree.flatten(loss))} losses and "
                f"{len(flat_weights)} weights. Received: loss_weights={loss_weights}"
            ) from None
        loss_weights = tree.pack_sequence_as(loss, flat_weights)
    return tree.map_structure(lambda entry, weight: None if entry is None else _Weighted(entry, weight),
                              loss, loss_weights)


def _assign(entry, node, path, per_leaf: dict) -> None:
    """Place the weighted loss structure ``entry`` onto the outputs below ``node`` (the skeleton at ``path``)."""
    if entry is None:
        return
    leaves = leaf_paths(node, path)
    if isinstance(entry, _Weighted):
        for leaf in leaves:
            per_leaf[leaf].append(entry)
        return
    if isinstance(entry, (list, tuple)):
        if len(entry) == len(leaves) and all(item is None or isinstance(item, _Weighted) for item in entry):
            for item, leaf in zip(entry, leaves, strict=True):  # one loss per output, in flat order
                if item is not None:
                    per_leaf[leaf].append(item)
            return
        if not isinstance(node, type(entry)):  # several losses for the same output(s): each applies
            for item in entry:
                _assign(item, node, path, per_leaf)
            return
    if isinstance(entry, dict) != isinstance(node, dict) or not tree.is_nested(node):
        raise KeyError(f"The path: {path} in the `loss` argument, can't be found in the model's output (`y_pred`).")
    items = entry.items() if isinstance(entry, dict) else enumerate(entry)
    for key, item in items:
        if item is None:
            continue
        if (key not in node) if isinstance(node, dict) else (key >= len(node)):
            raise KeyError(f"The path: {path + (key,)} in the `loss` argument, can't be found in either the "
                           "model's output (`y_pred`) or in the labels (`y_true`).")
        _assign(item, node[key], path + (key,), per_leaf)


class CompiledLoss:
    """The total loss of a model from its compile arguments, with a loss tracker per loss when there are several."""

    def __init__(self, loss, loss_weights=None):
        _check_loss_weights(loss_weights)
        self.loss = loss
        self.loss_weights = loss_weights
        self.built = False
        self.trackers = []

    def _per_output_entries(self, layout: OutputLayout) -> list[list[_Weighted]]:
        loss, loss_weights = self.loss, self.loss_weights
        if isinstance(loss, dict) and not isinstance(layout.structure, dict):
            if set(loss) != set(layout.names):
                raise ValueError(f"Expected keys {layout.names} in loss dict, but found loss.keys()={list(loss)}")
            loss = [loss[name] for name in layout.names]
            if isinstance(loss_weights, dict):
                loss_weights = [loss_weights.get(name) for name in layout.names]
        weighted = _with_weights(loss, loss_weights)
        per_leaf = {path: [] for path in layout.paths}
        if isinstance(weighted, _Weighted):  # one loss for every output
            weighted = tree.map_structure(lambda _: weighted, layout.structure)
        _assign(weighted, layout.structure, (), per_leaf)
        return [per_leaf[path] for path in layout.paths]

    def build(self, layout: OutputLayout, y_true: list, y_pred: list) -> None:
        """Resolve the losses of every output (``y_true``/``y_pred``: one entry per output, for crossentropy)."""
        self.layout = layout
        self.entries = []  # (output index, Loss, weight)
        for index, entries in enumerate(self._per_output_entries(layout)):
            for entry in entries:
                loss = _as_loss_object(entry.identifier, y_true[index], y_pred[index])
                self.entries.append((index, loss, 1.0 if entry.weight is None else float(entry.weight)))
        taken = {}
        self.trackers = [metrics_module.Mean(name=_unique_name(f"{layout.names[index]}_loss", taken))
                         for index, _, _ in self.entries] if len(self.entries) > 1 else []
        self.built = True

    @property
    def has_loss(self) -> list[bool]:
        """Per output: whether compile gave it a loss (only those need targets)."""
        indices = {index for index, _, _ in self.entries}
        return [index in indices for index in range(len(self.layout))]

    def entries_for(self, index):
        """The first loss compile gave for output ``index`` (for resolving "accuracy"), or None."""
        return next((loss for i, loss, _ in self.entries if i == index), None)

    def __call__(self, y_true: list, y_pred: list, sample_weight: list):
        total = None
        batch_size = None
        for position, (index, loss, weight) in enumerate(self.entries):
            if y_true[index] is None:
                continue
            value = loss(y_true[index], y_pred[index], sample_weight=sample_weight[index])
            if self.trackers:
                batch_size = batch_size or y_pred[index].shape[0]
                self.trackers[position].update_state(value, sample_weight=batch_size)
            value = value * weight if weight != 1.0 else value
            total = value if total is None else total + value
        if total is None:
            raise ValueError("No loss to compute: compile() was given no loss for any output that has a target.")
        return total

    @property
    def metrics(self) -> list:
        return list(self.trackers)


# -- metrics -------------------------------------------------------------------------------------
def _metric_entries(argument, what: str, layout: OutputLayout) -> list[list]:
    """The metric identifiers of each output, from compile's ``metrics`` or ``weighted_metrics``."""
    names, count = layout.metric_names, len(layout)
    if not argument:
        return [[] for _ in names]
    if not isinstance(argument, (list, tuple, dict)):
        raise ValueError(f"Expected `{what}` argument to be a list, tuple, or dict. Received instead: "
                         f"{what}={argument} of type {type(argument)}")
    if isinstance(argument, dict):
        for key in argument:
            if key not in names:
                raise ValueError(f"In the dict argument `{what}`, key '{key}' does not correspond to any model "
                                 f"output. Received:\n{what}={argument}")
        per_output = [argument.get(name) for name in names]
    elif count == 1:
        per_output = [list(argument)]
    else:
        if len(argument) != count:
            raise ValueError(
                f"For a model with multiple outputs, when providing the `{what}` argument as a list, it should have "
                f"as many entries as the model has outputs. Received:\n{what}={argument}\nof length "
                f"{len(argument)} whereas the model has {count} outputs.")
        per_output = list(argument)
    per_output = [[] if entry is None else list(entry) if isinstance(entry, (list, tuple)) else [entry]
                  for entry in per_output]
    for name, entries in zip(names, per_output, strict=True):
        if not all(_is_function_like(entry) for entry in entries):
            raise ValueError(f"Expected all entries in the `{what}` argument (output '{name}') to be metric "
                             f"objects, names or functions. Received instead:\n{what}={argument}")
    return per_output


class CompiledMetrics:
    """Metrics per output from compile's ``metrics`` and ``weighted_metrics``; built on the first batch."""

    def __init__(self, metrics=None, weighted_metrics=None, compiled_loss=None):
        for what, argument in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if argument and not isinstance(argument, (list, tuple, dict)):
                raise ValueError(f"Expected `{what}` argument to be a list, tuple, or dict. Received instead: "
                                 f"{what}={argument} of type {type(argument)}")
        self.metrics_arg = metrics
        self.weighted_metrics_arg = weighted_metrics
        self.compiled_loss = compiled_loss
        self.built = False
        self.metrics_per_output = []
        self.weighted_per_output = []

    def build(self, layout: OutputLayout, y_true: list, y_pred: list) -> None:
        several = len(layout) > 1
        taken = {}
        loss_for = [self.compiled_loss.entries_for(i) if self.compiled_loss else None for i in range(len(layout))]

        def make(argument, what, weighted):
            built = []
            for index, entries in enumerate(_metric_entries(argument, what, layout)):
                prefix = f"{layout.metric_names[index]}_" if several else ""
                output_metrics = []
                for entry in entries:
                    if entry is None:
                        continue
                    metric = _resolve_metric(entry, loss_for[index], y_true[index], y_pred[index])
                    name = prefix + metric.name
                    if weighted and name in taken:
                        name = prefix + "weighted_" + metric.name
                    metric.name = _unique_name(name, taken)
                    output_metrics.append(metric)
                built.append(output_metrics)
            return built

        self.metrics_per_output = make(self.metrics_arg, "metrics", False)
        self.weighted_per_output = make(self.weighted_metrics_arg, "weighted_metrics", True)
        self.built = True

    def update_state(self, y_true: list, y_pred: list, sample_weight: list) -> None:
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


def match_outputs(layout: OutputLayout, y, y_pred, sample_weight, needed=None):
    """Targets, predictions and sample weights as three lists aligned with the layout's outputs."""
    y_list = layout.match(y, "y", needed)
    y_list = [None if t is None else ops.convert_to_tensor(t) for t in y_list]
    return y_list, tree.flatten(y_pred), layout.match(sample_weight, "sample_weight", needed)
