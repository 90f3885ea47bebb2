"""Keep freed host memory in the process for reuse, so CPU buffers skip page faults (both engines).

torch allocates CPU tensors with ``malloc`` and keeps no cache of its own; XLA's CPU client copies each NumPy
batch a compiled step is given (one not 64-byte aligned) into a fresh ``malloc`` block. glibc serves blocks
above its mmap threshold (a few MB at most) from fresh ``mmap`` regions and unmaps them on free, so every
step touches its activations, gradients and input copies as new pages: one page fault per 4 kB. In the
small image CNN of ``bench/image_cnn.py`` the element-wise passes over a (128, 26, 26, 32) activation took
3-5 ms each for that reason, and an epoch ran 30% slower than with freed memory reused; on JAX, copying
60000x784 float32 in batches of 1024 took 31 ms instead of 16 ms (bulk predict 4% faster, the MLP's epoch
4-5%). Raising glibc's mmap and trim thresholds keeps such blocks in the heap, as TensorFlow's allocator
keeps its own.

The setting is process-wide; lamina takes it only where glibc is the allocator and nobody set it already
(``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``, ``GLIBC_TUNABLES`` or a preloaded jemalloc or
tcmalloc), and never when ``LAMINA_REUSE_HOST_MEMORY=0`` or the config file says
``"reuse_host_memory": false``. Blocks of 256 MiB and more still come from ``mmap``, and the heap still
shrinks once over 1 GiB of it is free at its top.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt parameters, from glibc's malloc.h
MMAP_THRESHOLD = 256 << 20
TRIM_THRESHOLD = 1 << 30
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES", "LD_PRELOAD")


def _glibc():
    """The C library when it is glibc (the one with ``mallopt``), else None."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def reuse_freed_memory(enabled: bool) -> bool:
    """Raise glibc's mmap and trim thresholds; True when this call set them."""
    if not enabled or any(os.environ.get(name) for name in _USER_SETTINGS):
        return False
    libc = _glibc()
    if libc is None:
        return False
    mmap_set = libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    trim_set = libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    return bool(mmap_set and trim_set)
