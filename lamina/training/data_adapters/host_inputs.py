"""The host stage of a step: string layers at the front of a model run on the host, before the engine step.

A layer that declares ``runs_on_host = True`` (TextVectorization, StringLookup, Hashing, ...) works in
NumPy/Python and cannot run inside a compiled step (on JAX, strings cannot enter ``jax.jit``). When such a
layer reads a model input directly, and is that input's only reader, the trainer runs it on each batch's
input first and hands the step the layer's output in place of the raw strings; during the step the layer
returns what it receives (``host_outputs_given``). The rest of the model runs as usual, compiled on JAX.

String layers elsewhere (inside a subclassed model's ``call``, two readers of one input) get the strings in
the step itself: torch's eager steps pass them through; a traced step (JAX) cannot take them and refuses
with a TypeError naming the layers and the ways out.
"""

from __future__ import annotations

import contextlib

import numpy as np

from lamina import backend, tree
from lamina.backend.common.variable import state_structure_version
from lamina.layers.preprocessing.host_layer import host_outputs_given
from lamina.utils.argument_validation import check_array_dtype, is_text_array


def _per_structure(model, key: str, find):
    """``find(model)``, kept in the model until a layer is tracked or let go anywhere (the state structure
    version changes): every batch, and every served prediction, asks."""
    version = state_structure_version()
    cached = model.__dict__.get(key)
    if cached is None or cached[0] != version:
        cached = model.__dict__[key] = (version, find(model))
    return cached[1]


def front_host_layers(model) -> list:
    """``(input position, layer)`` for each host layer reading a model input directly."""
    return _per_structure(model, "_front_host_layers", _find_front_host_layers)


def _find_front_host_layers(model) -> list:
    plan = getattr(model, "_plan", None)
    if plan is not None:  # a functional graph
        positions = {id(tensor): i for i, tensor in enumerate(getattr(model, "inputs", None) or [])}
        readers = {}
        for step in plan:
            arguments = [step.single_input] if step.single_input is not None else [
                id(t) for t in tree.flatten((list(step.args), dict(step.kwargs))) if id(t) in positions]
            for key in arguments:
                readers.setdefault(key, []).append(step.operation)
        return [(positions[key], ops[0]) for key, ops in readers.items()
                if key in positions and len(ops) == 1 and getattr(ops[0], "runs_on_host", False)]
    stack = getattr(model, "_stack", None)  # a Sequential model: its first layer reads the input
    return [(0, stack[0])] if stack and getattr(stack[0], "runs_on_host", False) else []


def takes_strings(model) -> bool:
    """Whether ``model`` holds a layer that takes strings, wherever it stands."""
    return _per_structure(model, "_takes_strings",
                          lambda model: any(layer.runs_on_host for layer in model._all_layers()[1:]))


def _replace(x, model, position: int, layer):
    """``x`` with the input at ``position`` replaced by ``layer``'s output on it."""
    if isinstance(x, dict):
        key = model.input_names[position]
        return {**x, key: layer(x[key])}
    if isinstance(x, (list, tuple)):
        items = list(x)
        items[position] = layer(items[position])
        return type(x)(items)
    return layer(x)


def host_stage(model, data):
    """A context yielding ``data`` (a batch ``(x, y, sample_weight)`` or ``(x,)``) with the model's front host
    layers applied to ``x``; within the block those layers pass their (precomputed) input through. Without
    such layers it yields ``data`` as it is (the common case, kept to a ``nullcontext``)."""
    if not stages_on_host(model):
        return contextlib.nullcontext(data)
    return _staged(model, data, front_host_layers(model))


def stages_on_host(model) -> bool:
    """Whether a batch for ``model`` has a host stage: front host layers to run, or strings for a traced
    step to refuse."""
    return _per_structure(model, "_stages_on_host", lambda model: bool(front_host_layers(model)) or (
        backend.engine.step.TRACED and takes_strings(model)))


@contextlib.contextmanager
def _staged(model, data, found):
    x, *rest = data if isinstance(data, tuple) else (data,)
    for position, layer in found:
        x = _replace(x, model, position, layer)
    if backend.engine.step.TRACED and any(is_text_array(leaf) for leaf in tree.flatten(x)):
        _refuse_traced_strings(model, found)
    with host_outputs_given([layer for _, layer in found]):
        yield (x, *rest) if isinstance(data, tuple) else x


def _refuse_traced_strings(model, front: list) -> None:
    inner = [layer.name for layer in model._all_layers()[1:]
             if getattr(layer, "runs_on_host", False) and all(layer is not f for _, f in front)]
    raise TypeError(
        f"Model '{model.name}' would take strings into its compiled {backend.backend()} step, which takes numbers "
        f"only: its string layer(s) {inner} do not read a model input directly (or share one). lamina runs a "
        "string layer before the step when it is the only reader of an input of a functional or Sequential "
        "model. Make it one, apply the layer to the data before `fit`/`predict` (`x = layer(x)`), or use the "
        "torch engine, whose steps run eagerly.")


def text_inputs(model, x):
    """``x`` ready for the data adapters: a list of strings becomes a NumPy array when the model starts with
    a layer that takes strings; otherwise string arrays are refused with a TypeError naming ``x``."""
    if takes_strings(model):
        if isinstance(x, (list, tuple)) and x and isinstance(x[0], (str, bytes)):
            return np.asarray(x, dtype=object)
        return x
    for leaf in tree.flatten(x):
        if is_text_array(leaf):
            check_array_dtype(leaf, "x")
    return x
