"""The local executor: a pool of long-lived worker processes (``spawn``), one job each at a time.

Each worker has its own pipe, so the daemon always knows which camera a worker is running: a
worker that dies (killed, out of memory) fails exactly that job with the signal that killed it,
and a job running longer than ``job_timeout_s`` is killed and failed. The dead worker is
replaced and the other jobs go on. Workers import the science stack when they start, so a job
pays nothing for start-up.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import socket
import time
from collections import deque
from multiprocessing.connection import wait
from typing import Any

from qlf.pipeline.executors.job import DEFAULT_JOB, resolve_job, warm_up

__all__ = ["LocalExecutor"]


def _worker_main(conn, job_function: str) -> None:
    """A worker process: run jobs received on ``conn`` until told to stop or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the daemon, which stops us
    warm_up()
    function = resolve_job(job_function)
    host, pid = socket.gethostname(), os.getpid()
    conn.send({"kind": "ready", "job": None, "pid": pid})
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job_id, spec = message
        # "at": wall time in the worker, so that a benchmark sees how long it waited for work
        conn.send({"kind": "started", "job": job_id, "pid": pid, "host": host, "at": time.time()})

        def emit(event, job_id=job_id):
            conn.send({"kind": "event", "job": job_id, "event": event})

        try:
            result = function(spec, emit)
        except Exception as exc:  # the runner never raises; a bug here must not kill the worker
            conn.send({"kind": "failed", "job": job_id, "error": f"{type(exc).__name__}: {exc}"})
        else:
            conn.send({"kind": "result", "job": job_id, "result": result, "at": time.time()})


class _Worker:
    def __init__(self, context, job_function: str):
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_worker_main, args=(child, job_function), name="qlf-worker", daemon=True
        )
        self.process.start()
        child.close()
        self.ready = False
        self.job: str | None = None
        self.camera = ""
        self.since: float | None = None  # when the job started (after the worker's warm-up)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class LocalExecutor:
    def __init__(
        self, *, workers: int, job_timeout_s: float = 600.0, job_function: str = DEFAULT_JOB
    ):
        self.size = max(1, int(workers))
        self.job_timeout_s = job_timeout_s
        self.job_function = job_function
        self._context = mp.get_context("spawn")
        self._workers: list[_Worker] = []
        self._pending: deque[tuple[str, dict[str, Any]]] = deque()
        self._pending_low: deque[tuple[str, dict[str, Any]]] = deque()  # only when none waits
        self._out: list[dict[str, Any]] = []

    def start(self) -> None:
        while len(self._workers) < self.size:
            self._workers.append(_Worker(self._context, self.job_function))

    def submit(self, job_id: str, spec: dict[str, Any], *, low_priority: bool = False) -> None:
        (self._pending_low if low_priority else self._pending).append((job_id, spec))
        self._dispatch()

    def spare(self) -> int:
        """Low-priority jobs to take now: 0 while a live job waits; else enough to fill the idle
        workers and keep one more waiting per worker, so a worker that finishes a campaign camera
        gets the next at once (not after the daemon has ingested the last). Live jobs are still
        dispatched first: one never waits behind a campaign job that has not started."""
        if self._pending:
            return 0
        idle = sum(w.job is None and w.process.is_alive() for w in self._workers)
        return max(0, idle + self.size - len(self._pending_low))

    def running(self) -> dict[str, int]:
        """job id -> pid of the worker running it."""
        return {w.job: w.process.pid for w in self._workers if w.job is not None}

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Start the workers and wait until each has imported the science stack."""
        self.start()
        deadline = time.monotonic() + timeout
        while not all(w.ready for w in self._workers) and time.monotonic() < deadline:
            self._out.extend(self.poll(0.1))  # keep any report for the daemon's next poll
        return all(w.ready for w in self._workers)

    def poll(self, timeout: float) -> list[dict[str, Any]]:
        self.start()
        self._dispatch()
        if not self._out:
            ready = wait(
                [w.conn for w in self._workers] + [w.process.sentinel for w in self._workers],
                timeout=self._wait_time(timeout),
            )
            if ready:
                self._receive()
        self._check_timeouts()
        self._dispatch()
        out, self._out = self._out, []
        return out

    def cancel_pending(self, job_ids: set[str] | None = None) -> list[str]:
        """Withdraw the jobs not yet given to a worker (only ``job_ids`` if given)."""
        cancelled = []
        for pending in (self._pending, self._pending_low):
            keep = [(j, s) for j, s in pending if job_ids is not None and j not in job_ids]
            cancelled += [j for j, _ in pending if job_ids is None or j in job_ids]
            pending.clear()
            pending.extend(keep)
        return cancelled

    def shutdown(self) -> None:
        self._pending.clear()
        self._pending_low.clear()
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        deadline = time.monotonic() + 2
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            worker.kill()
        self._workers = []

    # -- internals ------------------------------------------------------------------------

    def _dispatch(self) -> None:
        for worker in self._workers:
            pending = self._pending or self._pending_low  # live jobs first
            if not pending:
                return
            if worker.job is None and worker.process.is_alive():
                job_id, spec = pending.popleft()
                worker.job, worker.camera, worker.since = job_id, spec["camera"], None
                with contextlib.suppress(OSError):  # died meanwhile: _receive reports it
                    worker.conn.send((job_id, spec))

    def _wait_time(self, timeout: float) -> float:
        busy = [w.since + self.job_timeout_s for w in self._workers if w.since is not None]
        if busy:
            timeout = min(timeout, max(0.0, min(busy) - time.monotonic()) + 0.01)
        return timeout

    def _receive(self) -> None:
        for index, worker in enumerate(list(self._workers)):
            try:
                while worker.conn.poll():
                    self._handle(worker, worker.conn.recv())
            except (EOFError, OSError):
                pass
            if not worker.process.is_alive():
                worker.process.join(1)
                self._replace(index, worker, _death(worker))

    def _handle(self, worker: _Worker, message: dict[str, Any]) -> None:
        if message["kind"] == "ready":
            worker.ready = True
            return
        self._out.append(message)
        if message["job"] != worker.job:
            return
        if message["kind"] == "started":
            worker.since = time.monotonic()
        elif message["kind"] in ("result", "failed"):
            worker.job, worker.since = None, None

    def _check_timeouts(self) -> None:
        now = time.monotonic()
        for index, worker in enumerate(list(self._workers)):
            if worker.since is not None and now - worker.since > self.job_timeout_s:
                self._replace(
                    index,
                    worker,
                    f"timed out after {self.job_timeout_s:g} s while processing {worker.camera}",
                )

    def _replace(self, index: int, worker: _Worker, error: str) -> None:
        worker.kill()
        if worker.job is not None:
            self._out.append({"kind": "failed", "job": worker.job, "error": error})
        self._workers[index] = _Worker(self._context, self.job_function)


def _death(worker: _Worker) -> str:
    code = worker.process.exitcode
    how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return f"worker died ({how}) while processing {worker.camera}"
