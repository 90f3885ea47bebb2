"""Atomic writes: files users care about are written under a temporary name beside the target and renamed
over it only when complete, so a crash or an error never leaves a half-written or missing file.

Temporaries are named ``.lamina-tmp-<pid>-<random>-<name>`` (an old folder moved aside while a folder is
replaced: ``.lamina-old-...``), ending in the target's name so that savers which pick a format by the
suffix still work. A save killed before its rename leaves one behind; the next save of the same target
removes those whose process is gone (and moves an orphaned ``old`` folder back when the target is missing).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import threading

_TEMPORARY = ".lamina-tmp-"
_MOVED_ASIDE = ".lamina-old-"
_active = set()  # this process's temporaries in use (another thread may be saving the same target)
_active_lock = threading.Lock()


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
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.remove(path)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _stale_temporaries(folder: str, name: str):
    """``(path, moved_aside)`` for each temporary of target ``name`` in ``folder`` whose save is over:
    its process is gone, or it is this process's and no save here uses it."""
    pattern = re.compile(r"\.lamina-(tmp|old)-(\d+)-[a-z0-9_]{8}-" + re.escape(name))
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry)
        if not match:
            continue
        path, pid = os.path.join(folder, entry), int(match.group(2))
        if pid == os.getpid():
            with _active_lock:
                if path in _active:
                    continue
        elif _process_alive(pid):
            continue
        yield path, match.group(1) == "old"


def sweep(filepath: str) -> None:
    """Remove what killed saves of ``filepath`` left beside it; an old folder moved aside by a replacement
    that never finished goes back to ``filepath`` when nothing took its place."""
    folder, name = os.path.split(os.path.abspath(filepath))
    for path, moved_aside in _stale_temporaries(folder, name):
        try:
            if moved_aside and not os.path.lexists(filepath):
                os.rename(path, filepath)
            else:
                _remove(path)
        except OSError:  # another process swept it first
            pass


def _swap_in(staging: str, filepath: str) -> None:
    """Rename ``staging`` to ``filepath``, moving an existing ``filepath`` aside first (back, on failure)."""
    if not os.path.lexists(filepath):
        os.rename(staging, filepath)
        return
    folder, name = os.path.split(staging)
    old = os.path.join(folder, _MOVED_ASIDE + name[len(_TEMPORARY):])
    with _active_lock:
        _active.add(old)
    try:
        os.rename(filepath, old)
        try:
            os.rename(staging, filepath)
        except BaseException:
            os.rename(old, filepath)
            raise
        _remove(old)
    finally:
        with _active_lock:
            _active.discard(old)


@contextlib.contextmanager
def atomic_path(filepath: str, directory: bool = False):
    """Yield a temporary path (a file, or a folder when ``directory``) beside ``filepath``; move it onto
    ``filepath`` when the block succeeds, delete it when the block raises.

    A file replaces the target in one rename. A folder (or a file replacing a folder) takes two: the old
    target is moved aside first and deleted after, so it survives under its temporary name until the
    new one is in place. Temporaries left by earlier killed saves of ``filepath`` are removed first.
    """
    folder = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(folder, exist_ok=True)
    sweep(filepath)
    prefix = f"{_TEMPORARY}{os.getpid()}-"
    suffix = f"-{os.path.basename(filepath)}"  # the final suffix: savers that pick a format by it still work
    with _active_lock:  # registered before it exists, so a concurrent sweep in this process never takes it
        if directory:
            staging = tempfile.mkdtemp(dir=folder, prefix=prefix, suffix=suffix)
        else:
            handle, staging = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
            os.close(handle)
        _active.add(staging)
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
    finally:
        with _active_lock:
            _active.discard(staging)
