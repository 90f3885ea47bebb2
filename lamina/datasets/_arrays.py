"""Reading the arrays of Keras' dataset files without trusting them: ``.npz`` archives (whose ragged
sequences are object arrays, stored by NumPy as pickles) and CIFAR's pickled batches.

A pickle stream can name any Python callable; the reader here accepts only the three NumPy names that
rebuild an array (``ndarray``, ``dtype``, ``_reconstruct``) and refuses everything else, so a tampered file
cannot run code. Numeric arrays are read with pickling off altogether.
"""

from __future__ import annotations

import io
import pickle
import zipfile

import numpy as np

_ARRAY_GLOBALS = frozenset({
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),  # written by NumPy < 2
    ("numpy._core.multiarray", "_reconstruct"),  # written by NumPy >= 2
})
_RECONSTRUCT = np.empty(0).__reduce__()[0]  # NumPy's array reconstructor, wherever this NumPy keeps it


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles plain Python values and NumPy arrays, nothing else."""

    def find_class(self, module: str, name: str):
        if (module, name) not in _ARRAY_GLOBALS:
            raise pickle.UnpicklingError(f"Refusing to load `{module}.{name}` from a dataset file: only NumPy arrays "
                                         "are allowed. The file may be corrupt or malicious.")
        if name == "_reconstruct":
            return _RECONSTRUCT
        return getattr(np, name)

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("Refusing a persistent id in a dataset file.")


def load_pickle(handle, encoding: str = "bytes"):
    """The object pickled in the open binary file ``handle``, if it holds only Python values and arrays."""
    return _ArrayUnpickler(handle, encoding=encoding).load()


def _read_npy(buffer: io.BytesIO) -> np.ndarray:
    try:
        return np.lib.format.read_array(buffer, allow_pickle=False)
    except ValueError:  # an object array: its data is a pickle after the header
        buffer.seek(0)
        major, _ = np.lib.format.read_magic(buffer)
        if major == 1:
            np.lib.format.read_array_header_1_0(buffer)
        else:  # versions 2 and 3 share the header layout (3 only encodes it as UTF-8)
            np.lib.format.read_array_header_2_0(buffer)
        return load_pickle(buffer, encoding="ASCII")


def load_npz(path: str) -> dict:
    """The arrays of the ``.npz`` file at ``path``, by name, object arrays included (read safely)."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                arrays[member[:-len(".npy")]] = _read_npy(io.BytesIO(archive.read(member)))
    return arrays
