"""The Celery executor: one Celery task per camera, reports back through a Redis list.

The task pushes the same messages as the local pool (started, event, result, failed) as JSON
on the daemon's reply list, so step progress is live whatever node runs the camera. A job whose
worker disappears is failed by the job timeout (``QLF_JOB_TIMEOUT_S``) and revoked. Jobs that
no worker takes (none runs, or none listens on the queue) raise an ALARM: see
:meth:`CeleryExecutor.worker_alert`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import time
import uuid
from typing import Any

import redis
from celery.signals import task_failure, worker_process_init

from qlf.celery import app
from qlf.pipeline.executors.job import DEFAULT_JOB, resolve_job, warm_up

__all__ = ["CeleryExecutor", "camera_job"]

_REPLY_TTL_S = 24 * 3600
NO_WORKER_AFTER_S = 60.0  # a job not taken for this long makes the executor ask for workers


@app.task(name="qlf.camera_job")
def camera_job(job_id: str, spec: dict[str, Any], reply_to: str, job_function: str = DEFAULT_JOB):
    """Run one camera (in a Celery worker) and report to the daemon's list ``reply_to``."""
    client = redis.Redis.from_url(app.conf.broker_url)

    def send(message: dict[str, Any]) -> None:
        client.rpush(reply_to, json.dumps(message))
        client.expire(reply_to, _REPLY_TTL_S)

    send({"kind": "started", "job": job_id, "pid": os.getpid(), "host": socket.gethostname()})
    try:
        result = resolve_job(job_function)(
            spec, lambda event: send({"kind": "event", "job": job_id, "event": event})
        )
    except Exception as exc:  # the runner never raises; report rather than lose the job
        send({"kind": "failed", "job": job_id, "error": f"{type(exc).__name__}: {exc}"})
    else:
        send({"kind": "result", "job": job_id, "result": result})


@worker_process_init.connect
def _prepare_worker_process(**_):
    warm_up()  # as the local pool's workers: imports once, freed memory kept between cameras


@task_failure.connect
def _report_lost_worker(sender=None, task_id=None, exception=None, args=None, **_):
    """A worker process that died mid-camera (killed, out of memory): fail the job at once.

    Celery's pool notices the death and fails the task in the worker's main process, which
    still can report to the daemon; without this the job would wait for its timeout.
    """
    if getattr(sender, "name", "") != "qlf.camera_job" or not args or len(args) < 3:
        return
    job_id, spec, reply_to = args[0], args[1], args[2]
    text = str(exception)
    match = re.search(r"signal (\d+)", text)
    how = f"signal {match.group(1)}" if match else type(exception).__name__
    error = f"worker died ({how}) while processing {spec.get('camera', '?')}"
    client = redis.Redis.from_url(app.conf.broker_url)
    client.rpush(reply_to, json.dumps({"kind": "failed", "job": job_id, "error": error}))


