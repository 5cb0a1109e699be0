"""Job functions of the fault suite, importable by spawned workers (``tests.faults.jobs``)."""

from __future__ import annotations

import builtins
import errno
import io
import time
from pathlib import Path

from qlf.pipeline.executors.job import execute_job
from tests.pipeline.jobs import slow_steps

__all__ = ["disk_full_for_r0_of_1", "gated_steps", "hang_r0_of_1", "slow_steps"]


def _r0_of_1(spec) -> bool:
    return spec["camera"] == "r0" and Path(spec["raw_path"]).name == "desi-00000001.fits.fz"


def hang_r0_of_1(spec, emit):
    """r0 of exposure 1 starts its first step and hangs; every other camera runs."""
    if _r0_of_1(spec):
        emit({"type": "step", "camera": "r0", "step": "CHECK_CCDs", "state": "started"})
        time.sleep(300)
    return execute_job(spec, emit)


def disk_full_for_r0_of_1(spec, emit):
    """r0 of exposure 1 runs on a full scratch disk: every file opened for writing there fails
    with ENOSPC (the worker's ``open`` is restored afterwards)."""
    if not _r0_of_1(spec):
        return execute_job(spec, emit)
    real_open, scratch = builtins.open, str(Path(spec["scratch_dir"]).resolve())

    def full_open(file, mode="r", *args, **kwargs):
        if any(m in mode for m in "wax") and str(Path(file).resolve()).startswith(scratch):
            raise OSError(errno.ENOSPC, "No space left on device", str(file))
        return real_open(file, mode, *args, **kwargs)

    builtins.open = io.open = full_open  # (pathlib opens through io.open)
    try:
        return execute_job(spec, emit)
    finally:
        builtins.open = io.open = real_open


def gated_steps(spec, emit):
    """The real job, whose first step waits until the file ``gate`` exists in the scratch
    directory: a test acts while every camera is surely still running (no timing involved)."""
    gate = Path(spec["scratch_dir"]) / "gate"

    def held(event):
        emit(event)
        if event.get("type") == "step" and event.get("state") == "started":
            deadline = time.monotonic() + 120
            while not gate.exists() and time.monotonic() < deadline:
                time.sleep(0.02)

    return execute_job(spec, held)
