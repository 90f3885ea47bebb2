"""How a model's outputs are laid out: their flat order, their names, and how targets line up with them.

A model may return one tensor, a list or tuple, a dict, or any nesting of those. Training works on the
flat leaves (``tree.flatten`` order). Each leaf gets a name used in log keys, as Keras names them: the
output layer's name for a list of outputs, the key for a dict, ``"a/b"`` for nested dicts, ``"0/a"`` for the
loss of layer ``a`` inside the first list of a nested list (its metrics are still called ``a_...``). Targets and
sample weights given as one array, a flat list, a dict keyed by output name or the outputs' own nested
structure are matched to the leaves here.
"""

from __future__ import annotations

from lamina import tree


def leaf_paths(structure, prefix=()) -> list[tuple]:
    """The path (keys and indices) of every leaf of ``structure``, in ``tree.flatten`` order."""
    if isinstance(structure, dict):
        return [path for key in sorted(structure) for path in leaf_paths(structure[key], prefix + (key,))]
    if isinstance(structure, (list, tuple)):
        return [path for i, child in enumerate(structure) for path in leaf_paths(child, prefix + (i,))]
    return [prefix]


def _shape_of(structure) -> str:
    """A structure drawn with ``*`` leaves, for error messages."""
    return repr(tree.map_structure(lambda _: "*", structure)).replace("'*'", "*")


class OutputLayout:
    """The leaves of one output structure, named.

    Args:
        y_pred: the model's output for a batch (real or symbolic tensors).
        layer_names: the output layers' names in flat order (a functional model's ``output_names``), if known.
    """

    def __init__(self, y_pred, layer_names=None):
        self.structure = tree.map_structure(lambda _: None, y_pred)
        self.paths = leaf_paths(y_pred)
        count = len(self.paths)
        layer_names = list(layer_names or [])
        if len(layer_names) != count or len(set(layer_names)) != count:
            layer_names = ["output"] if count == 1 else [f"output_{i + 1}" for i in range(count)]
        self.names = [self._leaf_name(path, layer) for path, layer in zip(self.paths, layer_names, strict=True)]
        # Metric log keys use the output layer's name, except for dict outputs (their keys), as in Keras.
        self.metric_names = self.names if isinstance(y_pred, dict) else layer_names
        self.nested = tree.is_nested(y_pred)

    @staticmethod
    def _leaf_name(path: tuple, layer_name: str) -> str:
        """Keras' name for a leaf: its path, with a trailing list index replaced by the layer's name."""
        if not path or isinstance(path[-1], int):
            path = path[:-1] + (layer_name,)
        return "/".join(str(part) for part in path)

    def __len__(self) -> int:
        return len(self.paths)

    def match(self, data, what: str, needed: list[bool] | None = None) -> list:
        """``data`` (targets or sample weights) as a list aligned with the leaves; ``None`` where absent.

        A single array goes to a single output (sample weights: to every output). ``needed`` marks the
        outputs that have a loss: a flat list with one entry per such output fills only those, as Keras allows.
        """
        count = len(self.paths)
        if data is None:
            return [None] * count
        if not tree.is_nested(data):
            if count == 1 or what == "sample_weight":
                return [data] * count
            if needed is not None and sum(needed) == 1:
                return [data if flag else None for flag in needed]
            raise self._mismatch(data, what)
        if isinstance(data, dict):
            return self._match_dict(data, what)
        flat = tree.flatten(data)
        if len(flat) == count:
            return flat
        if needed is not None and len(flat) == sum(needed):
            values = iter(flat)
            return [next(values) if flag else None for flag in needed]
        raise self._mismatch(data, what)

    def _match_dict(self, data: dict, what: str) -> list:
        """Dict data by path (nested dict outputs) or by output name (list outputs)."""
        if isinstance(self.structure, dict):
            found = [self._lookup(data, path) for path in self.paths]
        else:
            found = [data.get(name) for name in self.names]
        unknown = sorted(set(data) - {path[0] for path in self.paths if path} - set(self.names), key=str)
        if unknown or all(value is None for value in found):
            raise ValueError(
                f"Unknown key(s) {unknown or sorted(data, key=str)} in `{what}`: keys must be the model's output "
                f"names {self.names}. Received: {what} with keys {sorted(data, key=str)}"
            )
        return found

    @staticmethod
    def _lookup(data, path: tuple):
        for part in path:
            try:
                data = data[part]
            except (KeyError, IndexError, TypeError):
                return None
        return data

    def _mismatch(self, data, what: str) -> ValueError:
        return ValueError(
            f"{'y_true' if what == 'y' else what} and y_pred have different structures.\n"
            f"{'y_true' if what == 'y' else what}: {_shape_of(data)}\ny_pred: {_shape_of(self.structure)}\n"
            f"The model's outputs are {self.names}."
        )