class CeleryExecutor:
    def __init__(self, config, *, job_function: str = DEFAULT_JOB):
        self.config = config
        self.job_function = job_function
        self.queue = config.celery_queue
        self.reply_to = f"qlf:pipeline:reply:{uuid.uuid4().hex}"
        self._redis = redis.Redis.from_url(app.conf.broker_url)
        self._jobs: dict[str, dict[str, Any]] = {}  # job id -> celery id, camera, started
        self.no_worker_after_s = NO_WORKER_AFTER_S
        self._no_worker_alerted = False  # one alert while jobs keep waiting
        self._next_worker_check = 0.0

    def start(self) -> None:
        try:
            self._redis.ping()
        except redis.RedisError as exc:
            raise RuntimeError(f"Celery broker {app.conf.broker_url} not reachable: {exc}") from exc

    def submit(self, job_id: str, spec: dict[str, Any], *, low_priority: bool = False) -> None:
        queue = self.config.celery_campaign_queue if low_priority else self.queue
        sent = camera_job.apply_async(
            args=[job_id, spec, self.reply_to, self.job_function], queue=queue
        )
        self._jobs[job_id] = {
            "celery_id": sent.id,
            "camera": spec["camera"],
            "submitted": time.monotonic(),
            "started": None,
            "low": low_priority,
        }

    def spare(self) -> int:
        """Campaign slots free (``QLF_CAMPAIGN_SLOTS``, default the number of workers)."""
        slots = self.config.campaign_slots or self.config.workers
        return max(0, slots - sum(1 for info in self._jobs.values() if info.get("low")))

    def running(self) -> dict[str, int]:
        return {j: info["pid"] for j, info in self._jobs.items() if info.get("pid")}

    def poll(self, timeout: float) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        try:
            first = self._redis.blpop([self.reply_to], timeout=max(timeout, 0.01))
            raw = [first[1]] if first else []
            while first:
                more = self._redis.lpop(self.reply_to, 100)
                if not more:
                    break
                raw.extend(more)
        except redis.RedisError:  # broker restarting: the reports wait in the list
            time.sleep(min(timeout, 1.0))
            raw = []
        for item in raw:
            message = json.loads(item)
            info = self._jobs.get(message["job"])
            if info is None:
                continue  # a job cancelled or timed out meanwhile
            if message["kind"] == "started":
                info.update(started=time.monotonic(), pid=message.get("pid"))
            elif message["kind"] in ("result", "failed"):
                del self._jobs[message["job"]]
            out.append(message)
        out.extend(self._timeouts())
        return out

    def worker_alert(self) -> dict[str, Any] | None:
        """An ALARM when camera jobs have waited ``no_worker_after_s`` and no Celery worker
        answers on the queue (none started, or all on other queues); once until they are taken.
        Without it such jobs would wait silently: the timeout counts from a worker's start."""
        now = time.monotonic()
        waiting = [
            info
            for info in self._jobs.values()
            if info["started"] is None and now - info["submitted"] > self.no_worker_after_s
        ]
        if not waiting:
            self._no_worker_alerted = False
            return None
        if self._no_worker_alerted or now < self._next_worker_check:
            return None
        self._next_worker_check = now + max(self.no_worker_after_s / 2, 1.0)
        if self._queue_has_a_worker():
            return None
        self._no_worker_alerted = True
        return {
            "level": "ALARM",
            "camera": "",
            "expid": None,
            "text": f"{len(waiting)} camera jobs have waited over {self.no_worker_after_s:g} s "
            f"and no Celery worker answers on queue {self.queue!r}: start workers "
            f"(celery -A qlf worker -Q {self.queue}; under docker compose ./start.sh --docker "
            "starts them when QLF_EXECUTOR=celery)",
        }

    def _queue_has_a_worker(self) -> bool:
        try:
            replies = app.control.inspect(timeout=1.0).active_queues() or {}
        except Exception:  # the broker is down: no worker can be reached either
            return False
        return any(
            queue.get("name") == self.queue for queues in replies.values() for queue in queues or []
        )

    def cancel_pending(self, job_ids: set[str] | None = None) -> list[str]:
        pending = [
            j
            for j, info in self._jobs.items()
            if info["started"] is None and (job_ids is None or j in job_ids)
        ]
        for job_id in pending:
            app.control.revoke(self._jobs.pop(job_id)["celery_id"])
        return pending

    def shutdown(self) -> None:
        for info in self._jobs.values():
            app.control.revoke(info["celery_id"], terminate=info["started"] is not None)
        self._jobs.clear()
        with contextlib.suppress(redis.RedisError):
            self._redis.delete(self.reply_to)

    def _timeouts(self) -> list[dict[str, Any]]:
        now, limit = time.monotonic(), self.config.job_timeout_s
        late = [
            j for j, info in self._jobs.items() if info["started"] and now - info["started"] > limit
        ]
        failed = []
        for job_id in late:
            info = self._jobs.pop(job_id)
            app.control.revoke(info["celery_id"], terminate=True, signal="SIGKILL")
            error = f"timed out after {limit:g} s while processing {info['camera']}"
            failed.append({"kind": "failed", "job": job_id, "error": error})
        return failed
