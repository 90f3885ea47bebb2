"""Whole models in Keras 3's ``.keras`` format: ``save_model`` / ``load_model``.

A ``.keras`` file is a zip archive of three members, written in this order:

- ``metadata.json``: ``{"keras_version", "date_saved", "lamina_version"}`` (Keras reads only the first two,
  for display; the third says which lamina wrote the file);
- ``config.json``: the model's serialized config with Keras 3's module names (see ``keras_names``), plus
  ``"compile_config"`` when the model was compiled: the ``compile()`` arguments, serialized;
- ``model.weights.h5``: every variable in the ``.weights.h5`` layout (see ``weights_h5``), the optimizer's
  under ``optimizer/vars`` (``load_model`` builds the optimizer before reading them);
- ``assets/<layer path>/...``: files a layer writes with ``save_assets(dir)`` (an adapted vocabulary as
  ``vocabulary.txt``), read back with ``load_assets(dir)`` before the weights, as Keras' saving_lib does.

``save_model(..., zipped=False)`` writes the same three files into a folder instead. Files move both
ways: Keras 3 loads what lamina writes, lamina loads what Keras 3 writes. Saving goes through a
temporary name in the target's folder, renamed over the target once complete.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import tempfile
import warnings
import zipfile
import zlib

from lamina import serialization
from lamina.models.layer_entries import deserialize_layer
from lamina.saving import json_reading, weights_h5
from lamina.serialization import keras_names
from lamina.training.compile_config import compile_from_config, get_compile_config
from lamina.utils.atomic import atomic_path

_CONFIG = "config.json"
_METADATA = "metadata.json"
_WEIGHTS = "model.weights.h5"
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
# The Keras 3 release whose file layout lamina writes (its optimizer order, its ``name`` attributes);
# Keras shows it as "Saved with Keras ...".
KERAS_FORMAT_VERSION = "3.15.1"


_ASSETS = "assets"


# -- save ------------------------------------------------------------------------------------------
def _asset_layers(model, copies: bool = False):
    """``(path, layer)`` for each layer that has assets, its path as in the weights file (with ``copies``,
    also the inner paths where Keras keeps the same state again)."""
    return [(path, layer) for path, layer in weights_h5._walk(model, "", {}, copies)
            if hasattr(layer, "save_assets")]


def _write_assets(model, root: str) -> None:
    for path, layer in _asset_layers(model, copies=True):
        folder = os.path.join(root, _ASSETS, *path.split("/"))
        os.makedirs(folder, exist_ok=True)
        layer.save_assets(folder)


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
                _write_assets(model, scratch)
                for folder, _, files in sorted(os.walk(os.path.join(scratch, _ASSETS))):
                    for file in sorted(files):
                        full = os.path.join(folder, file)
                        archive.write(full, os.path.relpath(full, scratch).replace(os.sep, "/"))
        else:
            for name, text in members.items():
                with open(os.path.join(staging, name), "w", encoding="utf-8") as handle:
                    handle.write(text)
            weights_h5.save_weights(model, os.path.join(staging, _WEIGHTS))
            _write_assets(model, staging)


# -- load ------------------------------------------------------------------------------------------
# Limits on what a `.keras` archive may make lamina read (see `_checked_members`): the config is read into
# memory, the weights are streamed to a temporary file.
MAX_CONFIG_BYTES = json_reading.MAX_BYTES
MAX_WEIGHTS_BYTES = 2**37  # 128 GiB
BOMB_FLOOR_BYTES = 2**26  # members up to 64 MiB are read whatever their compression ratio
MAX_EXPANSION = 100  # beyond the floor, a member may inflate at most this many times
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError,
               RuntimeError)


def _check_members(path: str, names) -> None:
    missing = [name for name in (_CONFIG, _WEIGHTS) if name not in names]
    if missing:
        raise ValueError(f"{path} is not a complete `.keras` model: it lacks {missing} (expected "
                         f"'{_CONFIG}' and '{_WEIGHTS}'). Received members: {sorted(names)}")


def _checked_members(path: str, archive) -> dict:
    """``{name: ZipInfo}`` of the archive's members, each checked before anything is read: a plain relative
    name (no zip slip), one of the members Keras writes (or under ``assets/``, read by ``load_assets``), a
    declared size under its cap, and no decompression bomb (see the limits above)."""
    members = {}
    for info in archive.infolist():
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts or "\0" in name:
            raise ValueError(f"Refusing to load {path}: member '{name}' has an unsafe name (absolute, or "
                             "reaching outside the archive with '..').")
        if name in members:
            raise ValueError(f"Refusing to load {path}: member '{name}' appears twice.")
        if name not in (_CONFIG, _METADATA, _WEIGHTS) and parts[0] != "assets":
            raise ValueError(f"Refusing to load {path}: unexpected member '{name}' (a `.keras` file holds "
                             f"'{_METADATA}', '{_CONFIG}', '{_WEIGHTS}' and `assets/`).")
        cap = MAX_WEIGHTS_BYTES if name == _WEIGHTS else MAX_CONFIG_BYTES
        if info.file_size > cap:
            raise ValueError(f"Refusing to load {path}: member '{name}' declares {info.file_size} bytes, above "
                             f"the limit of {cap}.")
        if info.file_size > BOMB_FLOOR_BYTES and info.file_size > MAX_EXPANSION * info.compress_size:
            raise ValueError(f"Refusing to load {path}: member '{name}' declares {info.file_size} bytes but "
                             f"stores only {info.compress_size} (a decompression bomb).")
        members[name] = info
    _check_members(path, members)
    return members


def _copy_member(path: str, archive, info, target) -> None:
    """Stream member ``info`` into the open file ``target``, stopping past its declared size; a corrupt
    member (bad CRC, truncated data) gives a ``ValueError`` naming the file and the member."""
    copied = 0
    try:
        with archive.open(info) as source:
            while chunk := source.read(1 << 20):
                copied += len(chunk)
                if copied > info.file_size:
                    raise ValueError(f"Refusing to load {path}: member '{info.filename}' holds more than the "
                                     f"{info.file_size} bytes it declares.")
                target.write(chunk)
    except _ZIP_ERRORS as error:
        raise ValueError(f"Cannot load {path}: member '{info.filename}' is corrupt or truncated ({error}).") from None


@contextlib.contextmanager
def _unpacked(path: str):
    """``(config text, weights file path, assets folder)`` of a saved model: a ``.keras`` zip or an unzipped
    folder (the assets folder may not exist)."""
    if os.path.isdir(path):
        _check_members(path, os.listdir(path))
        config_path = os.path.join(path, _CONFIG)
        if os.path.getsize(config_path) > MAX_CONFIG_BYTES:
            raise ValueError(f"Refusing to load {config_path}: it is larger than {MAX_CONFIG_BYTES} bytes.")
        with open(config_path, encoding="utf-8") as handle:
            config_text = handle.read()
        yield config_text, os.path.join(path, _WEIGHTS), os.path.join(path, _ASSETS)
        return
    if not os.path.exists(path):
        raise FileNotFoundError(f"No model file found at {path}.")
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            legacy = handle.read(len(_HDF5_SIGNATURE)) == _HDF5_SIGNATURE
        kind = ("an HDF5 file without a whole model in it (no `model_config`): a weights-only file loads with "
                "`model.load_weights()`" if legacy else "not a `.keras` zip archive")
        raise ValueError(f"Cannot load {path}: it is {kind}. Expected a file written by `model.save()`.")
    with contextlib.ExitStack() as stack:
        try:
            archive = stack.enter_context(zipfile.ZipFile(path))
        except _ZIP_ERRORS as error:
            raise ValueError(f"Cannot load {path}: the zip archive is corrupt or truncated ({error}).") from None
        members = _checked_members(path, archive)
        scratch = stack.enter_context(tempfile.TemporaryDirectory())
        weights = os.path.join(scratch, _WEIGHTS)
        with open(weights, "wb") as target:
            _copy_member(path, archive, members[_WEIGHTS], target)
        for name, info in members.items():  # names were checked: plain, relative, under assets/
            if name.startswith(_ASSETS + "/") and not info.is_dir():
                target_path = os.path.join(scratch, *name.split("/"))
                os.makedirs(os.path.dirname(target_path), exist_ok=True)
                with open(target_path, "wb") as target:
                    _copy_member(path, archive, info, target)
        config = io.BytesIO()
        _copy_member(path, archive, members[_CONFIG], config)
        yield config.getvalue(), weights, os.path.join(scratch, _ASSETS)


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
    with _unpacked(path) as (config_text, weights, assets), serialization.safe_mode_scope(safe_mode):
        config = json_reading.loads(config_text, f"{path} ('{_CONFIG}')")
        if not isinstance(config, dict):
            raise ValueError(f"Cannot load {path}: its '{_CONFIG}' holds no model config (a JSON object).")
        compile_config = config.pop("compile_config", None)
        model = deserialize_layer(config, custom_objects)
        if compile and compile_config:
            compile_from_config(model, compile_config, custom_objects)
        for layer_path, layer in _asset_layers(model):
            folder = os.path.join(assets, *layer_path.split("/"))
            if os.path.isdir(folder):
                layer.load_assets(folder)
        try:
            weights_h5.load_weights(model, weights)
        except ValueError as error:
            raise ValueError(f"Cannot load {path}: the weights in its '{_WEIGHTS}' do not fit the model rebuilt "
                             f"from its '{_CONFIG}'. {error}") from None
    return model
