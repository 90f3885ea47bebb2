"""``.weights.h5`` files in Keras 3's layout, so weights move both ways between lamina and Keras.

The file mirrors the object tree. Each saveable object (the model, every layer, the optimizer) has a
group ``<path>/vars`` holding its own variables as datasets ``"0"``, ``"1"``, ... (trainable first, then
non-trainable, in creation order; a LoRA layer stores its weight with the update merged in, then its bias, as
Keras does; a tf-idf lookup layer stores its idf weights as the dataset ``idf_weights``, as Keras does).
The model's own group is ``vars`` at the root. Paths are built as Keras builds them:

- the layers of a functional or Sequential model come first, under ``layers/``, each named by the
  snake_case of its *class* (``dense``, ``dense_1``, ``input_layer``), never by its layer name;
- then the other attributes in sorted order (private ones last): a layer attribute is named by the
  attribute (``dense_block/inner``), a list/dict of layers like the model's ``layers``;
- a nested model repeats the pattern: ``layers/functional/layers/dense/vars/0``;
- the optimizer's variables, in Keras 3's order (iterations, learning rate, then each model variable's
  slots side by side: ``momentum``, ``velocity`` of the first, then of the second, ...):
  ``optimizer/vars/0``, ... Each ``vars`` group has its owner's ``name`` as an attribute, as in Keras.
  As in Keras, only a built optimizer takes the saved state back (an unbuilt one warns); state that does
  not fit (shapes, another optimizer class) raises a ``ValueError`` naming the optimizer.

An object reached twice (a shared layer) is stored once, at the first path. A layer whose Keras twin keeps
its state in an inner layer too (TextVectorization's ``_lookup_layer``) writes it at both paths, as Keras does.
Loading walks the same tree and matches by path, checking counts and shapes before assigning anything.
"""

from __future__ import annotations

import os
import warnings

import numpy as np

from lamina import backend
from lamina.backend.common.naming import to_snake_case
from lamina.saving import h5_reading
from lamina.serialization.registry import serialized_class
from lamina.utils.atomic import atomic_path

_MODEL_INTERNALS = frozenset({"_graph", "_input_layer", "_stack", "optimizer"})
_skiplist_cache = []


def _base_attributes() -> frozenset:
    """Attribute names every layer has (never walked): those of a bare ``Layer``."""
    if not _skiplist_cache:
        from lamina.layers.layer import Layer

        _skiplist_cache.append(frozenset(dir(Layer(name="weights_h5_probe"))) | _MODEL_INTERNALS)
    return _skiplist_cache[0]


def _children(layer):
    """``(name, child)`` pairs under ``layer``: its model layers first, then attributes, private ones last."""
    from lamina.layers.layer import Layer
    from lamina.models import Functional, Sequential

    if isinstance(layer, (Functional, Sequential)):
        yield "layers", layer.layers
    skip = _base_attributes()
    for attribute in sorted(dir(layer), key=lambda a: "~" + a if a.startswith("_") else a):
        if attribute.startswith("__") or attribute in skip:
            continue
        try:
            child = getattr(layer, attribute)
        except Exception:  # a property that cannot be computed in this state holds no layer
            continue
        if isinstance(child, Layer) or isinstance(child, (list, tuple, dict)):
            yield attribute, child


def _walk(layer, path: str, visited: dict, copies: bool = False):
    """``(path, layer)`` for ``layer`` and every layer below it, each once, in Keras' order.

    ``visited`` maps the id of each layer and container seen to the object itself: holding it keeps a
    temporary container (``model.layers`` is a new list per read) from being freed and its id reused by a
    later one, which would then be skipped as seen, leaving its layers out of the file.

    With ``copies``, a layer is yielded again at each path its ``_state_copies`` names, below its own: where
    Keras keeps an inner layer holding the same state (TextVectorization's ``_lookup_layer``), its files carry
    that state at both paths, and Keras reads both. Writing needs the copies; reading takes the first."""
    from lamina.layers.layer import Layer

    if id(layer) in visited:
        return
    visited[id(layer)] = layer
    yield path, layer
    if copies:
        for attribute in getattr(layer, "_state_copies", ()):
            yield f"{path}/{attribute}", layer
    for attribute, child in _children(layer):
        child_path = f"{path}/{attribute}" if path else attribute
        if isinstance(child, Layer):
            yield from _walk(child, child_path, visited, copies)
        else:
            yield from _walk_container(child, child_path, visited, copies)


