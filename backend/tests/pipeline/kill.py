"""Killing a worker process in the middle of a camera job, from the daemon's event stream."""

from __future__ import annotations

import os
import signal


def sigkill_worker_on_first_step(daemon, camera: str) -> list[int]:
    """SIGKILL the worker running ``camera`` at its first ``job.step`` event.

    Returns the list that receives the killed process id (empty until it happens).
    """
    killed: list[int] = []

    def kill(message):
        payload = message["payload"]
        if message["type"] == "job.step" and payload["camera"] == camera and not killed:
            running = daemon.scheduler.executor.running()
            prefix = f"{payload['process_id']}:{camera}:"
            pid = next(p for job, p in running.items() if job.startswith(prefix))
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    daemon.publisher.listeners.append(kill)
    return killed
