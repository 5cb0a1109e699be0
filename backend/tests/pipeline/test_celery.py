"""The Celery executor: the same jobs through a real Redis broker and a worker started here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from qlf.dashboard.models import Job, Process
from qlf.paths import BACKEND_DIR
from tests.pipeline.kill import sigkill_worker_on_first_step
from tests.pipeline.rawfiles import write_raw

BROKER = os.environ.get("QLF_CELERY_BROKER") or "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not _redis_up(), reason=f"no Redis at {BROKER}"),
]


@pytest.fixture
def celery_queue(tmp_path):
    """A Celery worker (2 processes) on a queue of its own, stopped after the test."""
    queue = f"qlf-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "QLF_CELERY_BROKER": BROKER, "QLF_CELERY_QUEUE": queue}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "qlf", "worker", "-Q", queue, "-c", "2",
         "--pool", "prefork", "-n", f"{queue}@%h", "--without-gossip", "--without-mingle",
         "--loglevel", "INFO"],
        cwd=BACKEND_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield queue
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
    log.close()


def test_celery_executor_runs_the_camera_jobs(dirs, config, celery_queue, make_daemon):
    old = time.time() - 60
    for expid in (1, 2):
        write_raw(dirs["data"], expid=expid, mtime=old)
    config = replace(config, executor="celery", celery_queue=celery_queue)
    daemon, recorder = make_daemon(config=config)
    daemon.run(until=lambda: len(recorder.of("process.finished")) == 2, timeout=120)

    assert [e["payload"]["expid"] for e in recorder.of("process.finished")] == [1, 2]
    assert set(Process.objects.values_list("status", flat=True)) == {"done"}
    assert Job.objects.filter(status="done").count() == 6
    steps = recorder.of("job.step")
    assert {e["payload"]["state"] for e in steps} == {"started", "finished"}
    assert len(recorder.of("job.log")) >= 6 and len(recorder.of("qa.ingested")) == 6
    assert all(Path(job.qa_path).exists() for job in Job.objects.all())


def test_killed_celery_worker_process_fails_its_job(dirs, config, celery_queue, make_daemon):
    write_raw(dirs["data"], expid=1, mtime=time.time() - 60)
    config = replace(config, executor="celery", celery_queue=celery_queue)
    daemon, recorder = make_daemon(config=config, job_function="tests.pipeline.jobs:hanging_r0")
    killed = sigkill_worker_on_first_step(daemon, "r0")
    daemon.run(until=lambda: len(recorder.of("process.finished")) == 1, timeout=60)
    r0 = Job.objects.get(camera="r0")
    assert killed and r0.status == "failed"
    assert r0.error == "worker died (signal 9) while processing r0"
    assert Job.objects.filter(status="done").count() == 2


def test_jobs_no_worker_takes_raise_one_alarm(dirs, config, make_daemon):
    """QLF_EXECUTOR=celery with no worker on the queue: the exposure cannot finish, and the
    operator is told why (once), instead of a silent 'running' with an empty backlog."""
    queue = f"qlf-test-noworker-{uuid.uuid4().hex[:8]}"  # a queue no worker listens on
    write_raw(dirs["data"], expid=1, mtime=time.time() - 60)
    config = replace(config, executor="celery", celery_queue=queue)
    daemon, recorder = make_daemon(config=config)
    daemon.scheduler.executor.no_worker_after_s = 0.5

    daemon.run(until=lambda: recorder.of("alert"), timeout=30)
    deadline = time.monotonic() + 2.0  # more turns: still one alert
    daemon.run(until=lambda: time.monotonic() > deadline, timeout=10)

    alerts = [e["payload"] for e in recorder.of("alert")]
    assert len(alerts) == 1, alerts
    assert alerts[0]["level"] == "ALARM" and alerts[0]["expid"] == 1
    assert "3 camera jobs" in alerts[0]["text"]
    assert f"no Celery worker answers on queue '{queue}'" in alerts[0]["text"]
    assert not recorder.of("process.finished")
    redis.Redis.from_url(BROKER).delete(queue)  # the jobs nobody took
