"""Compiling a step for a batch shape before that batch comes: the partial last batch of an epoch.

``jax.jit`` compiles a step when it first meets a new input shape, and an epoch over arrays ends with a
batch shorter than the others (60000 rows in batches of 128 end with one of 96). Its compile (half a second
for a small MLP on the CPU, as long as the first batch's) would stall the epoch's last step. Told the row
count of that batch, a step traces itself for it once the first batch has shown the batch's structure, and
XLA compiles it on a background thread (XLA releases the GIL) while the full batches train. The executable is
kept and called for every later batch of that shape.
"""

from __future__ import annotations

import concurrent.futures

import jax

_compiler = None  # one background thread, started on first use


def _background() -> concurrent.futures.ThreadPoolExecutor:
    global _compiler
    if _compiler is None:
        _compiler = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="lamina-compile")
    return _compiler


def _abstract(value, rows=None):
    """``value``'s shape, (canonical) dtype and placement, with ``rows`` leading rows when given."""
    shape = tuple(value.shape) if rows is None else (rows, *value.shape[1:])
    sharding = value.sharding if isinstance(value, jax.Array) else None
    return jax.ShapeDtypeStruct(shape, jax.dtypes.canonicalize_dtype(value.dtype), sharding=sharding)


def batch_key(batch):
    """What a compiled step's batch is matched on: its structure, and each array's shape and dtype."""
    leaves, structure = jax.tree_util.tree_flatten(batch)
    return structure, tuple((tuple(leaf.shape), jax.dtypes.canonicalize_dtype(leaf.dtype)) for leaf in leaves)


class AheadCompiles:
    """The executables one jitted step compiled ahead, by batch key (see the module docstring)."""

    def __init__(self):
        self._pending = {}  # batch key -> future of the executable
        self._ready = {}  # batch key -> executable
        self._traced = set()  # batch keys the step was traced for (by jax.jit or ahead)

    def note_traced(self, batch) -> None:
        """Called while the step traces: ``batch`` (tracers) has a compiled step, so none is made ahead."""
        self._traced.add(batch_key(batch))

    def __bool__(self) -> bool:
        return bool(self._pending or self._ready)

    @staticmethod
    def abstract_arguments(args, rows: int):
        """``args`` (state, ..., batch) as shapes, the batch's arrays with ``rows`` rows; None when the batch
        is not arrays sharing their first dimension. Taken before the step runs: it donates its state."""
        leaves = jax.tree_util.tree_leaves(args[-1])
        if not leaves or any(getattr(leaf, "ndim", 0) < 1 for leaf in leaves) or \
                len({leaf.shape[0] for leaf in leaves}) != 1 or leaves[0].shape[0] == rows:
            return None
        state = jax.tree_util.tree_map(_abstract, args[:-1])
        return (*state, jax.tree_util.tree_map(lambda leaf: _abstract(leaf, rows), args[-1]))

    def start(self, jitted, abstract_args) -> None:
        """Trace ``jitted`` for ``abstract_args`` here (tracing runs the model's Python) and compile it on
        the background thread. A step that fails to trace for that shape is left to fail when the batch
        comes, through the usual path, with the usual error."""
        key = batch_key(abstract_args[-1])
        if key in self._traced:
            return
        try:
            lowered = jitted.trace(*abstract_args).lower()
        except Exception:  # noqa: BLE001 - reported, if at all, when that batch runs
            return
        self._pending[key] = _background().submit(lowered.compile)

    def find(self, batch):
        """The executable compiled ahead for ``batch``'s shapes (waiting for its compile), or None (also when
        its compile failed: the usual path then compiles, and reports what fails)."""
        key = batch_key(batch)
        executable = self._ready.get(key)
        if executable is None and key in self._pending:
            try:
                executable = self._ready[key] = self._pending.pop(key).result()
            except Exception:  # noqa: BLE001
                return None
        return executable
