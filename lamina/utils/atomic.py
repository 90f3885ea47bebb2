"""Atomic writes: files users care about are written under a temporary name beside the target and renamed
over it only when complete, so a crash or an error never leaves a half-written or missing file."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile


def _files(path: str) -> list:
    """``path`` itself when it is a file, else every file below the folder ``path``."""
    if os.path.isfile(path):
        return [path]
    return [os.path.join(root, name) for root, _, names in os.walk(path) for name in names]


def _sync(path: str) -> None:
    """Flush ``path`` (a file, or every file in a folder) to disk, so a rename never exposes a partial file."""
    for name in _files(path):
        with open(name, "rb") as handle:
            os.fsync(handle.fileno())


def _default_mode(staging: str) -> None:
    """Give ``staging`` (and the files in it) the permissions plainly created ones get: ``mkstemp`` and
    ``mkdtemp`` make them private to the owner."""
    umask = os.umask(0)
    os.umask(umask)
    if os.path.isdir(staging):
        os.chmod(staging, 0o777 & ~umask)
    for name in _files(staging):
        os.chmod(name, 0o666 & ~umask)


def _remove(path: str) -> None:
    if os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.remove(path)


def _swap_in(staging: str, filepath: str) -> None:
    """Rename ``staging`` to ``filepath``, moving an existing ``filepath`` aside first (back, on failure)."""
    if not os.path.lexists(filepath):
        os.rename(staging, filepath)
        return
    old = staging + ".old"
    os.rename(filepath, old)
    try:
        os.rename(staging, filepath)
    except BaseException:
        os.rename(old, filepath)
        raise
    _remove(old)


@contextlib.contextmanager
def atomic_path(filepath: str, directory: bool = False):
    """Yield a temporary path (a file, or a folder when ``directory``) beside ``filepath``; move it onto
    ``filepath`` when the block succeeds, delete it when the block raises.

    A file replaces the target in one rename. A folder (or a file replacing a folder) takes two: the old
    target is moved aside first and deleted after, so it survives under its temporary name until the
    new one is in place.
    """
    folder = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(folder, exist_ok=True)
    suffix = f"-{os.path.basename(filepath)}"  # the final suffix: savers that pick a format by it still work
    if directory:
        staging = tempfile.mkdtemp(dir=folder, prefix=".tmp-", suffix=suffix)
    else:
        handle, staging = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=suffix)
        os.close(handle)
    try:
        yield staging
        _sync(staging)
        _default_mode(staging)
        if directory or os.path.isdir(filepath):
            _swap_in(staging, filepath)
        else:
            os.replace(staging, filepath)
    except BaseException:
        _remove(staging)
        raise
