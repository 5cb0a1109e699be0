"""Set-up of a process that runs camera after camera (a pipeline worker, ``qlf bench camera``).

- **Freed memory is kept.** A camera allocates and frees hundreds of megabytes of arrays (4k × 4k
  images, 500 × 4k spectra). By default glibc returns freed heap tops and large blocks to the
  kernel, so the next step or camera faults every page in again: 20,000 page faults, 0.1–0.3 s
  of system time per desi camera on a virtual machine. Blocks up to 32 MB are served from the
  heap, which is never trimmed; the process keeps its peak footprint (≈ 0.5 GB for a desi
  camera, within the 1.5 GB a worker may use).
- **BLAS runs on one thread.** Workers already use every core, one camera each; a threaded
  OpenBLAS only spins waiting for a core (a 500 × 500 solve: 34 ms of CPU instead of 4).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

__all__ = ["keep_freed_memory", "prepare_worker_process", "single_thread_blas"]

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed value on 64-bit systems
_TRIM_THRESHOLD = 1 << 30
_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_SET_THREADS = (  # OpenBLAS builds name it differently (numpy's and scipy's wheels prefix it)
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def prepare_worker_process() -> None:
    keep_freed_memory()
    single_thread_blas()


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


def single_thread_blas() -> int:
    """One BLAS thread: for libraries loaded later through the environment, for those already
    loaded through their own call. Returns how many loaded OpenBLAS libraries were set."""
    for name in _THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    count = 0
    for path in _loaded_libraries("openblas"):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for symbol in _SET_THREADS:
            function = getattr(library, symbol, None)
            if function is not None:
                function.argtypes, function.restype = [ctypes.c_int], None
                function(1)
                count += 1
                break
    return count


def _loaded_libraries(fragment: str) -> list[str]:
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if fragment in line and ".so" in line}
    except OSError:
        return []
    return sorted(p for p in paths if os.path.isfile(p))
