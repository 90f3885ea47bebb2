"""Reading HDF5 files that may be hostile: every weight file lamina loads is read through these functions.

An HDF5 file can declare a dataset far larger than the file (a huge shape with a fill value, or compressed
chunks that inflate), point at other files (external links, external raw storage, virtual datasets), or
alias paths with soft links. So before any data is read:

- each step of a path must be a plain (hard) link: soft and external links are refused, never followed;
- a dataset must hold numbers or booleans, store its data inside the file (not external, not virtual), and
  declare at most ``MAX_ELEMENTS`` elements and ``MAX_BYTES`` bytes; past ``BOMB_FLOOR_BYTES`` its declared
  size may exceed the bytes stored in the file at most ``MAX_EXPANSION`` times;
- an attribute (the legacy format's ``layer_names``, ``weight_names``) holds at most ``MAX_ELEMENTS``
  elements.

A file that is not HDF5, is truncated or is corrupt gives a ``ValueError`` naming it, never a raw
``OSError`` from the HDF5 library.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

MAX_ELEMENTS = 2**34  # the largest weight Layer.add_weight creates
MAX_BYTES = 2**37  # 128 GiB
BOMB_FLOOR_BYTES = 2**26  # 64 MiB: smaller datasets are read whatever their compression
MAX_EXPANSION = 100
_NUMERIC_KINDS = frozenset("biufc")
_TEXT_KINDS = frozenset("SUO")


@contextlib.contextmanager
def open_file(path: str):
    """``h5py.File(path, "r")``, as a ``ValueError`` naming ``path`` when the file is not a readable HDF5 file."""
    import h5py

    try:
        h5file = h5py.File(path, "r")
    except (OSError, ValueError) as error:
        raise ValueError(f"Cannot read {path}: it is not a valid HDF5 file, or it is truncated or corrupt "
                         f"({error}).") from None
    try:
        yield h5file
    finally:
        h5file.close()


def get(group, path: str, where: str = ""):
    """The object at ``path`` below ``group`` (a group or dataset), or None when there is none.

    Each step must be a hard link; a soft or external link raises a ``ValueError`` naming the path and
    ``where`` (the file), without being followed.
    """
    import h5py

    current = group
    for step in [part for part in path.split("/") if part]:
        if not isinstance(current, h5py.Group):
            return None
        link = current.get(step, getlink=True)
        if link is None:
            return None
        if not isinstance(link, h5py.HardLink):
            kind = "an external link" if isinstance(link, h5py.ExternalLink) else "a soft link"
            raise ValueError(f"Refusing to read {where or 'an HDF5 file'}: '{current.name.rstrip('/')}/{step}' "
                             f"is {kind} ({link!r}); weight files hold their data in place.")
        current = current[step]
    return current


def _check_size(shape, itemsize: int, stored: int | None, what: str) -> None:
    elements = math.prod(shape)
    nbytes = elements * itemsize
    if elements > MAX_ELEMENTS or nbytes > MAX_BYTES:
        raise ValueError(f"Refusing to read {what}: it declares shape {tuple(shape)} ({elements} elements, "
                         f"{nbytes} bytes), above the limit of {MAX_ELEMENTS} elements / {MAX_BYTES} bytes.")
    if stored is not None and nbytes > BOMB_FLOOR_BYTES and nbytes > MAX_EXPANSION * stored:
        raise ValueError(f"Refusing to read {what}: it declares {nbytes} bytes but stores only {stored} in the "
                         "file (a decompression bomb, or data that is not there).")


def read_dataset(dataset, where: str = "") -> np.ndarray:
    """The array in ``dataset``, after checking its dtype, storage and declared size (see the module
    docstring); ``where`` (the file) goes into the ``ValueError`` raised when a check fails."""
    what = f"dataset '{dataset.name}' in {where or dataset.file.filename}"
    if dataset.dtype.kind not in _NUMERIC_KINDS:
        raise ValueError(f"Refusing to read {what}: its dtype {dataset.dtype} is not numeric.")
    if dataset.external:
        raise ValueError(f"Refusing to read {what}: its data lives in external files {dataset.external}.")
    if dataset.is_virtual:
        raise ValueError(f"Refusing to read {what}: it is a virtual dataset, mapping data from other files.")
    _check_size(dataset.shape or (), dataset.dtype.itemsize, dataset.id.get_storage_size(), what)
    try:
        return np.asarray(dataset[()])
    except (OSError, ValueError) as error:
        raise ValueError(f"Cannot read {what}: the file is truncated or corrupt ({error}).") from None


def read_attribute(obj, name: str, where: str = ""):
    """The attribute ``name`` of ``obj`` (numbers or text), or None when absent, after checking its declared
    size; bytes are decoded as UTF-8, so text attributes come back as ``str`` (lists of them for arrays)."""
    if name not in obj.attrs:
        return None
    what = f"attribute '{name}' of '{obj.name}' in {where or obj.file.filename}"
    attribute = obj.attrs.get_id(name)
    if attribute.dtype.kind not in _NUMERIC_KINDS | _TEXT_KINDS:
        raise ValueError(f"Refusing to read {what}: its dtype {attribute.dtype} is neither numbers nor text.")
    _check_size(attribute.shape or (), attribute.dtype.itemsize, None, what)
    try:
        value = obj.attrs[name]
    except (OSError, ValueError) as error:
        raise ValueError(f"Cannot read {what}: the file is truncated or corrupt ({error}).") from None
    return _decoded(value)


def _decoded(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.dtype.kind in _TEXT_KINDS:
        return [_decoded(item) for item in value.tolist()]
    return value
