"""The night summary (JSON), the list of nights and the self-contained HTML report."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from qlf.dashboard.models import Event, Exposure
from qlf.dashboard.selectors.night_summary import night_list, night_summary_get
from qlf.dashboard.services.alert_acks import alert_acknowledge
from qlf.dashboard.services.comments import comment_create
from qlf.dashboard.services.night_summary import night_report_render
from qlf.dashboard.services.pipeline_state import job_fail
from qlf.dashboard.services.processes import process_finish, process_start
from tests.dashboard.factories import ingest_exposure

pytestmark = pytest.mark.django_db
NIGHT = 20261122
T0 = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


@pytest.fixture
def night(operator):
    """Night 20261122: a zero, two DARK and one BRIGHT science exposures (one failed, one
    alarm with a comment); the night before: one science exposure."""
    for i, (expid, flavor, program) in enumerate(
        [(1, "zero", ""), (2, "science", "DARK"), (3, "science", "DARK"), (4, "science", "BRIGHT")]
    ):
        process = ingest_exposure(expid, cameras=("b0", "r3"), flavor=flavor, program=program,
                                  bias=[1200.0 + i] * 4)  # fmt: skip
        Exposure.objects.filter(pk=expid).update(discovered_at=process.ended - timedelta(seconds=3))
    ingest_exposure(10, cameras=("b0",), night=20261121, bias=[1190.0] * 4)
    failed = process_start(expid=3, cameras=("b0", "r3"))
    job_fail(process_id=failed.pk, camera="r3", error="r3 HDU missing in raw file")
    process_finish(process_id=failed.pk)
    alert = Event.objects.create(
        type="alert", time=T0,
        payload={"level": "ALARM", "camera": "r3", "expid": 4, "text": "r3 of 4: ALARM <b>"},
    )  # fmt: skip
    Event.objects.create(type="alert", time=T0, payload={"level": "ALARM", "expid": 10, "text": ""})
    comment_create(process_id=failed.pk, author=operator, text="r3 cable reseated")
    return {"failed": failed, "alert": alert, "operator": operator}


def test_summary_sections(night):
    summary = night_summary_get(night=NIGHT)
    counts = summary["counts"]
    assert (counts["exposures"], counts["processes"]) == (4, 5)
    assert counts["by_flavor"] == {"science": 3, "zero": 1}
    assert counts["by_flavor_program"] == [
        {"flavor": "science", "program": "BRIGHT", "count": 1},
        {"flavor": "science", "program": "DARK", "count": 2},
        {"flavor": "zero", "program": "", "count": 1},
    ]
    rows = {r["expid"]: r for r in summary["exposures"]}
    assert rows[3]["processes"] == 2 and rows[3]["status"] == "failed"
    assert rows[2]["readout_to_qa_s"] == pytest.approx(3.0) and rows[2]["budget_s"] == 2.0
    assert summary["latency"]["measured"] == 4 and summary["latency"]["over_budget"] == 4
    (failure,) = summary["failures"]
    assert failure["process_id"] == night["failed"].pk
    assert failure["jobs"] == [
        {"camera": "r3", "failed_step": "", "error": "r3 HDU missing in raw file"}
    ]
    alarms = summary["alarms"]
    assert [a["seq"] for a in alarms] == [night["alert"].seq]  # not the other night's
    assert alarms[0]["ack"] is None
    assert [c["text"] for c in summary["comments"]] == ["r3 cable reseated"]
    bias = next(t for t in summary["trends"] if t["key"] == "BIAS_AMP")
    assert bias["nights"] == [20261121, NIGHT]
    assert bias["mean"][0] == pytest.approx(1190.0) and bias["max"][1] == pytest.approx(1203.0)


def test_acknowledgements(night):
    alert_acknowledge(seq=night["alert"].seq, user=night["operator"], note="known, amp D hot")
    (alarm,) = night_summary_get(night=NIGHT)["alarms"]
    assert (alarm["ack"]["author"], alarm["ack"]["note"]) == ("otto", "known, amp D hot")
    assert "otto: known, amp D hot" in night_report_render(night=NIGHT)


def test_report_is_self_contained(night):
    html = night_report_render(night=NIGHT, now=timezone.now())
    assert "QLF night summary — 2026-11-22" in html
    assert "r3 HDU missing in raw file" in html and "r3 cable reseated" in html
    assert "r3 of 4: ALARM &lt;b&gt;" in html  # escaped
    assert html.count("<svg") == len(night_summary_get(night=NIGHT)["trends"]) >= 2
    assert "@media print" in html
    # Nothing fetched from elsewhere: no external URL in src/href, no script, no stylesheet.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html


def test_night_list(night):
    nights = list(night_list())
    assert [n["night"] for n in nights] == [NIGHT, 20261121]
    assert nights[0]["exposures"] == 4 and nights[0]["science"] == 3
    assert [n["night"] for n in night_list(night_to=20261121)] == [20261121]


def test_api(night, viewer_client, anon_client):
    body = viewer_client.get("/api/nights/").json()
    assert body["count"] == 2 and body["results"][0]["night"] == NIGHT
    summary = viewer_client.get(f"/api/nights/{NIGHT}/summary/")
    assert summary.status_code == 200 and summary.json()["counts"]["exposures"] == 4
    assert viewer_client.get("/api/nights/2026-11-22/summary/").status_code == 200
    assert viewer_client.get("/api/nights/20261130/summary/").status_code == 404
    assert viewer_client.get("/api/nights/tonight/summary/").status_code == 400
    report = viewer_client.get(f"/api/nights/{NIGHT}/report.html")
    assert report.status_code == 200 and report["Content-Type"].startswith("text/html")
    assert report["Content-Disposition"] == f'attachment; filename="qlf-night-{NIGHT}.html"'
    assert b"r3 cable reseated" in report.content
    for url in (
        "/api/nights/",
        f"/api/nights/{NIGHT}/summary/",
        f"/api/nights/{NIGHT}/report.html",
    ):
        assert anon_client.get(url).status_code == 401
