"""Keep freed memory in a worker process rather than handing it back to the kernel.

A camera allocates and frees hundreds of megabytes of arrays (4k × 4k images, 500 × 4k spectra).
By default glibc returns freed heap tops and large blocks to the kernel, so the next camera
(or the next step) faults every page in again: 20,000 page faults, 0.1–0.3 s of system time
per desi camera on a virtual machine. Serving blocks up to 32 MB from the heap and never
trimming it removes that cost; the process keeps its peak footprint (≈ 0.5 GB for a desi
camera, within the 1.5 GB a worker may use).
"""

from __future__ import annotations

import ctypes
import ctypes.util

__all__ = ["keep_freed_memory"]

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed value on 64-bit systems
_TRIM_THRESHOLD = 1 << 30


def keep_freed_memory() -> bool:
    """Configure glibc's allocator for this process; False where it is not glibc."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(
        mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD) and mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
    )
