"""Stopping, crashing and restarting: nothing lost, nothing done twice, a clear error."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from qlf.dashboard.models import Job, Metric, Process
from qlf.quicklook.runner import CameraTask, run_camera
from tests.pipeline.kill import sigkill_worker_on_first_step
from tests.pipeline.rawfiles import write_raw

CAMERAS = ("b0", "r0", "z0", "b1", "r1", "z1")


def _count(recorder, type):
    return lambda: len(recorder.of(type))


def test_stop_mid_exposure_then_start_resumes(dirs, make_daemon):
    old = time.time() - 60
    for expid in (1, 2):
        write_raw(dirs["data"], expid=expid, cameras=CAMERAS, mtime=old)
    daemon, recorder = make_daemon(job_function="tests.pipeline.jobs:slow")

    def stop_after_first_camera(message):
        if message["type"] == "qa.ingested" and len(recorder.of("qa.ingested")) == 1:
            daemon.stop()

    daemon.publisher.listeners.append(stop_after_first_camera)
    daemon.run(until=lambda: daemon.scheduler.state == "stopped", timeout=60)

    process = Process.objects.get(exposure_id=1)
    assert process.status == "running"  # interrupted, to be resumed
    jobs = dict(Job.objects.filter(process=process).values_list("camera", "status"))
    assert "queued" in jobs.values() and "done" in jobs.values()
    assert Process.objects.get(exposure_id=2).status == "queued"
    assert recorder.of("pipeline.status")[-1]["payload"]["state"] == "stopped"
    before = len(recorder.of("qa.ingested"))

    daemon.start()
    daemon.run(until=lambda: len(recorder.of("process.finished")) == 2, timeout=60)
    assert [e["payload"]["expid"] for e in recorder.of("process.finished")] == [1, 2]
    assert Process.objects.get(exposure_id=1).status == "done"
    ingested = [e["payload"]["camera"] for e in recorder.of("qa.ingested")]
    assert len(ingested) == 2 * len(CAMERAS)  # each camera of each exposure exactly once
    assert sorted(ingested[:6]) == sorted(CAMERAS) and before < 6
    assert Job.objects.filter(status="done").count() == 12


def test_killed_worker_fails_its_job_and_the_night_goes_on(dirs, make_daemon):
    old = time.time() - 60
    write_raw(dirs["data"], expid=1, mtime=old)
    write_raw(dirs["data"], expid=2, mtime=old, cameras=("b0",))
    daemon, recorder = make_daemon(job_function="tests.pipeline.jobs:hanging_r0")
    killed = sigkill_worker_on_first_step(daemon, "r0")
    daemon.run(until=lambda: len(recorder.of("process.finished")) == 2, timeout=60)
    assert len(killed) == 1

    r0 = Job.objects.get(process__exposure_id=1, camera="r0")
    assert r0.status == "failed"
    assert r0.error == "worker died (signal 9) while processing r0"
    assert r0.failed_step == "CHECK_CCDs"
    assert "worker died" in Path(r0.log_path).read_text()
    first, second = recorder.of("process.finished")
    assert first["payload"]["status"] == "failed" and second["payload"]["status"] == "done"
    assert Job.objects.get(process__exposure_id=1, camera="b0").status == "done"
    alarms = [e for e in recorder.of("alert") if e["payload"]["camera"] == "r0"]
    assert alarms and "worker died" in alarms[0]["payload"]["text"]
    failed_steps = [e for e in recorder.of("job.step") if e["payload"]["state"] == "failed"]
    assert [e["payload"]["camera"] for e in failed_steps] == ["r0"]


def test_job_timeout_fails_the_job(dirs, config, make_daemon):
    write_raw(dirs["data"], expid=1, mtime=time.time() - 60)
    config = replace(config, job_timeout_s=1.5)
    daemon, recorder = make_daemon(config=config, job_function="tests.pipeline.jobs:hanging_r0")
    daemon.run(until=_count(recorder, "process.finished"), timeout=60)
    r0 = Job.objects.get(camera="r0")
    assert r0.status == "failed" and r0.error == "timed out after 1.5 s while processing r0"
    assert Job.objects.filter(status="done").count() == 2


def test_restarted_daemon_resumes_its_queue(dirs, config, make_daemon):
    old = time.time() - 60
    for expid in (1, 2, 3):
        write_raw(dirs["data"], expid=expid, cameras=CAMERAS, mtime=old)
    first, recorder1 = make_daemon(job_function="tests.pipeline.jobs:slow")
    first.run(until=lambda: len(recorder1.of("qa.ingested")) >= 1, timeout=60)
    first.shutdown()  # the daemon dies mid-exposure: its workers die with it

    process = Process.objects.get(exposure_id=1)
    assert process.status == "running"
    left = list(Job.objects.filter(process=process).exclude(status="done"))
    assert left
    # one camera finished its QA file but the daemon died before ingesting it
    on_disk = left[0].camera
    raw = dirs["data"] / "20261122" / "00000001" / "desi-00000001.fits.fz"
    run_camera(
        CameraTask(raw, on_disk, config.scratch_dir, specs_dir=config.specs_dir),
    )
    metrics_before = Metric.objects.count()

    second, recorder2 = make_daemon(job_function="tests.pipeline.jobs:slow")
    second.run(until=lambda: len(recorder2.of("process.finished")) == 3, timeout=90)
    assert [e["payload"]["expid"] for e in recorder2.of("process.finished")] == [1, 2, 3]
    assert not recorder2.of("exposure.discovered")  # already registered: not queued again
    assert Process.objects.count() == 3
    assert set(Process.objects.values_list("status", flat=True)) == {"done"}
    stepped = {e["payload"]["camera"] for e in recorder2.of("job.step")
               if e["payload"]["process_id"] == process.pk}  # fmt: skip
    assert on_disk not in stepped  # ingested from its QA file, not run again
    ingested = [e["payload"]["camera"] for e in recorder2.of("qa.ingested")
                if e["payload"]["process_id"] == process.pk]  # fmt: skip
    assert sorted(ingested) == sorted(j.camera for j in left)
    # no duplicate metric rows: one set per exposure and camera
    per_camera = Metric.objects.filter(expid=1).values_list("camera", "key", "index")
    assert len(per_camera) == len(set(per_camera))
    assert Metric.objects.count() > metrics_before


def test_unexpected_error_in_the_loop_is_survived(dirs, make_daemon, monkeypatch):
    write_raw(dirs["data"], expid=1, mtime=time.time() - 60)
    from qlf.pipeline import daemon as daemon_module
    from qlf.pipeline import ingest

    monkeypatch.setattr(daemon_module, "_ERROR_PAUSE_S", 0.1)
    real, failures = ingest.job_ingest, []

    def failing_once(process_id, qa_path):
        if not failures:
            failures.append(qa_path)
            raise RuntimeError("disk on fire")
        return real(process_id, qa_path)

    monkeypatch.setattr(ingest, "job_ingest", failing_once)
    daemon, recorder = make_daemon()
    daemon.run(until=_count(recorder, "process.finished"), timeout=60)
    assert failures and daemon.error == ""
    assert Process.objects.get().status == "done"
    assert Job.objects.filter(status="done").count() == 3


def test_start_while_stopping_goes_on_with_the_exposure(dirs, make_daemon):
    write_raw(dirs["data"], expid=1, cameras=CAMERAS, mtime=time.time() - 60)
    # The first step of every camera waits for a gate file: when the first step starts, two
    # cameras are surely running (a paced job could finish under load before the stop).
    daemon, recorder = make_daemon(job_function="tests.faults.jobs:gated_steps")

    done = []

    def stop_then_start(message):
        if message["type"] == "job.step" and not done:
            done.append(message)
            daemon.stop()
            assert daemon.scheduler.state == "stopping"
            daemon.start()
            (dirs["scratch"] / "gate").touch()

    daemon.publisher.listeners.append(stop_then_start)
    daemon.run(until=_count(recorder, "process.finished"), timeout=60)
    assert Job.objects.filter(status="done").count() == len(CAMERAS)
    states = [e["payload"]["state"] for e in recorder.of("pipeline.status")]
    assert "stopping" in states and states[-1] == "idle"


def test_database_error_during_a_batch_loses_no_report(dirs, make_daemon, monkeypatch):
    write_raw(dirs["data"], expid=1, mtime=time.time() - 60)
    from django.db import OperationalError

    from qlf.pipeline import ingest

    real, failures = ingest.job_ingest_qa, []

    def flaky(**kwargs):
        if not failures:
            failures.append(kwargs["qa_path"])
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(ingest, "job_ingest_qa", flaky)
    daemon, recorder = make_daemon()
    daemon.run(until=_count(recorder, "process.finished"), timeout=60)
    assert failures
    assert Job.objects.filter(status="done").count() == 3
    assert len(recorder.of("qa.ingested")) == 3  # each camera once: the failed batch sent nothing
    assert Process.objects.get().status == "done"
