"""``class_weight`` turned into per-batch sample weights, computed on the device from each batch's targets.

Per target the kind is read once from host data (per adapter for arrays, per batch for streams):
- integer labels ``(n,)`` / ``(n, 1)``: the weight of each label, shape ``(n,)``;
- one-hot (or soft) targets ``(n, C)``: the weight of the row's argmax, shape ``(n,)``;
- multi-label binary targets ``(n, L)`` (rows with zero or several ones): per-label weights ``(n, L)``, which the
  losses apply elementwise before their last-axis mean.
Classes missing from the dict weigh 1. An explicit ``sample_weight`` multiplies in (broadcast).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from lamina import backend, config, ops, tree

LABELS, ONE_HOT, MULTI_LABEL = "labels", "one_hot", "multi_label"


def _is_class_dict(mapping) -> bool:
    return isinstance(mapping, dict) and all(
        isinstance(key, numbers.Integral) and isinstance(value, numbers.Real) for key, value in mapping.items()
    )


def _check_class_dict(mapping, output: str | None) -> dict:
    where = "`class_weight`" if output is None else f"`class_weight[{output!r}]`"
    if not _is_class_dict(mapping) or any(key < 0 for key in mapping):
        raise ValueError(f"{where} must map class indices (ints >= 0) to weights. Received: {mapping!r}")
    return {int(key): float(value) for key, value in mapping.items()}


def target_kind(y: np.ndarray, output: str | None = None) -> tuple[str, int]:
    """``(kind, size)`` of a host target array: the kind above and the number of classes its weights need."""
    if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1):
        if y.size and y.min() < 0:
            raise ValueError(f"`class_weight` needs class labels >= 0 for output {output!r}. "
                             f"Received a label {y.min()}")
        return LABELS, int(y.max()) + 1 if y.size else 0
    if y.ndim == 2:
        binary = bool(((y == 0) | (y == 1)).all())
        if binary and bool((y.sum(axis=1) != 1).any()):
            return MULTI_LABEL, y.shape[1]
        return ONE_HOT, y.shape[1]  # one-hot, or soft targets: the weight of the argmax, as Keras
    raise ValueError(
        f"`class_weight` supports targets of shape (n,), (n, 1) or (n, classes). Received targets of shape "
        f"{y.shape} for output {output!r}"
    )


class ClassWeighting:
    """Resolves a ``class_weight`` argument against the targets' structure and weighs batches with it.

    Args:
        class_weight: ``{class: weight}`` for a single output, or ``{output_name: {class: weight}}``.
        output_names: the model's output names, in the order of list-structured targets.
    """

    def __init__(self, class_weight: dict, output_names: list[str] | None = None):
        if not isinstance(class_weight, dict):
            raise ValueError(f"`class_weight` must be a dict. Received: class_weight={class_weight!r}")
        self.class_weight = class_weight
        self.output_names = list(output_names) if output_names is not None else None
        self._tables = {}  # (output position, size, kind) -> weight table on the device

    def _per_output(self, y) -> list:
        """The ``{class: weight}`` dict (or None) of every leaf of ``y``, in ``tree.flatten`` order."""
        if _is_class_dict(self.class_weight):
            if tree.is_nested(y):
                raise ValueError(
                    "The targets have several outputs: `class_weight` must map output names to {class: weight} "
                    f"dicts. Received: class_weight={self.class_weight!r}"
                )
            return [_check_class_dict(self.class_weight, None)]
        if isinstance(y, dict):
            names = sorted(y)
        elif isinstance(y, (list, tuple)):
            names = self.output_names
            if names is None or len(names) != len(y):
                raise ValueError(
                    f"`class_weight` by output name needs the model's output names for list targets: the targets "
                    f"have {len(y)} outputs. Received: output_names={self.output_names!r}"
                )
        else:
            names = (self.output_names or [])[:1]
        unknown = sorted(set(self.class_weight) - set(names), key=str)
        if unknown:
            raise ValueError(
                f"`class_weight` names outputs the model doesn't have: {unknown}. Known outputs: {list(names)}"
            )
        if len(tree.flatten(y)) != len(names):
            raise ValueError("`class_weight` by output name needs exactly one target array per output.")
        return [None if name not in self.class_weight else _check_class_dict(self.class_weight[name], name)
                for name in names]

    def plan(self, y, report: bool = False) -> list:
        """Per target leaf, ``None`` or ``(kind, weight table)``, read from ``y``'s host data. ``report``: warn
        when ``class_weight`` and the classes in ``y`` differ (for whole datasets, not single batches)."""
        if y is None:
            raise ValueError("`class_weight` needs targets: the data has no `y`.")
        plan = []
        for position, (weights, leaf) in enumerate(zip(self._per_output(y), tree.flatten(y))):
            if weights is None:
                plan.append(None)
                continue
            host = leaf if isinstance(leaf, np.ndarray) else backend.convert_to_numpy(leaf)
            kind, size = target_kind(host)
            if report:
                _report_mismatch(weights, _classes_in(host, kind), position if tree.is_nested(y) else None)
            plan.append((kind, self._table(position, weights, kind, size)))
        return plan

    def _table(self, position: int, weights: dict, kind: str, size: int):
        if kind != MULTI_LABEL:
            size = max(size, max(weights) + 1)  # labels beyond the data's classes still index the table
        key = (position, size, kind)
        if key not in self._tables:
            values = np.array([weights.get(i, 1.0) for i in range(size)], dtype=config.floatx())
            self._tables[key] = backend.core.to_device(values)
        return self._tables[key]

    @staticmethod
    def _weights(kind: str, table, y):
        if kind == LABELS:
            return ops.take(table, ops.cast(ops.reshape(y, (-1,)), "int32"), axis=0)
        if kind == ONE_HOT:
            return ops.take(table, ops.argmax(y, axis=-1), axis=0)
        return ops.broadcast_to(table, tuple(y.shape))

    def apply(self, plan: list, y, sample_weight):
        """The batch's sample weights: class weights from ``y`` times ``sample_weight`` (structured like ``y``
        when ``y`` has several outputs; a single ``sample_weight`` then applies to every output)."""
        leaves = tree.flatten(y)
        weights = [None if entry is None else self._weights(entry[0], entry[1], leaf)
                   for entry, leaf in zip(plan, leaves)]
        if not tree.is_nested(y):
            return _combine(sample_weight, weights[0])
        if tree.is_nested(sample_weight):
            tree.assert_same_structure(y, sample_weight)
            given = tree.flatten(sample_weight)
        else:
            given = [sample_weight] * len(leaves)
        return tree.pack_sequence_as(y, [_combine(s, w) for s, w in zip(given, weights)])


def _classes_in(y: np.ndarray, kind: str) -> set:
    """The classes that occur in host targets of ``kind``."""
    if kind == LABELS:
        return {int(c) for c in np.unique(y)}
    if kind == ONE_HOT:
        return {int(c) for c in np.unique(np.argmax(y, axis=-1))}
    return {int(c) for c in np.flatnonzero(y.reshape(-1, y.shape[-1]).any(axis=0))}


def _report_mismatch(weights: dict, present: set, output) -> None:
    """Warn about classes ``class_weight`` names that the targets lack, and classes they have that it omits
    (those weigh 1.0, as in Keras). Checked once, on in-memory targets."""
    where = "" if output is None else f" of output {output}"
    unused = sorted(set(weights) - present)
    if unused:
        warnings.warn(f"`class_weight` names class(es) {unused} that do not occur in the targets{where}: their "
                      f"weights are unused. Classes in the targets: {sorted(present)}", stacklevel=7)
    unweighted = sorted(present - set(weights))
    if unweighted:
        warnings.warn(f"Class(es) {unweighted} occur in the targets{where} but have no entry in `class_weight`: "
                      f"they weigh 1.0. Received: class_weight={weights}", stacklevel=7)


def _combine(sample_weight, class_weights):
    """Product of two weight tensors, the lower-rank one broadcast along trailing axes."""
    if class_weights is None or sample_weight is None:
        return sample_weight if class_weights is None else class_weights
    extra = len(class_weights.shape) - len(sample_weight.shape)
    if extra > 0:
        sample_weight = sample_weight[(...,) + (None,) * extra]
    elif extra < 0:
        class_weights = class_weights[(...,) + (None,) * -extra]
    return ops.multiply(sample_weight, class_weights)
