"""Both engines keep freed host memory for reuse: a 64 MB block (a torch tensor, or the copy XLA makes of
a NumPy batch) comes from the malloc heap, not from a fresh mmap region, unless the user turned it off or
tuned malloc already. Each case runs in a new process, since the setting is process-wide; glibc's
``mallinfo2`` tells where the block came from."""

import os
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the setting is glibc's mallopt")

PROBE = """
import ctypes
import lamina

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2
before = libc.mallinfo2().hblkhd
libc.malloc.restype = ctypes.c_void_p
block = libc.malloc(64 << 20)  # as torch allocates a tensor, or XLA its copy of a NumPy batch
ctypes.memset(block, 1, 64 << 20)
print("mmapped", libc.mallinfo2().hblkhd - before >= 64 << 20)
"""


def _block_was_mmapped(engine, **environment) -> bool:
    env = {key: value for key, value in os.environ.items()
           if key not in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES", "LD_PRELOAD",
                          "LAMINA_REUSE_HOST_MEMORY")}
    env.update(LAMINA_BACKEND=engine, **environment)
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()[-1] == "True"


def test_large_blocks_come_from_the_heap(engine):
    assert not _block_was_mmapped(engine)


def test_turned_off_by_the_environment(engine):
    assert _block_was_mmapped(engine, LAMINA_REUSE_HOST_MEMORY="0")


def test_a_users_own_malloc_setting_is_kept(engine):
    assert _block_was_mmapped(engine, MALLOC_MMAP_THRESHOLD_=str(1 << 20))
