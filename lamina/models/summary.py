"""``Model.summary()``: a table of a model's layers, output shapes and parameter counts, then totals.

The layout is Keras 3's: a ``Model: "name"`` title; a box-drawn table with the columns "Layer (type)",
"Output Shape" and "Param #", plus "Connected to" when the graph is more than a plain chain and
"Trainable" on request; then ``Total params: 1,234 (4.82 KB)`` and the trainable/non-trainable split.
Keras draws the table with ``rich``. lamina draws the same characters itself (the same column widths,
word wrapping, and ``…`` for a word too long for its cell), so it needs no extra dependency and
``print_fn`` receives exactly the text a terminal shows.
"""

from __future__ import annotations

import math
import re
import shutil
import sys
from collections.abc import Callable, Sequence

from lamina.backend.common import dtypes
from lamina.layers.layer import Layer
from lamina.layers.shapes import is_shape
from lamina.models.functional import Functional
from lamina.models.model import Model
from lamina.models.sequential import Sequential
from lamina.ops.operation import FunctionOperation

# (default line length, column end positions, headers, alignments), as Keras 3 lays them out.
_CHAIN_LAYOUT = (88, (0.45, 0.80, 1.0), ("Layer (type)", "Output Shape", "Param #"), ("left", "left", "right"))
_GRAPH_LAYOUT = (108, (0.3, 0.56, 0.74, 1.0), ("Layer (type)", "Output Shape", "Param #", "Connected to"),
                 ("left", "left", "right", "left"))
_TRAINABLE_EXTRA_LENGTH = 12
_TRAINABLE_SHRINK = 0.90
_NESTED_INDENT = "   "
_SIZE_UNITS = ("B", "KB", "MB", "GB", "TB", "PB")


