"""Giving freed memory back to the operating system between the big steps of a recompute.

At province scale each step allocates and frees hundreds of MB of numpy temporaries.
glibc's malloc serves arrays below its mmap threshold (which grows, up to 32 MB, as large
arrays are freed) from its heap and keeps their pages when they are freed in the middle of
it, and pyarrow's allocator keeps freed pages for reuse: measured at province scale, each
indicator left ~250-300 MB of such pages behind (T1: +824 MB of RSS for 520 MB of results),
so the peak RSS grew with every step. ``release()`` returns them: ``malloc_trim`` (glibc)
and pyarrow's ``release_unused``. A no-op where either is missing.

It is not free: pages given back are faulted in again by the next allocations (about a
second of a province-scale recompute when released after every step), so the pipeline
releases only before its peak (after the read, and between T1 and T2).
"""

import contextlib
import ctypes
import ctypes.util
import functools
import os
import threading


@functools.cache
def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def release() -> None:
    """Return the free pages of the C heap and of pyarrow's pool to the operating system."""
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        pass
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def small_pages():
    """numpy's large arrays on ordinary pages for the duration (restored afterwards).

    On Linux numpy asks for transparent huge pages (``madvise``) for every array of 4 MB or
    more. Where the kernel defragments memory on such a request (``defrag`` set to
    ``madvise``, a host whose memory is mostly page cache, as the benchmark machine), each
    fresh array can stall in the kernel: measured at province scale, T1 spent 1.0-1.5 s of
    its 2.1-2.4 s in system time, 0.3 s with ordinary pages, for the same results. The
    environment variable ``NUMPY_MADVISE_HUGEPAGE`` (numpy's own switch), when set, is
    left to decide. The switch is the process's: threads inside at once share one
    setting, restored when the last one leaves.
    """
    toggle = _hugepage_toggle()
    if toggle is None or "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        yield
        return
    with _SMALL_PAGES_LOCK:
        if not _small_pages_users:
            _small_pages_users.append(toggle(False))  # the setting to restore
        _small_pages_users.append(None)
    try:
        yield
    finally:
        with _SMALL_PAGES_LOCK:
            _small_pages_users.pop()
            if len(_small_pages_users) == 1:
                toggle(_small_pages_users.pop())


_SMALL_PAGES_LOCK = threading.Lock()
_small_pages_users: list = []  # [setting before the first user, one entry per user]


def _hugepage_toggle():
    """numpy's runtime switch for its huge-page advice (``NUMPY_MADVISE_HUGEPAGE`` at
    import); None where this numpy has none."""
    import numpy as np

    for module in ("_core", "core"):
        multiarray = getattr(getattr(np, module, None), "multiarray", None)
        toggle = getattr(multiarray, "_set_madvise_hugepage", None)
        if toggle is not None:
            return toggle
    return None
