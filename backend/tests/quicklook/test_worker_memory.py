"""Workers keep freed memory (glibc's allocator configured once per worker process)."""

from __future__ import annotations

import ctypes.util
import platform

import pytest

from qlf.pipeline.executors.job import warm_up
from qlf.quicklook.worker_memory import keep_freed_memory


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)
def test_glibc_accepts_the_settings():
    assert ctypes.util.find_library("c")
    assert keep_freed_memory() is True
    warm_up()  # what every worker runs first: must not raise
