"""Whole models in Keras 3's ``.keras`` format: ``save_model`` / ``load_model``.

A ``.keras`` file is a zip archive of three members, written in this order:

- ``metadata.json``: ``{"keras_version", "date_saved", "lamina_version"}`` (Keras reads only the first two,
  for display; the third says which lamina wrote the file);
- ``config.json``: the model's serialized config with Keras 3's module names (see ``keras_names``), plus
  ``"compile_config"`` when the model was compiled: the ``compile()`` arguments, serialized;
- ``model.weights.h5``: every variable in the ``.weights.h5`` layout (see ``weights_h5``), the optimizer's
  under ``optimizer/vars`` when it is built.

``save_model(..., zipped=False)`` writes the same three files into a folder instead. Files move both
ways: Keras 3 loads what lamina writes, lamina loads what Keras 3 writes. Saving goes through a
temporary name in the target's folder, renamed over the target once complete.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import shutil
import tempfile
import warnings
import zipfile

from lamina import serialization
from lamina.models.layer_entries import deserialize_layer
from lamina.saving import weights_h5
from lamina.serialization import keras_names
from lamina.training.compile_config import compile_from_config, get_compile_config
from lamina.utils.atomic import atomic_path

_CONFIG = "config.json"
_METADATA = "metadata.json"
_WEIGHTS = "model.weights.h5"
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
# The Keras 3 release whose file layout lamina writes; Keras shows it as "Saved with Keras ...".
KERAS_FORMAT_VERSION = "3.10.0"


# -- save ------------------------------------------------------------------------------------------
def _model_config(model) -> dict:
    config = keras_names.to_keras(serialization.serialize(model))
    compile_config = get_compile_config(model)
    if compile_config is not None:
        config["compile_config"] = keras_names.to_keras(compile_config)
    return config


def _metadata() -> dict:
    import lamina

    return {"keras_version": KERAS_FORMAT_VERSION,
            "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
            "lamina_version": lamina.__version__}


def save_model(model, filepath, overwrite: bool = True, zipped: bool = True) -> None:
    """Save ``model`` (architecture, weights, compile arguments, optimizer state) in the ``.keras`` format.

    Any file name is accepted (Keras asks for ``.keras``). ``zipped=False`` writes a folder holding the
    archive's three files. An existing target is replaced only once the new one is complete.

    Example:
        >>> model.save("model.keras")  # doctest: +SKIP
        >>> restored = lamina.models.load_model("model.keras")  # doctest: +SKIP
    """
    path = os.fspath(filepath)
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(f"File {path} already exists and `overwrite=False`.")
    if not model.built:
        warnings.warn(f"Saving model '{model.name}', which is not built yet: the file holds no weights for "
                      "its unbuilt layers. Call the model on data first.", stacklevel=2)
    members = {_METADATA: json.dumps(_metadata()), _CONFIG: json.dumps(_model_config(model))}
    with atomic_path(path, directory=not zipped) as staging:
        if zipped:
            with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(staging, "w") as archive:
                weights = os.path.join(scratch, _WEIGHTS)
                weights_h5.save_weights(model, weights)
                for name, text in members.items():
                    archive.writestr(name, text)
                archive.write(weights, _WEIGHTS)
        else:
            for name, text in members.items():
                with open(os.path.join(staging, name), "w", encoding="utf-8") as handle:
                    handle.write(text)
            weights_h5.save_weights(model, os.path.join(staging, _WEIGHTS))


# -- load ------------------------------------------------------------------------------------------
def _check_members(path: str, names) -> None:
    missing = [name for name in (_CONFIG, _WEIGHTS) if name not in names]
    if missing:
        raise ValueError(f"{path} is not a complete `.keras` model: it lacks {missing} (expected "
                         f"'{_CONFIG}' and '{_WEIGHTS}'). Received members: {sorted(names)}")


@contextlib.contextmanager
def _unpacked(path: str):
    """``(config text, weights file path)`` of a saved model: a ``.keras`` zip or an unzipped folder."""
    if os.path.isdir(path):
        _check_members(path, os.listdir(path))
        with open(os.path.join(path, _CONFIG), encoding="utf-8") as handle:
            config_text = handle.read()
        yield config_text, os.path.join(path, _WEIGHTS)
        return
    if not os.path.exists(path):
        raise FileNotFoundError(f"No model file found at {path}.")
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            legacy = handle.read(len(_HDF5_SIGNATURE)) == _HDF5_SIGNATURE
        kind = ("a legacy Keras 2 HDF5 model, which `load_model` does not read yet" if legacy
                else "not a `.keras` zip archive")
        raise ValueError(f"Cannot load {path}: it is {kind}. Expected a file written by `model.save()`.")
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as scratch:
        _check_members(path, archive.namelist())
        weights = os.path.join(scratch, _WEIGHTS)
        with archive.open(_WEIGHTS) as source, open(weights, "wb") as target:
            shutil.copyfileobj(source, target)
        yield archive.read(_CONFIG).decode("utf-8"), weights


def load_model(filepath, custom_objects: dict | None = None, compile: bool = True, safe_mode: bool = True):
    """A model from a ``.keras`` file (or folder) written by ``save_model``, lamina's or Keras 3's.

    Args:
        filepath: the file (or unzipped folder) to read.
        custom_objects: ``{name: class or function}`` for user classes the config names.
        compile: when the file holds compile arguments, compile the model with them and restore the
            optimizer's state.
        safe_mode: refuse to rebuild Python lambdas stored as bytecode (they run code from the file).
            Set it to False only for files you trust.
    """
    path = os.fspath(filepath)
    with _unpacked(path) as (config_text, weights), serialization.safe_mode_scope(safe_mode):
        config = json.loads(config_text)
        compile_config = config.pop("compile_config", None)
        model = deserialize_layer(config, custom_objects)
        if compile and compile_config:
            compile_from_config(model, compile_config, custom_objects)
        try:
            weights_h5.load_weights(model, weights)
        except ValueError as error:
            raise ValueError(f"Cannot load {path}: the weights in its '{_WEIGHTS}' do not fit the model rebuilt "
                             f"from its '{_CONFIG}'. {error}") from None
    return model
