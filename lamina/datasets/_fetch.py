"""Where dataset files come from: a folder named by ``LAMINA_DATASETS``, else the cache ``LAMINA_HOME/datasets``,
filled once from the files' origin and checked against their published hashes.

``ORIGIN`` (or the ``LAMINA_DATASETS_ORIGIN`` environment variable) replaces every file's origin folder: a
mirror, or a local server in tests. ``FILE_HASHES`` holds the sha256 (md5 where Keras publishes only md5)
of each file, by its name at the origin.
"""

from __future__ import annotations

import os

from lamina import config
from lamina.utils.file_utils import extract_archive, get_file, validate_file

KERAS_BUCKET = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
TORONTO = "https://www.cs.toronto.edu/~kriz/"
ORIGIN: str | None = None  # set to serve every dataset file from one folder (a mirror, a test server)

FILE_HASHES = {
    "mnist.npz": "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
    "cifar-10-python.tar.gz": "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
    "cifar-100-python.tar.gz": "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7",
    "imdb.npz": "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    # Keras checks this file's md5 (bfafd718b763782e994055a2d397834f); this is the same file's sha256.
    "imdb_word_index.json": "027313fe9a320280f3bf0fac5baf58c4a683cf39a7ed9c3d3d3912bde4284cf6",
    "reuters.npz": "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
    "reuters_word_index.json": "4d44cc38712099c9e383dc6e5f11a921",  # md5: Keras publishes no sha256
    "boston_housing.npz": "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
    "california_housing.npz": "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f",
}


def _origin(remote_name: str, folder: str) -> str:
    base = ORIGIN or os.environ.get("LAMINA_DATASETS_ORIGIN") or folder
    return base.rstrip("/") + "/" + remote_name


def _offline_copy(path: str, remote_name: str) -> str:
    """``path`` (a file in the ``LAMINA_DATASETS`` folder) once its hash is checked."""
    if not validate_file(path, FILE_HASHES[remote_name]):
        raise ValueError(f"The dataset file {path} (from LAMINA_DATASETS) does not have the expected hash "
                         f"{FILE_HASHES[remote_name]}: it is corrupt or another file. Replace it, or unset "
                         "LAMINA_DATASETS to download it.")
    return path


def fetch(remote_name: str, fname: str | None = None, folder: str = KERAS_BUCKET, subdir: str = "") -> str:
    """The local path of the dataset file ``remote_name`` (stored as ``fname``, under ``subdir``)."""
    fname = fname or remote_name
    offline = os.environ.get("LAMINA_DATASETS")
    if offline and os.path.isfile(os.path.join(offline, subdir, fname)):
        return _offline_copy(os.path.join(offline, subdir, fname), remote_name)
    return get_file(fname, origin=_origin(remote_name, folder), file_hash=FILE_HASHES[remote_name],
                    cache_subdir=os.path.join("datasets", subdir) if subdir else "datasets")


def fetch_extracted(remote_name: str, folder_name: str, folder: str = TORONTO) -> str:
    """The folder holding the extracted archive ``remote_name``: already extracted in ``LAMINA_DATASETS``
    (as ``folder_name``), extracted into the cache from an archive there, or downloaded and extracted."""
    offline = os.environ.get("LAMINA_DATASETS")
    if offline:
        if os.path.isdir(os.path.join(offline, folder_name)):
            return os.path.join(offline, folder_name)
        for name in (remote_name, folder_name + "_archive"):
            archive = os.path.join(offline, name)
            if os.path.isfile(archive):
                target = os.path.join(config.lamina_home(), "datasets", folder_name)
                if not os.path.isdir(target):
                    extract_archive(_offline_copy(archive, remote_name), target, "tar")
                return target
    return get_file(folder_name, origin=_origin(remote_name, folder), file_hash=FILE_HASHES[remote_name],
                    extract=True)
