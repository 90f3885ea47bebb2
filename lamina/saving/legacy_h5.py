"""Legacy HDF5 files (``.h5``/``.hdf5``): whole models and weights in the layout of Keras 2 (tf.keras,
tf_keras) and of Keras 3's legacy writer.

A whole-model file holds, at its root:

- attributes ``model_config`` (JSON: ``{"class_name", "config"}`` with layer entries in the legacy form,
  see ``serialization.keras2_configs``), ``training_config`` (JSON: the compile arguments, the optimizer
  as ``optimizer_config``), ``keras_version`` and ``backend``;
- group ``model_weights``: attribute ``layer_names`` (every layer of ``model.layers``, in order), and per
  layer a group named after it whose attribute ``weight_names`` lists its variables (trainable first,
  then non-trainable), each a dataset at that name (``dense/kernel:0`` in Keras 2, the variable's path
  in Keras 3); a group ``top_level_model_weights`` holds the model's own variables;
- group ``optimizer_weights``: attribute ``weight_names`` and one dataset per optimizer variable.

A weights-only file (``save_weights("w.h5")`` in Keras 2) is the ``model_weights`` group at the root.
Attributes too large for an HDF5 object header are split as Keras splits them (``layer_names0``, ...).

Weights load by topological order (the n-th layer holding weights gets the n-th saved layer holding
weights) or, with ``by_name``, into the layers of the same name. Counts and shapes are checked for every
layer before anything is assigned. Optimizer state is restored by matching each saved slot variable to
the model variable it belongs to (Keras 2 names ``Adam/m/dense/kernel:0``, Keras 3 names
``adam/dense_kernel_momentum``); when they do not all match, the model keeps a fresh optimizer and a
warning says so.
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np

from lamina import backend, serialization
from lamina.models.layer_entries import deserialize_layer
from lamina.saving import h5_reading, json_reading
from lamina.serialization import keras2_configs, keras_names
from lamina.training.compile_config import compile_from_config, get_compile_config
from lamina.utils.atomic import atomic_path

_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_HEADER_LIMIT = 64512  # bytes an HDF5 object header holds: longer name lists are split into chunks
_TOP_LEVEL = "top_level_model_weights"
_MODEL_CLASSES = ("Sequential", "Functional")
# Keras 2's optimizer slot names where Keras 3 (and lamina) name them otherwise.
_SLOT_RENAMES = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat"}
_ITERATION_NAMES = ("iter", "iteration", "iterations")


def is_legacy_h5(filepath) -> bool:
    """Whether ``filepath`` is an HDF5 file in the legacy layout (whole model or Keras 2 weights)."""
    path = os.fspath(filepath)
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as handle:
        if handle.read(len(_HDF5_SIGNATURE)) != _HDF5_SIGNATURE:
            return False
    with h5_reading.open_file(path) as h5file:
        return "model_config" in h5file.attrs or "model_weights" in h5file or _has_names(h5file, "layer_names")


def is_legacy_name(filepath) -> bool:
    """Whether a file name asks for the legacy format: ``.h5``/``.hdf5``, but not ``.weights.h5``."""
    name = os.fspath(filepath).lower()
    return name.endswith((".h5", ".hdf5")) and not name.endswith(".weights.h5")


# -- attributes ----------------------------------------------------------------------------------------
def _has_names(group, name: str) -> bool:
    return name in group.attrs or f"{name}0" in group.attrs


def _name_list(group, name: str) -> list | None:
    value = h5_reading.read_attribute(group, name, group.file.filename)
    if value is None or isinstance(value, list):
        return value
    if isinstance(value, np.ndarray) and value.size == 0:  # Keras writes an empty list as a float array
        return []
    raise ValueError(f"Cannot read {group.file.filename}: attribute '{name}' of '{group.name}' should list "
                     f"names. Received: {str(value)[:200]}")


def _read_names(group, name: str) -> list:
    names = _name_list(group, name)
    if names is not None:
        return names
    names, chunk = [], 0
    while (part := _name_list(group, f"{name}{chunk}")) is not None:
        names.extend(part)
        chunk += 1
    return names


def _member(group, name: str):
    """The group or dataset ``name`` below ``group``; a ``ValueError`` naming the file when it is missing."""
    found = h5_reading.get(group, name, group.file.filename)
    if found is None:
        raise ValueError(f"Cannot read {group.file.filename}: '{group.name.rstrip('/')}/{name}' is listed but "
                         "missing from the file.")
    return found


def _write_names(group, name: str, names: list) -> None:
    data = np.asarray([item.encode("utf-8") for item in names]) if names else np.asarray([])
    chunks = [data]
    while any(chunk.nbytes > _HEADER_LIMIT for chunk in chunks):
        chunks = np.array_split(data, len(chunks) + 1)
    if len(chunks) == 1:
        group.attrs[name] = data
    else:
        for index, chunk in enumerate(chunks):
            group.attrs[f"{name}{index}"] = chunk


def _json_attribute(h5file, name: str):
    value = h5_reading.read_attribute(h5file, name, h5file.filename)
    return None if value is None else json_reading.loads(value, f"{h5file.filename} (attribute '{name}')")


# -- weights -------------------------------------------------------------------------------------------
def _legacy_weights(layer) -> list:
    """A layer's variables in the order legacy files store them: trainable, then non-trainable."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _own_weights(model) -> list:
    """The model's own variables (not its layers'): ``top_level_model_weights``."""
    return list(model._trainable_variables) + list(model._non_trainable_variables)


