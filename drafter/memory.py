"""How this process's allocator treats the large arrays that searching and indexing use."""

from __future__ import annotations

import sys

_TUNED = False


def keep_freed_arrays_in_heap(batch: bool = False) -> None:
    """glibc only: keep freed blocks up to 32 MB in the heap (and trim past 64 MB).

    A query allocates and frees arrays of the library's size (8 MB at a million
    paragraphs), and an index build arrays of a chunk's terms (20 MB). A fresh glibc
    process serves each from a new mmap and unmaps it on free, so every query or chunk
    faults its pages in again: the candidate stage took 4–6 ms instead of 1.2 ms at
    100,000 paragraphs, and a million paragraphs' build spent 15 s in the kernel instead
    of 7 (docs/benchmarks.md). Every process that opens an engine, builds an index or
    works for a build (drafter/workers.py) calls this.

    `batch`: a worker process of a batch job (drafter/workers.py), which ends with the
    job and so may keep more (blocks up to 256 MB, trimmed past 512 MB, the heap grown
    64 MB at a time); a long-lived process keeps the smaller bounds."""
    global _TUNED
    if _TUNED or not sys.platform.startswith("linux"):
        return
    _TUNED = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        if batch:
            libc.mallopt(-3, 256 << 20)  # M_MMAP_THRESHOLD
            libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD
            libc.mallopt(-2, 64 << 20)  # M_TOP_PAD
        else:
            libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD
            libc.mallopt(-1, 64 << 20)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass  # not glibc (musl, a sandbox): the default allocator, a little slower
