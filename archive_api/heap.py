"""Freed memory kept for reuse, so each request's megabyte buffers are not fresh pages.

Every upload and download handles buffers of about a segment (1 MiB): body pieces, plaintext,
ciphertext, object-store parts. glibc's malloc hands blocks that large back to the kernel when
they are freed (mmap threshold, heap trimming), so the next request's buffers are new pages,
each faulted in: encrypting 1 MiB took 1.8 ms of CPU on the main thread of a plain process
against 0.2 ms with the memory kept, and the server's CPU per 1 MiB upload fell from 21.6 to
16.5 ms (BENCHMARKS.md, per-request cost). Blocks up to MMAP_THRESHOLD come from the heap, and
up to TRIM_THRESHOLD of free memory at a heap's top stays with the process.
"""

from __future__ import annotations

import ctypes
import logging

MMAP_THRESHOLD = 32 << 20  # larger blocks (a whole file for stamping) still go back at once
TRIM_THRESHOLD = 64 << 20
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
logger = logging.getLogger(__name__)


def keep_freed_memory() -> bool:
    """Tell glibc's malloc to keep freed blocks for reuse; False where there is no glibc."""
    try:
        libc = ctypes.CDLL(None)  # the C library this process runs on
    except OSError:
        return False
    mallopt = getattr(libc, "mallopt", None)  # glibc has it, musl does not
    if mallopt is None:
        return False
    done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
    if not done:
        logger.warning("the C library refused to keep freed memory; requests cost more CPU")
    return done
