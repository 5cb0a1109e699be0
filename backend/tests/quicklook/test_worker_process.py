"""Worker processes keep freed memory and run BLAS on one thread (set up once per process)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

from qlf.quicklook.worker_process import keep_freed_memory

LINUX_GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not LINUX_GLIBC, reason="glibc only")
def test_glibc_accepts_the_allocator_settings():
    assert keep_freed_memory() is True


@pytest.mark.skipif(not LINUX_GLIBC, reason="Linux only")
def test_a_worker_runs_blas_on_one_thread():
    """In a fresh process: after the worker's warm-up, numpy's OpenBLAS reports one thread."""
    code = (
        "import numpy as np\n"
        "from qlf.pipeline.executors.job import warm_up\n"
        "warm_up()\n"
        "from qlf.quicklook.worker_process import single_thread_blas\n"
        "import ctypes, qlf.quicklook.worker_process as w\n"
        "libs = w._loaded_libraries('openblas')\n"
        "get = [getattr(ctypes.CDLL(p), 'scipy_openblas_get_num_threads64_', None) for p in libs]\n"
        "print(sorted({g() for g in get if g is not None}), single_thread_blas())\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    threads, libraries = out.rsplit(" ", 1)
    assert threads.strip() == "[1]" and int(libraries) >= 1