def print_summary(model, line_length: int | None = None, positions: Sequence[float] | None = None,
                  print_fn: Callable[[str], object] | None = None, expand_nested: bool = False,
                  show_trainable: bool = False, layer_range: Sequence[str] | None = None) -> None:
    """Print a summary table of ``model`` (what ``Model.summary()`` shows).

    Args:
        model: a lamina ``Model`` (functional, Sequential or subclassed).
        line_length: total width of the table in characters. Defaults to Keras' 88 (108 with a
            "Connected to" column), capped at the terminal width minus 4.
        positions: where each column ends, as fractions of ``line_length`` (the last one 1.0).
        print_fn: called once with the whole summary text; defaults to writing it to stdout.
        expand_nested: also list the layers of nested models, indented under them.
        show_trainable: add a "Trainable" column (``Y``/``N``; ``-`` for layers without weights).
        layer_range: two layer names (or regular expressions matched at the start of names): print
            only the top-level rows from the first match of one to the last match of the other.

    Example:
        >>> lines = []
        >>> model.summary(print_fn=lines.append)  # doctest: +SKIP
    """
    operations, relevant, chain = _model_scope(model)
    default_length, default_positions, header, alignment = _CHAIN_LAYOUT if chain else _GRAPH_LAYOUT
    positions = list(positions or default_positions)
    header, alignment = list(header), list(alignment)
    if show_trainable:
        default_length += _TRAINABLE_EXTRA_LENGTH
        positions = [p * _TRAINABLE_SHRINK for p in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")
    line_length = line_length or min(default_length, shutil.get_terminal_size().columns - 4)
    cell_widths = _cell_widths(positions, line_length)
    if len(cell_widths) != len(header):
        raise ValueError(
            f"Argument `positions` must give one end position per column ({len(header)} columns: {header}). "
            f"Received: positions={positions}"
        )

    start, stop = _layer_index_range(operations, layer_range)
    rows = []
    for operation in operations[start:stop]:
        rows.extend(_rows(operation, relevant, 0, not chain, show_trainable, expand_nested))

    lines = [f'Model: "{model.name}"', *_table(header, alignment, rows, cell_widths), *_param_lines(model)]
    text = "\n".join(lines) + "\n"
    if print_fn is None:
        sys.stdout.write(text)
    else:
        print_fn(text)


# -- what a model contributes -----------------------------------------------------------------------
def _model_scope(model) -> tuple[list, set | None, bool]:
    """The operations to list, the ids of the graph nodes that belong to ``model`` (None when it has no
    graph: any node counts), and whether the graph is a plain chain (no "Connected to" column)."""
    if isinstance(model, Functional):
        nodes = model._nodes
        operations = [t._keras_history.operation for t in model.inputs]
        for node in nodes:
            if all(node.operation is not known for known in operations):
                operations.append(node.operation)
        return operations, {id(node) for node in nodes}, _is_plain_chain(nodes)
    if isinstance(model, Sequential) and model._graph is not None:
        return model.layers, {id(node) for node in model._graph._nodes}, True
    return model.layers, None, True


def _is_plain_chain(nodes) -> bool:
    """True when every call reads one tensor, no operation is called twice, and no two calls sit at the
    same distance from the outputs (no branches): Keras then prints the Sequential-style table."""
    depth, called = {}, set()
    for node in reversed(nodes):  # each node comes after every node that reads its outputs
        if len(node.input_tensors) > 1 or id(node.operation) in called:
            return False
        called.add(id(node.operation))
        for parent in node.parent_nodes:
            depth[id(parent)] = max(depth.get(id(parent), 0), depth.get(id(node), 0) + 1)
    levels = [depth.get(id(node), 0) for node in nodes]
    return len(set(levels)) == len(levels)


def _layer_index_range(operations, layer_range) -> tuple[int, int]:
    if layer_range is None:
        return 0, len(operations)
    if len(layer_range) != 2:
        raise ValueError(
            f"layer_range must be a list or tuple of length 2. Received: layer_range={layer_range} of length "
            f"{len(layer_range)}"
        )
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    first = [i for i, op in enumerate(operations) if re.match(layer_range[0], op.name)]
    last = [i for i, op in enumerate(operations) if re.match(layer_range[1], op.name)]
    if not first or not last:
        raise ValueError(
            f"Passed layer_names do not match the layer names in the model. Received: {layer_range}. "
            f"Layer names: {[op.name for op in operations]}"
        )
    if min(first) > max(last):
        return min(last), max(first) + 1
    return min(first), max(last) + 1


# -- one row per operation --------------------------------------------------------------------------
def _rows(operation, relevant, level, connections, show_trainable, expand_nested) -> list[list[str]]:
    """The row of ``operation`` and, when expanding, the rows of the layers of a nested model."""
    nodes = [n for n in operation._inbound_nodes if relevant is None or id(n) in relevant]
    prefix = f"{_NESTED_INDENT * level}└ " if level else ""
    row = [f"{prefix}{operation.name} ({_type_name(operation)})", _output_shape(operation, nodes),
           _param_count(operation)]
    if connections:
        row.append(_connections(nodes))
    if show_trainable:
        row.append(_trainable_flag(operation))
    rows = [row]
    if expand_nested and isinstance(operation, Model):
        inner, inner_relevant, _ = _model_scope(operation)
        for layer in inner:
            rows.extend(_rows(layer, inner_relevant, level + 1, connections, show_trainable, expand_nested))
    return rows


def _type_name(operation) -> str:
    if isinstance(operation, FunctionOperation):  # a raw op: ``concatenate`` shows as ``Concatenate``
        return "".join(part.capitalize() for part in operation.function.__name__.split("_"))
    return type(operation).__name__


def _output_shape(operation, nodes) -> str:
    """From the last node of the model that called ``operation``; for a layer built outside any graph,
    from its build shape; ``?`` when neither is known."""
    if nodes:
        return _format_shapes(nodes[-1].output_structure)
    if isinstance(operation, Layer) and operation.built and operation._build_shapes is not None:
        try:
            return _format_shapes(operation.compute_output_shape(operation._build_shapes))
        except Exception:  # a layer that cannot say its shape without data still gets a row
            return "?"
    return "?"


def _format_shapes(structure) -> str:
    """``(None, 16)`` for one output; Keras' bracketed structure (``[(None, 16), (None, 8)]``) for several."""
    if hasattr(structure, "shape"):
        structure = tuple(structure.shape)
    if is_shape(structure):
        return "(" + ", ".join(str(d) for d in structure) + ")"
    if isinstance(structure, dict):
        return "{" + ", ".join(f"{key}: {_format_shapes(value)}" for key, value in structure.items()) + "}"
    if len(structure) == 1:
        return _format_shapes(structure[0])
    inner = ", ".join(_format_shapes(item) for item in structure)
    return f"({inner})" if isinstance(structure, tuple) else f"[{inner}]"


def _param_count(operation) -> str:
    if not isinstance(operation, Layer):
        return "0"
    if not operation.built:
        return "0 (unbuilt)"
    return f"{operation.count_params():,}"


def _connections(nodes) -> str:
    """Each input tensor of each call as ``layer_name[node_index][tensor_index]``; ``-`` for inputs."""
    sources = [tensor._keras_history for node in nodes for tensor in node.input_tensors]
    return ", ".join(f"{h.operation.name}[{h.node_index}][{h.tensor_index}]" for h in sources) or "-"


def _trainable_flag(operation) -> str:
    if not isinstance(operation, Layer) or not operation.weights:
        return "-"
    return "Y" if operation.trainable else "N"


# -- totals ---------------------------------------------------------------------------------------
def _param_lines(model) -> list[str]:
    """``Total``, ``Trainable`` and ``Non-trainable`` counts with their memory size (and ``Optimizer``
    once a built optimizer is attached, counted in the total as Keras does)."""
    groups = [("Trainable", model.trainable_weights), ("Non-trainable", model.non_trainable_weights)]
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(optimizer, "built", False):
        groups.append(("Optimizer", optimizer.variables))
    counted = [(label, *_count_and_bytes(variables)) for label, variables in groups]
    total = ("Total", sum(c[1] for c in counted), sum(c[2] for c in counted))
    return [f" {label} params: {count:,} ({_readable_size(size)})" for label, count, size in [total, *counted]]


def _count_and_bytes(variables) -> tuple[int, float]:
    unique = {id(v): v for v in variables}.values()
    count = sum(math.prod(v.shape) for v in unique)
    bits = sum(math.prod(v.shape) * dtypes.dtype_size(v.dtype) for v in unique)
    return int(count), bits / 8


def _readable_size(size: float) -> str:
    """Bytes in the largest unit (of 1024) that keeps the number at least 1: ``4.82 KB``."""
    for unit in _SIZE_UNITS[:-1]:
        if size < 1024:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {_SIZE_UNITS[-1]}"


# -- the box-drawn table --------------------------------------------------------------------------
def _cell_widths(positions, line_length) -> list[int]:
    """Width of each cell between two borders, padding included, for a table ``line_length`` wide.

    Each column is given ``end - previous end`` characters of content; with one space of padding on
    each side and the borders the table is too wide, and like rich we take the excess back from the
    columns evenly, left to right.
    """
    ends = [int(p * line_length) for p in positions]
    widths = [end - start for start, end in zip([0, *ends[:-1]], ends)]
    if any(width < 4 for width in widths):
        raise ValueError(
            f"Insufficient console width to print summary: every column needs at least 4 characters. "
            f"Received: line_length={line_length}, positions={positions} (column widths {widths})"
        )
    cells = [width + 2 for width in widths]
    excess = sum(cells) + len(cells) + 1 - line_length
    for index in range(len(cells)):
        if excess <= 0:
            break
        share = min(cells[index], round(excess / (len(cells) - index)))
        cells[index] -= share
        excess -= share
    return cells


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken at spaces (leading spaces of the text kept); a word
    longer than a line is cut and ends in ``…``."""
    lines = []
    for word in re.findall(r"\s*\S+", text):
        if lines and len(lines[-1]) + len(word) <= width:
            lines[-1] += word
        else:
            lines.append(word.lstrip() if lines else word)
    return [line if len(line) <= width else line[: width - 1] + "…" for line in lines] or [""]


def _justify(text: str, width: int, alignment: str) -> str:
    if alignment == "right":
        return text.rjust(width)
    if alignment == "center":
        left = (width - len(text)) // 2
        return " " * left + text + " " * (width - len(text) - left)
    return text.ljust(width)


def _table(header, alignment, rows, cell_widths) -> list[str]:
    """Heavy-bordered header, light-bordered rows with a rule between each (rich's HEAVY_HEAD box)."""
    content_widths = [width - 2 for width in cell_widths]

    def rule(left, fill, middle, right):
        return left + middle.join(fill * width for width in cell_widths) + right

    def body(fields, bar):
        cells = [_wrap(field, width) for field, width in zip(fields, content_widths)]
        height = max(len(lines) for lines in cells)
        return [
            bar + bar.join(
                " " + _justify(lines[i] if i < len(lines) else "", width, align) + " "
                for lines, width, align in zip(cells, content_widths, alignment)
            ) + bar
            for i in range(height)
        ]

    lines = [rule("┏", "━", "┳", "┓"), *body(header, "┃")]
    if rows:
        lines.append(rule("┡", "━", "╇", "┩"))
    for index, row in enumerate(rows):
        if index:
            lines.append(rule("├", "─", "┼", "┤"))
        lines.extend(body(row, "│"))
    lines.append(rule("└", "─", "┴", "┘"))
    return lines