def _write_weights(group, variables) -> None:
    names = [variable.path for variable in variables]
    _write_names(group, "weight_names", names)
    for name, variable in zip(names, variables):
        group.create_dataset(name, data=np.asarray(backend.convert_to_numpy(variable)))


def _write_layers(group, model) -> None:
    from lamina.saving.keras_file import KERAS_FORMAT_VERSION

    _write_names(group, "layer_names", [layer.name for layer in model.layers])
    group.attrs["backend"] = backend.backend()
    group.attrs["keras_version"] = KERAS_FORMAT_VERSION
    for layer in sorted(model.layers, key=lambda layer: layer.name):  # growing names: no group is a prefix
        _write_weights(group.create_group(layer.name), _legacy_weights(layer))
    _write_weights(group.create_group(_TOP_LEVEL), _own_weights(model))


def _stored(group) -> list:
    """``(weight name, array)`` of one layer group, in ``weight_names`` order."""
    return [(name, h5_reading.read_dataset(_member(group, name))) for name in _read_names(group, "weight_names")]


def _check(owner: str, variables, stored) -> str | None:
    """An error message when ``stored`` does not fit ``variables`` (count or a shape), else None."""
    if len(stored) != len(variables):
        return (f"{owner} expects {len(variables)} weight(s) {[tuple(v.shape) for v in variables]}, "
                f"but the file holds {len(stored)}.")
    for variable, (name, value) in zip(variables, stored):
        if tuple(variable.shape) != tuple(value.shape):
            return (f"{owner}: weight '{variable.path}' has shape {tuple(variable.shape)}, but the file holds "
                    f"'{name}' with shape {tuple(value.shape)}.")
    return None


def _layer_pairs(group, model, by_name: bool, convert_weights=None) -> list:
    """``(owner description, variables, stored)`` for each layer that takes saved weights; ``convert_weights``
    (see ``load_weights``) rewrites each layer's stored arrays first."""
    names = _read_names(group, "layer_names")
    stored = {name: _stored(_member(group, name)) for name in names}

    def converted(layer, name):
        return stored[name] if convert_weights is None else convert_weights(layer, stored[name], group)

    if by_name:
        return [(f"Layer '{layer.name}'", _legacy_weights(layer), converted(layer, layer.name))
                for layer in model.layers if layer.name in stored]
    layers = [layer for layer in model.layers if _legacy_weights(layer)]
    saved = [name for name in names if stored[name]]
    if len(layers) != len(saved):
        raise ValueError(f"Layer count mismatch when loading weights from file. Model expected {len(layers)} "
                         f"layers holding weights, found {len(saved)} saved layers holding weights. Received: "
                         f"model layers {[layer.name for layer in layers]}, saved layers {saved}")
    return [(f"Layer #{index} (named '{layer.name}' in the model, '{name}' in the file)",
             _legacy_weights(layer), converted(layer, name)) for index, (layer, name) in enumerate(zip(layers, saved))]


def _load_group(group, model, by_name: bool = False, skip_mismatch: bool = False, convert_weights=None) -> dict:
    """Load a ``model_weights``-style group into ``model``; returns ``{saved weight name: variable}``.

    Every layer is checked before any variable is assigned. With ``skip_mismatch`` a layer that does not
    fit keeps its values and a warning names it; otherwise the mismatch raises ``ValueError``.
    """
    pairs = _layer_pairs(group, model, by_name, convert_weights)
    own = _own_weights(model)
    top_group = h5_reading.get(group, _TOP_LEVEL, group.file.filename)
    top = _stored(top_group) if top_group is not None else []
    if own or top:
        pairs.append((f"Model '{model.name}' (its own top-level weights)", own, top))
    assignments, errors = [], []
    for owner, variables, stored in pairs:
        error = _check(owner, variables, stored)
        if error is None:
            assignments.extend((name, variable, value) for variable, (name, value) in zip(variables, stored))
        elif skip_mismatch:
            warnings.warn(f"Skipping loading weights of {error}", stacklevel=3)
        else:
            errors.append(error)
    if errors:
        raise ValueError(f"Cannot load weights into model '{model.name}':\n  " + "\n  ".join(errors))
    for _, variable, value in assignments:
        variable.assign(value)
    return {name.removesuffix(":0"): variable for name, variable, _ in assignments}


