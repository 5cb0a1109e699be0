"""The daemon killed (SIGKILL) in the middle of an exposure and started again: the unfinished
exposure is resumed, not restarted; every camera is ingested exactly once."""

from __future__ import annotations

import os
import signal
from collections import Counter

from qlf.dashboard.models import Event, Exposure, Job, Metric, Process
from tests.faults.conftest import arrive, wait_for

CAMERAS = ("b0", "b1", "r0", "r1")


def _events(type: str, **match) -> list[dict]:
    return [
        e.payload
        for e in Event.objects.filter(type=type).order_by("seq")
        if all(e.payload.get(k) == v for k, v in match.items())
    ]


def _all_closed():
    """Both processes closed and their ends journaled (the last write of each)."""
    return len(_events("process.finished")) == 2


def test_daemon_killed_mid_exposure_resumes_on_restart(dirs, spawn_daemon):
    options = {"QLF_SPECTROGRAPHS": "0,1", "QLF_WORKERS": "1"}  # one camera after the other
    first = spawn_daemon("tests.faults.jobs:slow_steps", **options)
    for expid in (1, 2):
        arrive(dirs, expid, flavor="science", cameras=CAMERAS)
    wait_for(lambda: Job.objects.filter(process__exposure_id=1, status="done").exists(), 120)
    os.kill(first.pid, signal.SIGKILL)  # kill -9 of the daemon, mid-exposure
    first.wait(30)
    process = Process.objects.get(exposure_id=1)
    done_before = set(process.jobs.filter(status="done").values_list("camera", flat=True))
    assert process.status == "running" and 0 < len(done_before) < len(CAMERAS)
    assert not Process.objects.filter(status__in=("done", "failed")).exists()

    spawn_daemon(**options)  # started again (its workers: the real job)
    wait_for(_all_closed, timeout=180)

    assert Exposure.objects.count() == 2 and Process.objects.count() == 2  # nothing requeued
    assert [e["expid"] for e in _events("exposure.discovered")] == [1, 2]
    assert [e["expid"] for e in _events("process.finished")] == [1, 2]
    resumed = Process.objects.get(exposure_id=1)
    assert resumed.status == "done" and resumed.started == process.started  # resumed
    for p in Process.objects.all():
        assert {j.camera: j.status for j in p.jobs.all()} == dict.fromkeys(CAMERAS, "done")
        ingested = Counter(e["camera"] for e in _events("qa.ingested", process_id=p.pk))
        assert ingested == Counter(CAMERAS), ingested  # once each, before or after the crash
    stepped = {e["camera"] for e in _events("job.step", process_id=process.pk)}
    assert done_before <= stepped
    rows = list(Metric.objects.values_list("expid", "camera", "key", "index"))
    assert rows and len(rows) == len(set(rows))
