"""Workers killed or hung mid-step, and disks filling up: the camera fails with a clear error,
the worker is replaced, the night goes on."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import replace
from pathlib import Path

from qlf.dashboard.models import Job, Process
from tests.faults.conftest import arrive, finished, wait_for
from tests.pipeline.kill import sigkill_worker_on_first_step

Usage = namedtuple("Usage", "total used free")


def _job(expid: int, camera: str) -> Job:
    return Job.objects.get(process__exposure_id=expid, camera=camera)


def _alerts(recorder, expid: int, camera: str) -> list[dict]:
    return [e["payload"] for e in recorder.of("alert")
            if e["payload"]["expid"] == expid and e["payload"]["camera"] == camera]  # fmt: skip


def _night_goes_on(recorder, expid: int = 2) -> None:
    arrive_and_wait = Process.objects.get(exposure_id=expid)
    assert arrive_and_wait.status == "done"
    assert {j.status for j in arrive_and_wait.jobs.all()} == {"done"}
    assert [e["payload"]["expid"] for e in recorder.of("process.finished")] == [1, expid]


def _assert_failed_once(recorder, expid, camera, error):
    job = _job(expid, camera)
    assert job.status == "failed" and job.error == error
    assert job.failed_step == "CHECK_CCDs"
    assert Path(job.log_path).read_text().rstrip().endswith(f"ERROR {error}")
    alerts = _alerts(recorder, expid, camera)
    assert [a["level"] for a in alerts] == ["ALARM"] and error in alerts[0]["text"]
    steps = [e["payload"] for e in recorder.of("job.step")
             if e["payload"]["camera"] == camera and e["payload"]["state"] == "failed"]  # fmt: skip
    assert [s["step"] for s in steps] == ["CHECK_CCDs"]


def test_worker_killed_mid_step(dirs, make_daemon):
    daemon, recorder = make_daemon(job_function="tests.faults.jobs:slow_steps")
    killed = sigkill_worker_on_first_step(daemon, "r0")
    daemon.start_background()
    arrive(dirs, 1, flavor="science")
    wait_for(finished(recorder, 1), timeout=120)
    assert len(killed) == 1
    _assert_failed_once(recorder, 1, "r0", "worker died (signal 9) while processing r0")
    assert _job(1, "b0").status == "done"
    assert Process.objects.get(exposure_id=1).status == "failed"
    arrive(dirs, 2, flavor="science")  # a new worker takes r0
    wait_for(finished(recorder, 2), timeout=120)
    _night_goes_on(recorder)


def test_worker_hung_past_the_timeout(dirs, config, make_daemon):
    config = replace(config, job_timeout_s=3.0)
    daemon, recorder = make_daemon(config=config, job_function="tests.faults.jobs:hang_r0_of_1")
    daemon.start_background()
    arrive(dirs, 1)
    wait_for(finished(recorder, 1), timeout=120)
    _assert_failed_once(recorder, 1, "r0", "timed out after 3 s while processing r0")
    assert _job(1, "b0").status == "done"
    arrive(dirs, 2)
    wait_for(finished(recorder, 2), timeout=120)
    _night_goes_on(recorder)


def test_disk_nearly_full_then_full(dirs, make_daemon):
    """Nearly full: one ALARM for the filesystem, processing goes on. Full while a camera
    writes its products: that camera fails saying so, the others and the next exposure run."""
    daemon, recorder = make_daemon(job_function="tests.faults.jobs:disk_full_for_r0_of_1")
    fill = {"percent": 98.0}
    daemon.disk_watch.usage = lambda path: Usage(1000, fill["percent"] * 10, 0)
    daemon.disk_watch.every_s = 0.0
    daemon.start_background()
    arrive(dirs, 1)
    wait_for(finished(recorder, 1), timeout=120)
    disk = [e["payload"] for e in recorder.of("alert") if "disk" in e["payload"]]
    assert [a["level"] for a in disk] == ["ALARM"]  # one, not one per poll
    assert "98.0 % full" in disk[0]["text"]
    r0 = _job(1, "r0")
    assert r0.status == "failed" and "No space left on device" in r0.error, r0.error
    assert any("No space left" in a["text"] for a in _alerts(recorder, 1, "r0"))
    assert _job(1, "b0").status == "done"
    assert daemon.error == ""  # the loop itself never stopped
    fill["percent"] = 50.0  # space freed
    arrive(dirs, 2)
    wait_for(finished(recorder, 2), timeout=120)
    _night_goes_on(recorder)
    assert len([e for e in recorder.of("alert") if "disk" in e["payload"]]) == 1