def save_weights(model, filepath, overwrite: bool = True) -> None:
    """Write ``model``'s weights to ``filepath`` in Keras 2's weights-only HDF5 layout (``save_weights("w.h5")``)."""
    import h5py

    path = os.fspath(filepath)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"File {path} already exists and `overwrite=False`.")
    with atomic_path(path) as temporary, h5py.File(temporary, "w") as h5file:
        _write_layers(h5file, model)


def load_weights(model, filepath, by_name: bool = False, skip_mismatch: bool = False, convert_weights=None) -> None:
    """Load a legacy HDF5 file's weights (weights-only or whole-model) into ``model``.

    By default the n-th layer of ``model.layers`` that holds weights takes the n-th saved layer that
    holds weights. ``by_name=True`` loads each saved layer into the model's layer of that name (others are
    left alone). ``skip_mismatch=True`` leaves a layer whose weight count or shapes differ untouched, with
    a warning per skipped layer, instead of raising ``ValueError``. ``convert_weights(layer, [(name, array),
    ...], group)`` returns a layer's saved arrays in lamina's layout before they are checked: ``lamina.legacy``
    reads Keras 1's layouts with it.
    """
    with h5_reading.open_file(os.fspath(filepath)) as h5file:
        group = h5_reading.get(h5file, "model_weights", h5file.filename)
        group = h5file if group is None else group
        _load_group(group, model, by_name=by_name, skip_mismatch=skip_mismatch, convert_weights=convert_weights)


# -- optimizer state -----------------------------------------------------------------------------------
def _optimizer_target(name: str, saved: dict, flat: dict, by_name: dict, optimizer):
    """The optimizer variable a saved optimizer weight restores; ``False`` for a hyperparameter Keras 2
    stored (restored from the config instead), ``None`` when it matches nothing."""
    parts = name.removesuffix(":0").split("/")
    if parts[-1] in _ITERATION_NAMES:
        return optimizer.iterations
    if len(parts) == 2:
        matches = [key for key in flat if parts[1].startswith(key + "_")]  # Keras 3: <opt>/<path>_<slot>
        if not matches:
            return by_name.get(parts[1], False)  # learning_rate, or a Keras 2 hyperparameter (beta_1, decay)
        key = max(matches, key=len)
        variable, slot = flat[key], parts[1][len(key) + 1:]
    elif "/".join(parts[2:]) in saved:  # Keras 2.11+: <Opt>/<slot>/<variable path>
        variable, slot = saved["/".join(parts[2:])], parts[1]
    elif "/".join(parts[1:-1]) in saved:  # Keras 2 before 2.11: <Opt>/<variable path>/<slot>
        variable, slot = saved["/".join(parts[1:-1])], parts[-1]
    else:
        return None
    prefix = variable.path.replace("/", "_") + "_"
    renamed = by_name.get(prefix + _SLOT_RENAMES.get(slot, slot))
    return renamed if renamed is not None else by_name.get(prefix + slot)


def _restore_optimizer(model, group, saved: dict) -> str | None:
    """Assign the saved optimizer state; returns why it could not be restored (nothing assigned), or None."""
    optimizer = model.optimizer
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    variables = list(optimizer.variables)
    by_name = {variable.name: variable for variable in variables}
    flat = {key.replace("/", "_"): variable for key, variable in saved.items()}
    assignments = {}
    for name in _read_names(group, "weight_names"):
        value = h5_reading.read_dataset(_member(group, name))
        target = _optimizer_target(name, saved, flat, by_name, optimizer)
        if target is None:
            return f"the saved optimizer weight '{name}' matches no variable of the model's {optimizer.name}"
        if target is False:
            continue
        if tuple(target.shape) != tuple(value.shape):
            return f"'{name}' has shape {tuple(value.shape)}, but '{target.path}' has {tuple(target.shape)}"
        assignments[id(target)] = (target, value)
    missing = [v.path for v in variables if id(v) not in assignments and v.name != "learning_rate"]
    if missing:
        return f"the file holds no value for {missing}"
    for target, value in assignments.values():
        target.assign(value.astype(np.dtype(target.dtype)))
    return None