def _walk_container(container, path: str, visited: dict, copies: bool):
    """The layers in a list/tuple/dict attribute: each named by the snake_case of its class (``dense``,
    ``dense_1``), a nested container ``container``, ``container_1``, ... (Keras 3.15's names)."""
    from lamina.layers.layer import Layer

    if id(container) in visited:  # a list holding itself, or one reached twice
        return
    visited[id(container)] = container
    used = {}
    for item in container.values() if isinstance(container, dict) else container:
        if isinstance(item, Layer):
            name = to_snake_case(serialized_class(item).__name__)
        elif isinstance(item, (list, tuple, dict)):
            name = "container"
        else:
            continue
        used[name] = used.get(name, -1) + 1
        item_path = f"{path}/{name}" + (f"_{used[name]}" if used[name] else "")
        if isinstance(item, Layer):
            yield from _walk(item, item_path, visited, copies)
        else:
            yield from _walk_container(item, item_path, visited, copies)


def _own_entries(layer) -> list:
    """``(slot, target, value to write)`` for each array stored for ``layer``, in file order: those the layer
    chooses (``_weights_file_entries``), else its trainable then non-trainable variables as they are.

    A layer's ``_weights_file_entries()`` lists ``(target, value)`` pairs, stored at slots "0", "1", ... in
    order (a LoRA layer stores its merged weight and no factors, as Keras does), or ``(slot, target, value)``
    triples for arrays Keras stores under a name (``idf_weights`` of a tf-idf lookup layer). A target is a
    Variable, or an object with a ``name``, the ``shape`` it expects and ``assign(array)`` (an array the layer
    keeps outside Variables): loading checks the shape and assigns, as for a Variable."""
    chosen = getattr(layer, "_weights_file_entries", None)
    if chosen is None:
        return [(str(i), v, v) for i, v in enumerate(list(layer._trainable_variables)
                                                      + list(layer._non_trainable_variables))]
    return [entry if len(entry) == 3 else (str(i), *entry) for i, entry in enumerate(chosen())]


