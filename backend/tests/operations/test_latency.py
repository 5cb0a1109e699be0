"""Readout-to-QA latency against the budget, in processing history, and the backlog."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qlf.dashboard.models import Exposure, Process
from qlf.dashboard.selectors.latency import (
    backlog_get,
    latency_budget_s,
    latency_seconds,
    process_latency_annotate,
)
from qlf.dashboard.services.processes import process_finish, process_start
from tests.dashboard.factories import ingest_exposure

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
CAMERAS_30 = [f"{arm}{sp}" for arm in "brz" for sp in range(10)]


def _run(expid: int, *, cameras, wait_s: float, run_s: float, queued: bool = False) -> Process:
    """A process of ``expid`` discovered at T0, started ``wait_s`` later, ``run_s`` long."""
    if not Exposure.objects.filter(pk=expid).exists():
        ingest_exposure(expid, cameras=("b0",))  # registers it (and a first process)
        Process.objects.filter(exposure_id=expid).delete()
    Exposure.objects.filter(pk=expid).update(discovered_at=T0)
    started = T0 + timedelta(seconds=wait_s)
    process = process_start(
        expid=expid, cameras=cameras, started=started, status="queued" if queued else "running"
    )
    if not queued:
        process_finish(process_id=process.pk, ended=started + timedelta(seconds=run_s))
    return process


def _latency(process: Process) -> dict:
    return latency_seconds(process_latency_annotate(Process.objects.filter(pk=process.pk)).get())


def test_budget_scales_with_cameras():
    assert latency_budget_s(30) == 20.0
    assert latency_budget_s(15) == 10.0
    assert latency_budget_s(1) == 2.0  # the floor


def test_first_process_is_timed_from_discovery_a_reprocess_from_its_start():
    first = _run(7, cameras=CAMERAS_30, wait_s=4.0, run_s=12.5)
    assert _latency(first) == {"readout_to_qa_s": 16.5, "budget_s": 20.0, "over_budget": False}
    # issue 16: an hour after readout, a reprocess is not "over budget" by that hour
    again = _run(7, cameras=CAMERAS_30, wait_s=3600.0, run_s=14.0)
    assert _latency(again) == {"readout_to_qa_s": 14.0, "budget_s": 20.0, "over_budget": False}
    slow = _run(8, cameras=["b0", "r0", "z0"], wait_s=1.0, run_s=2.5)
    assert _latency(slow) == {"readout_to_qa_s": 3.5, "budget_s": 2.0, "over_budget": True}


def test_rebuilt_from_qa_files_has_no_latency():
    process = _run(9, cameras=["b0"], wait_s=0.0, run_s=1.0)
    Exposure.objects.filter(pk=9).update(discovered_at=T0 + timedelta(days=3))
    assert _latency(process)["readout_to_qa_s"] is None


def test_processing_history_column(viewer_client):
    first = _run(7, cameras=CAMERAS_30, wait_s=4.0, run_s=30.0)
    body = viewer_client.get("/api/processes/").json()
    (row,) = body["results"]
    assert row["id"] == first.pk
    assert (row["readout_to_qa_s"], row["budget_s"]) == (34.0, 20.0)


def test_process_detail_has_the_same_latency(viewer_client):
    """The Monitor shows the detail's figure: one definition for every screen."""
    first = _run(7, cameras=CAMERAS_30, wait_s=4.0, run_s=12.5)
    again = _run(7, cameras=CAMERAS_30, wait_s=3600.0, run_s=14.0)
    detail = viewer_client.get(f"/api/processes/{first.pk}/").json()
    assert (detail["readout_to_qa_s"], detail["budget_s"]) == (16.5, 20.0)
    assert len(detail["jobs"]) == 30
    assert viewer_client.get(f"/api/processes/{again.pk}/").json()["readout_to_qa_s"] == 14.0


def test_backlog_behind_when_the_oldest_waited_twice_its_budget(viewer_client, anon_client):
    _run(7, cameras=CAMERAS_30, wait_s=0.0, run_s=10.0)
    assert backlog_get(now=T0)["length"] == 0
    _run(8, cameras=CAMERAS_30, wait_s=0.0, run_s=0.0, queued=True)
    _run(9, cameras=["b0"], wait_s=30.0, run_s=0.0, queued=True)
    on_time = backlog_get(now=T0 + timedelta(seconds=39.0))
    assert on_time["length"] == 2 and on_time["behind"] is False
    assert on_time["oldest"]["expid"] == 8 and on_time["oldest"]["age_s"] == 39.0
    late = backlog_get(now=T0 + timedelta(seconds=41.0))
    assert late["behind"] is True and [w["expid"] for w in late["waiting"]] == [8, 9]
    body = viewer_client.get("/api/pipeline/backlog/").json()
    assert body["length"] == 2 and body["behind"] is True  # now is long after T0
    assert anon_client.get("/api/pipeline/backlog/").status_code == 401