# -- whole models --------------------------------------------------------------------------------------
def _legacy_entry(entry: dict) -> dict:
    """A layer entry in the legacy form Keras 3's HDF5 writer uses: no module (except for raw ops)."""
    class_name = entry.get("registered_name") or entry["class_name"]
    legacy = {"class_name": class_name, "config": entry["config"]}
    if keras_names.is_op_module(entry.get("module")):
        legacy = dict(entry)
    elif entry["class_name"] in _MODEL_CLASSES:
        legacy["config"] = dict(entry["config"], layers=[_legacy_entry(item) for item in entry["config"]["layers"]])
    for key in ("name", "inbound_nodes"):
        if key in entry:
            legacy[key] = entry[key]
    return legacy


def _training_config(model) -> dict | None:
    compile_config = get_compile_config(model)
    if compile_config is None:
        return None
    training_config = keras_names.to_keras(compile_config)
    optimizer = training_config.pop("optimizer")
    training_config["optimizer_config"] = {"class_name": optimizer["class_name"], "config": optimizer["config"]}
    return training_config


def save_model(model, filepath, overwrite: bool = True, include_optimizer: bool = True) -> None:
    """Write ``model`` as a legacy HDF5 file, in Keras 3's legacy writer layout (see the module docstring).

    ``include_optimizer=False`` leaves out the compile arguments and the optimizer's state.
    """
    import h5py

    from lamina.saving.keras_file import KERAS_FORMAT_VERSION

    path = os.fspath(filepath)
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(f"File {path} already exists and `overwrite=False`.")
    model_config = _legacy_entry(keras_names.to_keras(serialization.serialize(model)))
    training_config = _training_config(model) if include_optimizer else None
    optimizer = getattr(model, "optimizer", None)
    with atomic_path(path) as temporary, h5py.File(temporary, "w") as h5file:
        h5file.attrs["keras_version"] = KERAS_FORMAT_VERSION
        h5file.attrs["backend"] = backend.backend()
        h5file.attrs["model_config"] = json.dumps({"class_name": model_config["class_name"],
                                                   "config": model_config["config"]})
        if training_config is not None:
            h5file.attrs["training_config"] = json.dumps(training_config)
        _write_layers(h5file.create_group("model_weights"), model)
        if training_config is not None and optimizer is not None and optimizer.variables:
            group = h5file.create_group("optimizer_weights")
            _write_weights(group, list(optimizer.variables))


def load_model(filepath, custom_objects: dict | None = None, compile: bool = True, safe_mode: bool = True,
               translate_config=keras2_configs.model_config_from_keras2, convert_weights=None):
    """A model from a legacy HDF5 file written by Keras 2 (tf.keras, tf_keras), Keras 3 or lamina.

    The config is translated from Keras 2 (``serialization.keras2_configs``), the weights are loaded by
    topological order, and with ``compile`` the model is compiled from the file's training config with
    the optimizer state restored (or, when it does not match the model, a fresh optimizer and a warning).
    ``translate_config`` (the file's model config -> a Keras 3 entry) and ``convert_weights`` (see
    ``load_weights``) let ``lamina.legacy`` read Keras 1 files with this reader.
    """
    path = os.fspath(filepath)
    if not os.path.exists(path):
        raise FileNotFoundError(f"No model file found at {path}.")
    with h5_reading.open_file(path) as h5file:
        model_config = _json_attribute(h5file, "model_config")
        if model_config is None:
            raise ValueError(f"No model config found in the file at {path}: it holds weights only. Rebuild the "
                             "model in code and call `model.load_weights(filepath)`.")
        with serialization.safe_mode_scope(safe_mode):
            model = deserialize_layer(translate_config(model_config), custom_objects)
        saved = _load_group(_member(h5file, "model_weights"), model, convert_weights=convert_weights)
        training_config = _json_attribute(h5file, "training_config")
        if not compile:
            return model
        if training_config is None:
            warnings.warn(f"No training configuration found in {path}, so the model was *not* compiled. "
                          "Compile it manually.", stacklevel=2)
            return model
        compile_from_config(model, keras2_configs.training_config_from_keras2(training_config), custom_objects)
        if "optimizer_weights" in h5file and getattr(model, "optimizer", None) is not None:
            problem = _restore_optimizer(model, _member(h5file, "optimizer_weights"), saved)
            if problem:
                warnings.warn(f"Could not restore the optimizer state saved in {path} ({problem}). The model is "
                              "compiled with a freshly initialized optimizer.", stacklevel=2)
    return model