def _optimizer_variables(model):
    """The optimizer's variables (Keras 3's order; only iterations and learning rate while it is not built)
    when the model has an optimizer, else None."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "variables"):
        return None
    return list(optimizer.variables)


def _check_path(filepath) -> str:
    path = os.fspath(filepath)
    if not str(path).endswith(".weights.h5"):
        raise ValueError("The filename must end in `.weights.h5` (or `.h5` for Keras 2's layout). "
                         f"Received: filepath={path}")
    return path


def _write_group(h5file, path: str, variables, name: str | None = None, slots=None) -> None:
    """``<path>/vars/0, 1, ...`` (or at ``slots``); the group's ``name`` attribute is the owner's name, as
    Keras 3 writes it."""
    group = h5file.create_group(f"{path}/vars" if path else "vars")
    if name is not None:
        group.attrs["name"] = name
    for index, variable in enumerate(variables):
        slot = slots[index] if slots is not None else str(index)
        group.create_dataset(slot, data=np.asarray(backend.convert_to_numpy(variable)))


def save_weights(model, filepath, overwrite: bool = True) -> None:
    """Write ``model``'s weights to ``filepath`` (``*.weights.h5``, Keras 3's layout; see the module docstring).

    The file is written under a temporary name in the same folder and renamed over ``filepath`` when
    complete, so a failure mid-way leaves any previous file intact.
    """
    import h5py

    path = _check_path(filepath)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"File {path} already exists and `overwrite=False`.")
    with atomic_path(path) as temporary, h5py.File(temporary, "w") as h5file:
        for layer_path, layer in _walk(model, "", {}, copies=True):
            entries = _own_entries(layer)
            _write_group(h5file, layer_path, [value for _, _, value in entries], layer.name,
                         [slot for slot, _, _ in entries])
        optimizer_variables = _optimizer_variables(model)
        if optimizer_variables is not None:
            _write_group(h5file, "optimizer", optimizer_variables, model.optimizer.name)


def _stored(h5file, path: str, slots=None) -> list:
    """The arrays stored for ``path``: at ``slots`` when the file holds as many, else in index order (empty
    when the file has none), read through ``h5_reading``'s checks (no links followed, declared sizes checked
    before any data is read)."""
    import h5py

    group = h5_reading.get(h5file, f"{path}/vars" if path else "vars", h5file.filename)
    if group is None:
        return []
    values = []
    for index in slots if slots is not None and len(slots) == len(group) else map(str, range(len(group))):
        dataset = h5_reading.get(group, index, h5file.filename)
        if not isinstance(dataset, h5py.Dataset):
            raise ValueError(f"Cannot read {h5file.filename}: '{group.name}' lacks dataset '{index}' (it holds "
                             f"{sorted(group)}).")
        values.append(h5_reading.read_dataset(dataset, h5file.filename))
    return values


def _match(owner: str, path: str, variables, values) -> tuple[list, str | None]:
    """Pairs ``(variable, value)`` to assign, or an error message naming ``owner`` when they do not fit."""
    if len(values) != len(variables):
        return [], (f"{owner} (path '{path or '/'}') expects {len(variables)} variables "
                    f"{[tuple(v.shape) for v in variables]}, but the file holds {len(values)}.")
    for index, (variable, value) in enumerate(zip(variables, values)):
        if tuple(variable.shape) != tuple(value.shape):
            return [], (f"{owner} (path '{path or '/'}'): variable {index} ('{variable.name}') has shape "
                        f"{tuple(variable.shape)}, but the file holds shape {tuple(value.shape)}.")
    return list(zip(variables, values)), None


def load_weights(model, filepath, skip_mismatch: bool = False) -> None:
    """Load weights written by ``save_weights`` (or by Keras 3) into ``model``.

    Every layer's variables are checked (count and shapes) before any is assigned. A mismatch raises a
    ``ValueError`` naming the layers, unless ``skip_mismatch`` is set: then those layers keep their
    values, a warning names them, and the rest load.
    """
    path = _check_path(filepath)
    assignments, errors, loaded = [], [], []
    with h5_reading.open_file(path) as h5file:
        for layer_path, layer in _walk(model, "", {}):
            entries = _own_entries(layer)
            pairs, error = _match(f"Layer '{layer.name}'", layer_path, [target for _, target, _ in entries],
                                  _stored(h5file, layer_path, [slot for slot, _, _ in entries]))
            assignments.extend(pairs)
            if error:
                errors.append(error)
            else:
                loaded.append(layer)
        optimizer_state = _optimizer_state(model, h5file)
    if errors and not skip_mismatch:
        raise ValueError(f"Cannot load weights from {path} into model '{model.name}':\n  " + "\n  ".join(errors))
    if errors:
        warnings.warn("Skipped loading weights of:\n  " + "\n  ".join(errors), stacklevel=2)
    for variable, value in assignments:
        variable.assign(value)
    for layer in loaded:  # a layer may finish its load (LoRA layers reset their factors)
        if hasattr(layer, "_weights_file_loaded"):
            layer._weights_file_loaded()
    if optimizer_state is not None:
        _load_optimizer(model.optimizer, optimizer_state, path, skip_mismatch)


def _optimizer_state(model, h5file):
    """``(saved optimizer name, {"0": array, ...})`` when the file and the model both have an optimizer."""
    optimizer = getattr(model, "optimizer", None)
    group = h5_reading.get(h5file, "optimizer/vars", h5file.filename)
    if optimizer is None or group is None or not hasattr(optimizer, "load_own_variables"):
        return None
    values = _stored(h5file, "optimizer")
    return group.attrs.get("name"), {str(index): value for index, value in enumerate(values)}


def _load_optimizer(optimizer, state, path: str, skip_mismatch: bool) -> None:
    """Restore the optimizer as Keras 3 does: only a built optimizer takes the saved state (an unbuilt one
    warns, naming it); state that does not fit raises, or warns with ``skip_mismatch``."""
    saved_name, store = state
    try:
        if hasattr(optimizer, "check_saved_name"):
            optimizer.check_saved_name(saved_name)
        optimizer.load_own_variables(store)
    except ValueError as error:
        if not skip_mismatch:
            raise ValueError(f"Cannot load the optimizer state in {path}: {error}") from None
        warnings.warn(f"Skipped loading the optimizer state in {path}: {error}", stacklevel=3)
