"""Job functions for the executor tests, importable by spawned workers (``tests.pipeline.jobs``)."""

from __future__ import annotations

import time

from qlf.pipeline.executors.job import execute_job

__all__ = ["failing_r0", "hanging_r0", "pause", "slow", "slow_steps"]


def slow(spec, emit):
    """The real job, a little slower, so that a test can act while an exposure is running."""
    time.sleep(0.3)
    return execute_job(spec, emit)


def hanging_r0(spec, emit):
    """r0 starts its first step and hangs (to be killed or timed out); the others run."""
    if spec["camera"] == "r0":
        emit({"type": "step", "camera": "r0", "step": "CHECK_CCDs", "state": "started"})
        time.sleep(120)
    return execute_job(spec, emit)


def slow_steps(spec, emit):
    """The real job, pausing after each step starts (a step takes a while, as at full size)."""

    def paced(event):
        emit(event)
        if event.get("type") == "step" and event.get("state") == "started":
            time.sleep(0.3)

    return execute_job(spec, paced)


def failing_r0(spec, emit):
    """r0 fails the same way every time it runs (an ALARM alert); the others run."""
    if spec["camera"] == "r0":
        raise RuntimeError("r0 amplifier unreadable")
    return execute_job(spec, emit)


def pause(spec, emit):
    """No science: a fifth of a second, then the camera (executor scheduling tests)."""
    time.sleep(0.2)
    return {"camera": spec["camera"]}
