"""StackedRNNCells: several recurrent cells run as one, each feeding its output to the next."""

from __future__ import annotations

import inspect

from lamina import ops, serialization, tree
from lamina.layers.layer import Layer


def takes_training(cell) -> bool:
    """Whether ``cell.call`` accepts a ``training`` argument."""
    if isinstance(cell, Layer):
        return cell._call_has_training
    return "training" in inspect.signature(cell.call).parameters


def cell_output_size(cell) -> int:
    """The size of ``cell``'s output (its first state's size when it has no ``output_size``)."""
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    return cell.state_size if isinstance(cell.state_size, int) else cell.state_size[0]


def check_cell(cell, owner: str) -> None:
    if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
        raise ValueError(
            f"Invalid value for argument `cell` of {owner}. Expected an object with a `call` method and a "
            f"`state_size` attribute. Received: cell={cell!r}"
        )


class StackedRNNCells(Layer):
    """Wraps a list of cells so that an ``RNN`` runs them as one deep cell.

    Its states are one list per cell (``[[h1, c1], [h2]]`` for an LSTMCell under a GRUCell); its output
    is the last cell's output.

    Args:
        cells: a list of cell instances.

    Example:
        >>> cells = [LSTMCell(8), LSTMCell(4)]
        >>> tuple(RNN(StackedRNNCells(cells))(np.ones((2, 5, 3), "float32")).shape)
        (2, 4)
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(cells, (list, tuple)) or not cells:
            raise ValueError(
                f"Invalid value for argument `cells` of StackedRNNCells. Expected a non-empty list of cells. "
                f"Received: cells={cells!r}"
            )
        for cell in cells:
            check_cell(cell, "StackedRNNCells")
        self.cells = list(cells)
        self._takes_training = [takes_training(cell) for cell in self.cells]

    @property
    def state_size(self) -> list:
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self) -> int:
        return cell_output_size(self.cells[-1])

    def get_initial_state(self, batch_size) -> list:
        states = []
        for cell in self.cells:
            if callable(getattr(cell, "get_initial_state", None)):
                state = cell.get_initial_state(batch_size=batch_size)
                states.append(list(state) if tree.is_nested(state) else [state])
            else:
                sizes = [cell.state_size] if isinstance(cell.state_size, int) else cell.state_size
                states.append([ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in sizes])
        return states

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(shape)
            shape = shape[:-1] + (cell_output_size(cell),)

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states, wants_training in zip(self.cells, states, self._takes_training):
            cell_states = list(cell_states) if tree.is_nested(cell_states) else [cell_states]
            kwargs = {"training": training} if wants_training else {}
            inputs, cell_states = cell.call(inputs, cell_states, **kwargs)
            new_states.append(list(cell_states) if tree.is_nested(cell_states) else [cell_states])
        return inputs, new_states

    def get_config(self) -> dict:
        config = super().get_config()
        config["cells"] = [serialization.serialize(cell) for cell in self.cells]
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["cells"] = [serialization.deserialize(cell, kind="layer") for cell in config["cells"]]
        return super().from_config(config)
