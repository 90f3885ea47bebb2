"""The public saving functions: each picks the file format from the file, as Keras' ``saving_api`` does.

- ``save_model``: ``.h5``/``.hdf5`` write the legacy HDF5 layout (``legacy_h5``), anything else the
  ``.keras`` zip (``keras_file``);
- ``load_model``: a legacy HDF5 file (recognised by its content) or a ``.keras`` zip/folder;
- ``save_weights``: ``.weights.h5`` writes Keras 3's layout (``weights_h5``), other ``.h5``/``.hdf5``
  names Keras 2's weights-only layout;
- ``load_weights``: a legacy HDF5 file (by content, so a Keras 2 file loads whatever its name), else a
  ``.weights.h5`` file. ``by_name`` exists only for legacy files, as in Keras.
"""

from __future__ import annotations

import os

from lamina.saving import keras_file, legacy_h5, weights_h5


def save_model(model, filepath, overwrite: bool = True, **kwargs) -> None:
    """Save ``model`` whole: ``.h5``/``.hdf5`` in the legacy HDF5 layout, otherwise as a ``.keras`` file.

    ``kwargs``: ``zipped`` for ``.keras``; ``include_optimizer`` for ``.h5``.
    """
    save = legacy_h5.save_model if legacy_h5.is_legacy_name(filepath) else keras_file.save_model
    save(model, filepath, overwrite=overwrite, **kwargs)


def load_model(filepath, custom_objects: dict | None = None, compile: bool = True, safe_mode: bool = True):
    """A model from a ``.keras`` file or folder, or from a legacy HDF5 file (Keras 2, Keras 3, lamina)."""
    load = legacy_h5.load_model if legacy_h5.is_legacy_h5(filepath) else keras_file.load_model
    return load(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


def save_weights(model, filepath, overwrite: bool = True) -> None:
    """Write the weights: ``*.weights.h5`` in Keras 3's layout, other ``.h5``/``.hdf5`` in Keras 2's."""
    save = legacy_h5.save_weights if legacy_h5.is_legacy_name(filepath) else weights_h5.save_weights
    save(model, filepath, overwrite=overwrite)


def load_weights(model, filepath, skip_mismatch: bool = False, by_name: bool = False) -> None:
    """Load weights from a Keras 3 ``.weights.h5`` file or a legacy HDF5 file (weights-only or whole model).

    ``by_name`` (legacy files only) loads each saved layer into the layer of the same name.
    ``skip_mismatch`` leaves layers whose weights do not fit untouched, with a warning each.
    """
    if legacy_h5.is_legacy_h5(filepath):
        legacy_h5.load_weights(model, filepath, by_name=by_name, skip_mismatch=skip_mismatch)
        return
    if by_name:
        raise ValueError("Invalid keyword argument: `by_name=True` is only supported for legacy HDF5 weight "
                         f"files (Keras 2 layout). Received: filepath={os.fspath(filepath)}")
    weights_h5.load_weights(model, filepath, skip_mismatch=skip_mismatch)
