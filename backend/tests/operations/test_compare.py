"""Two processes of one exposure compared element by element."""

from __future__ import annotations

import pytest

from qlf.dashboard.selectors.compare import process_compare
from qlf.dashboard.services.processes import process_finish, process_start
from qlf.dashboard.services.qa_ingest import job_ingest_qa
from tests.dashboard.factories import ingest_exposure, make_qa

pytestmark = pytest.mark.django_db
BIAS = [1201.3, 1198.0, 1210.7, 1189.9]


@pytest.fixture
def two_runs():
    """Process A of exposure 42; process B reprocessed it with r3 amp D's bias 90 ADU higher."""
    a = ingest_exposure(42, cameras=("b0", "r3"), bias=BIAS)
    b = process_start(
        expid=42, cameras=("b0", "r3"), pipeline_version="0.2.0", spec_version="2026-06-01"
    )
    job_ingest_qa(process_id=b.pk, qa=make_qa(42, "b0", bias=BIAS))
    job_ingest_qa(process_id=b.pk, qa=make_qa(42, "r3", bias=[*BIAS[:3], BIAS[3] + 90.0]))
    return a, process_finish(process_id=b.pk)


def test_only_the_changed_element_changes(two_runs):
    a, b = two_runs
    result = process_compare(a=a.pk, b=b.pk)
    assert result["expid"] == 42
    assert (result["a"]["id"], result["b"]["pipeline_version"]) == (a.pk, "0.2.0")
    assert result["b"]["spec_version"] == "2026-06-01"  # the threshold version that graded B
    changed = [r for r in result["rows"] if r["changed"]]
    assert [(r["camera"], r["step"], r["key"], r["index"]) for r in changed] == [
        ("r3", "CHECK_CCDs", "BIAS_AMP", "D")
    ]
    (row,) = changed
    assert row["value_a"] == pytest.approx(1189.9) and row["difference"] == pytest.approx(90.0)
    assert (row["status_a"], row["status_b"], row["status_changed"]) == ("NORMAL", "ALARM", True)
    same = next(r for r in result["rows"] if (r["camera"], r["index"]) == ("b0", "A"))
    assert same["difference"] == 0.0 and not same["changed"]
    counts = result["counts"]
    assert counts["changed"] == counts["status_changed"] == 1
    assert counts["elements"] == len(result["rows"]) > 20


def test_a_camera_missing_from_one_side(two_runs):
    a, _ = two_runs
    c = process_start(expid=42, cameras=("b0",))
    job_ingest_qa(process_id=c.pk, qa=make_qa(42, "b0", bias=BIAS))
    rows = process_compare(a=a.pk, b=c.pk)["rows"]
    r3 = [r for r in rows if r["camera"] == "r3"]
    assert r3 and all(r["value_b"] is None and r["status_b"] is None and r["changed"] for r in r3)
    assert not any(r["changed"] for r in rows if r["camera"] == "b0")


def test_api(two_runs, viewer_client, anon_client):
    a, b = two_runs
    other = ingest_exposure(43, cameras=("b0",))
    ok = viewer_client.get("/api/processes/compare/", {"a": a.pk, "b": b.pk})
    assert ok.status_code == 200 and ok.json()["counts"]["changed"] == 1
    mixed = viewer_client.get("/api/processes/compare/", {"a": a.pk, "b": other.pk})
    assert mixed.status_code == 400 and "different exposures" in mixed.json()["detail"]
    assert viewer_client.get("/api/processes/compare/", {"a": a.pk, "b": 999}).status_code == 404
    assert viewer_client.get("/api/processes/compare/", {"a": "x", "b": 1}).status_code == 400
    assert viewer_client.get("/api/processes/compare/").status_code == 400
    assert anon_client.get("/api/processes/compare/", {"a": a.pk, "b": b.pk}).status_code == 401
