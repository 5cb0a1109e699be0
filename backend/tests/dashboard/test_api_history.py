"""Observing and processing history: filters, ordering, pagination, detail, bad input."""

from __future__ import annotations

import pytest

from qlf.dashboard.services.processes import process_start
from tests.dashboard.factories import ingest_exposure

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    """Six exposures over three nights: science DARK/BRIGHT, flat and zero."""
    specs = [
        (1, 20261120, "zero", None),
        (2, 20261120, "flat", None),
        (3, 20261121, "science", "DARK"),
        (4, 20261121, "science", "BRIGHT"),
        (5, 20261122, "science", "DARK"),
        (6, 20261122, "arc", None),
    ]
    processes = {}
    for expid, night, flavor, program in specs:
        processes[expid] = ingest_exposure(
            expid, night=night, flavor=flavor, program=program or "", tile=100 + expid % 2,
            mjd=61360.0 + expid, cameras=("b0",),
        )  # fmt: skip
    return processes


def _ids(response, key="expid"):
    assert response.status_code == 200, response.json()
    return [row[key] for row in response.json()["results"]]


def test_exposures_default_order_and_page_shape(viewer_client, history):
    body = viewer_client.get("/api/exposures/").json()
    assert body["count"] == 6 and body["next"] is None
    assert [r["expid"] for r in body["results"]] == [6, 5, 4, 3, 2, 1]
    assert set(body["results"][0]) >= {"night", "flavor", "program", "tile", "airmass", "qa_status"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"flavor": "science"}, [5, 4, 3]),
        ({"flavor": "zero,flat"}, [2, 1]),
        ({"program": "DARK"}, [5, 3]),
        ({"night": 20261121}, [4, 3]),
        ({"night_from": "20261121", "night_to": "2026-11-21"}, [4, 3]),
        ({"date_from": "2026-11-22"}, [6, 5]),
        ({"tile": 101}, [5, 3, 1]),
        ({"qa_status": "WARNING"}, [6, 5, 4, 3, 2]),
    ],
)
def test_exposure_filters(viewer_client, history, params, expected):
    assert _ids(viewer_client.get("/api/exposures/", params)) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("expid", [1, 2, 3, 4, 5, 6]), ("-night", [6, 5, 4, 3, 2, 1]), ("flavor", [6, 2, 3, 4, 5, 1])],
)
def test_exposure_ordering(viewer_client, history, ordering, expected):
    assert _ids(viewer_client.get("/api/exposures/", {"ordering": ordering})) == expected


def test_exposure_pagination(viewer_client, history):
    first = viewer_client.get("/api/exposures/", {"page_size": 4}).json()
    assert [r["expid"] for r in first["results"]] == [6, 5, 4, 3] and first["next"]
    second = viewer_client.get("/api/exposures/", {"page_size": 4, "page": 2}).json()
    assert [r["expid"] for r in second["results"]] == [2, 1] and second["previous"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"flavor": "bogus"}, "flavor"),
        ({"ordering": "password"}, "ordering"),
        ({"night": "yesterday"}, "night"),
        ({"night_from": "20261199"}, "night_from"),
        ({"night_from": "20261122", "night_to": "20261120"}, "night_from"),
        ({"page_size": 100000}, "page_size"),
        ({"tile": "x"}, "tile"),
    ],
)
def test_exposure_bad_input_is_400_json(viewer_client, history, params, field):
    response = viewer_client.get("/api/exposures/", params)
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["detail"]


def test_page_out_of_range_is_404_json(viewer_client, history):
    response = viewer_client.get("/api/exposures/", {"page": 99})
    assert response.status_code == 404 and "detail" in response.json()


def test_processes_filters_order_and_recent(viewer_client, history):
    process_start(expid=5, cameras=["b0"])  # a second, running process of exposure 5
    assert _ids(viewer_client.get("/api/processes/", {"status": "running"})) == [5]
    assert _ids(viewer_client.get("/api/processes/", {"status": "done", "flavor": "science"})) == [
        5, 4, 3,
    ]  # fmt: skip
    assert _ids(viewer_client.get("/api/processes/", {"expid": 5})) == [5, 5]
    ordered = viewer_client.get("/api/processes/", {"ordering": "expid"})
    assert _ids(ordered) == [1, 2, 3, 4, 5, 5, 6]
    assert _ids(viewer_client.get("/api/processes/", {"ordering": "-started"}))[0] == 5
    recent = viewer_client.get("/api/processes/recent/").json()
    assert len(recent) == 7 and recent[0]["status"] == "running"
    bad = viewer_client.get("/api/processes/", {"status": "exploded"})
    assert bad.status_code == 400 and bad.json()["field"] == "status"


def test_processes_by_start_time(viewer_client, history):
    from datetime import UTC, datetime

    from qlf.dashboard.models import Process

    for expid, process in history.items():
        Process.objects.filter(pk=process.pk).update(started=datetime(2026, 11, expid, tzinfo=UTC))
    params = {"started_from": "2026-11-02T00:00:00Z", "started_to": "2026-11-04T12:00:00Z"}
    assert _ids(viewer_client.get("/api/processes/", params)) == [4, 3, 2]
    bad = viewer_client.get("/api/processes/", {"started_from": "soon"})
    assert bad.status_code == 400 and bad.json()["field"] == "started_from"


def test_recent_is_limited_to_ten(viewer_client, history):
    for _ in range(8):
        process_start(expid=1, cameras=["b0"])
    assert len(viewer_client.get("/api/processes/recent/").json()) == 10


def test_process_detail(viewer_client, history):
    process = history[5]
    body = viewer_client.get(f"/api/processes/{process.pk}/").json()
    assert body["expid"] == 5 and body["exposure"]["program"] == "DARK"
    assert body["qa_summary"] == {"b0": "WARNING"}
    (job,) = body["jobs"]
    assert job["camera"] == "b0" and job["status"] == "done"
    assert [s["name"] for s in job["steps"]] == ["CHECK_CCDs", "CHECK_FIBERS", "CHECK_SPECTRA"]
    assert "qa" not in job
    missing = viewer_client.get("/api/processes/99999/")
    assert missing.status_code == 404 and missing.json()["detail"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("dateobs", [3, 1, 2]),
        ("-dateobs", [2, 1, 3]),
        ("ra", [2, 3, 1]),
        ("-dec", [1, 3, 2]),
        ("exptime", [1, 2, 3]),
        ("-exptime", [3, 2, 1]),
    ],
)
def test_processes_ordered_by_their_observation(viewer_client, ordering, expected):
    from datetime import UTC, datetime

    from qlf.dashboard.models import Exposure

    observed = {  # expid: (hour of DATE-OBS, RA, Dec, EXPTIME)
        1: (5, 300.0, 40.0, 60.0),
        2: (7, 10.0, -20.0, 600.0),
        3: (2, 150.0, 5.0, 900.0),
    }
    for expid, (hour, ra, dec, exptime) in observed.items():
        ingest_exposure(expid, cameras=("b0",))
        Exposure.objects.filter(pk=expid).update(
            dateobs=datetime(2026, 11, 22, hour, tzinfo=UTC), ra=ra, dec=dec, exptime=exptime
        )
    response = viewer_client.get("/api/processes/", {"ordering": ordering})
    assert _ids(response) == expected
    row = next(r for r in response.json()["results"] if r["expid"] == 2)
    assert (row["ra"], row["dec"], row["exptime"]) == (10.0, -20.0, 600.0)
    assert row["dateobs"].startswith("2026-11-22T07:00:00")
