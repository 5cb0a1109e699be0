"""QA of a process, trends, observing conditions and the survey footprint."""

from __future__ import annotations

import pytest

from qlf.dashboard.services.processes import process_start
from qlf.dashboard.services.qa_ingest import job_ingest_qa
from tests.dashboard.factories import ingest_exposure, make_qa

pytestmark = pytest.mark.django_db


def test_process_qa_all_cameras(viewer_client):
    process = ingest_exposure(42, cameras=("b0", "r3"))
    body = viewer_client.get(f"/api/processes/{process.pk}/qa/").json()
    assert [c["camera"] for c in body["cameras"]] == ["b0", "r3"]
    ccd = body["cameras"][0]["steps"]["CHECK_CCDs"]
    bias = next(m for m in ccd["metrics"] if m["key"] == "BIAS_AMP")
    assert bias["normal_range"] == [-40, 40] and bias["ref"] == [1200] * 4
    assert [e["index"] for e in bias["elements"]] == ["A", "B", "C", "D"]
    assert "auxiliary" not in body["cameras"][0]["steps"]["CHECK_FIBERS"]


def test_process_qa_one_camera_and_step_with_auxiliary(viewer_client):
    process = ingest_exposure(42, cameras=("b0", "r3"))
    url = f"/api/processes/{process.pk}/qa/"
    body = viewer_client.get(url, {"camera": "r3", "step": "CHECK_FIBERS"}).json()
    (camera,) = body["cameras"]
    assert list(camera["steps"]) == ["CHECK_FIBERS"]
    assert camera["steps"]["CHECK_FIBERS"]["auxiliary"] == {"GOOD_FIBERS": [1, 1, 0, 1]}
    assert viewer_client.get(url, {"camera": "z9"}).status_code == 404
    assert viewer_client.get(url, {"camera": "r3", "step": "NOPE"}).status_code == 404
    assert viewer_client.get(url, {"camera": "../etc"}).status_code == 400
    assert viewer_client.get("/api/processes/999/qa/").status_code == 404


@pytest.fixture
def month():
    """Exposures on three nights, two cameras; bias of amp A rises by 10 ADU each night."""
    for i, night in enumerate((20261101, 20261115, 20261201)):
        bias = [1200.0 + 10 * i, 1200.0, 1200.0, 1200.0]
        for j in range(2):
            ingest_exposure(
                100 + 10 * i + j, cameras=("b0", "r3"), night=night, mjd=61345.0 + i + j / 10,
                bias=bias,
            )  # fmt: skip


def test_trend_exposure_resolution(viewer_client, month):
    params = {"key": "BIAS_AMP", "cameras": "r3", "amps": "A", "night_from": "20261101",
              "night_to": "20261120"}  # fmt: skip
    body = viewer_client.get("/api/trends/", params).json()
    assert body["resolution"] == "exposure"
    (series,) = body["series"]
    assert (series["camera"], series["index"]) == ("r3", "A")
    assert series["expid"] == [100, 101, 110, 111]
    assert series["value"] == [1200.0, 1200.0, 1210.0, 1210.0]
    assert series["status"] == ["NORMAL"] * 4


def test_trend_night_resolution(viewer_client, month, monkeypatch):
    from qlf.dashboard.selectors import trends

    monkeypatch.setattr(trends, "MAX_EXPOSURE_POINTS", 23)  # 24 points: too many for auto
    params = {"key": "BIAS_AMP", "amps": "A,B", "date_from": "2026-10-01",
              "date_to": "2026-12-31"}  # fmt: skip
    body = viewer_client.get("/api/trends/", params).json()
    assert body["resolution"] == "night"
    keys = [(s["camera"], s["index"]) for s in body["series"]]
    assert keys == [("b0", "A"), ("b0", "B"), ("r3", "A"), ("r3", "B")]
    series = body["series"][0]
    assert series["night"] == [20261101, 20261115, 20261201]
    assert series["mean"] == [1200.0, 1210.0, 1220.0] and series["count"] == [2, 2, 2]
    forced = viewer_client.get("/api/trends/", {**params, "resolution": "exposure"}).json()
    assert len(forced["series"][0]["expid"]) == 6


def test_trend_follows_reprocessing(viewer_client, month):
    process = process_start(expid=100, cameras=["r3"])
    job_ingest_qa(process_id=process.pk, qa=make_qa(100, "r3", night=20261101, bias=[1300.0] * 4))
    params = {"key": "BIAS_AMP", "cameras": "r3", "amps": "A", "night_from": "20261101",
              "night_to": "20261101"}  # fmt: skip
    (series,) = viewer_client.get("/api/trends/", params).json()["series"]
    assert series["value"] == [1300.0, 1200.0]
    night = viewer_client.get("/api/trends/", {**params, "resolution": "night"}).json()
    assert night["series"][0]["mean"] == [1250.0] and night["series"][0]["n_alarm"] == [1]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "key"),
        ({"key": "BIAS AMP"}, "key"),
        ({"key": "BIAS_AMP", "cameras": "q7"}, "cameras"),
        ({"key": "BIAS_AMP", "resolution": "hour"}, "resolution"),
        ({"key": "BIAS_AMP", "night_from": "2026-02-30"}, "night_from"),
    ],
)
def test_trend_bad_input(viewer_client, params, field):
    response = viewer_client.get("/api/trends/", params)
    assert response.status_code == 400 and response.json()["field"] == field


def test_conditions(viewer_client, month):
    body = viewer_client.get("/api/conditions/", {"night_from": "20261101",
                                                  "night_to": "20261130"}).json()  # fmt: skip
    assert body["expid"] == [100, 101, 110, 111]
    assert body["airmass"] == [1.12] * 4 and body["seeing"] == [1.1] * 4
    assert body["sky_level"] == [1.2] * 4 and len(body["mjd"]) == 4
    empty = viewer_client.get("/api/conditions/", {"flavor": "arc", "night_from": "20261101"})
    assert empty.json()["expid"] == []
    assert viewer_client.get("/api/conditions/", {"flavor": "x"}).status_code == 400


def test_survey_footprint_has_worst_status_per_tile(viewer_client):
    ingest_exposure(1, cameras=("b0",), tile=7)
    ingest_exposure(2, cameras=("b0",), tile=7, bias=[1500.0] * 4)  # ALARM-level bias, WARNING
    ingest_exposure(3, cameras=("b0",), tile=8, flavor="zero")
    tiles = viewer_client.get("/api/survey/").json()
    assert tiles["tile"] == [7, 8] and tiles["exposures"] == [2, 1]
    assert tiles["ra"] == [150.0, 150.0] and tiles["qa_status"] == ["WARNING", "NORMAL"]
    assert tiles["first_night"] == [20261122, 20261122]
    assert viewer_client.get("/api/survey/", {"program": "BRIGHT"}).json()["tile"] == []


def test_trend_series_carry_the_bands_of_their_newest_exposure(viewer_client, month):
    params = {"key": "BIAS_AMP", "cameras": "r3", "amps": "A", "night_from": "20261101",
              "night_to": "20261120"}  # fmt: skip
    (series,) = viewer_client.get("/api/trends/", params).json()["series"]
    # REF 1200 per amp, NORMAL ±40, WARNING ±60: limits as values, from exposure 111's QA.
    assert series["band"] == {
        "ref": 1200, "normal": [1160, 1240], "warn": [1140, 1260], "expid": 111,
    }  # fmt: skip
    nights = viewer_client.get("/api/trends/", {**params, "resolution": "night"}).json()
    assert nights["series"][0]["band"] == series["band"]


@pytest.mark.parametrize(
    ("key", "index", "ref", "normal"),
    [
        ("FIDSNR_TGT", "LRG", 4.0, [3.1, 4.9]),  # REF per class
        ("LITFRAC_AMP", "C", 0.0, [-0.15, 0.15]),  # one REF for every amp
        ("XYSHIFTS", "1", 0.0, [-0.2, 0.2]),  # REF per position
    ],
)
def test_trend_bands_of_each_kind_of_reference(viewer_client, key, index, ref, normal):
    ingest_exposure(5, cameras=("b0",))
    body = viewer_client.get("/api/trends/", {"key": key, "date_from": "2026-11-22"}).json()
    series = next(s for s in body["series"] if s["index"] == index)
    assert series["band"]["ref"] == ref and series["band"]["expid"] == 5
    assert series["band"]["normal"] == pytest.approx(normal)


def test_trend_without_thresholds_has_no_band(viewer_client):
    ingest_exposure(5, cameras=("b0",), flavor="flat")
    body = viewer_client.get("/api/trends/", {"key": "CHECKFLAT", "date_from": "2026-11-22"})
    (series,) = body.json()["series"]
    assert series["value"] == [1.0] and series["band"] is None


def _ingest_with_sky(expid: int, sky: dict[str, float]):
    """An exposure whose cameras measured the sky continuum ``sky[camera]``."""
    from qlf.dashboard.services.exposures import exposure_fields_from_header, exposure_register
    from qlf.dashboard.services.processes import process_finish

    first = make_qa(expid, next(iter(sky)))
    exposure_register(**exposure_fields_from_header({**first["GENERAL_INFO"], **first}))
    process = process_start(expid=expid, cameras=list(sky))
    for camera, value in sky.items():
        qa = make_qa(expid, camera)
        qa["TASKS"]["CHECK_SPECTRA"]["METRICS"].update(SKYCONT=value, SKYCONT_STATUS="NORMAL")
        job_ingest_qa(process_id=process.pk, qa=qa)
    process_finish(process_id=process.pk)


def test_conditions_of_one_camera_have_its_sky(viewer_client):
    _ingest_with_sky(7, {"b0": 21.5, "r3": 20.9})
    _ingest_with_sky(8, {"b0": 21.7})
    params = {"night_from": "20261122", "night_to": "20261122"}
    everything = viewer_client.get("/api/conditions/", params).json()
    assert everything["expid"] == [7, 8] and "sky_camera" not in everything
    b0 = viewer_client.get("/api/conditions/", {**params, "camera": "b0"}).json()
    assert b0["expid"] == [7, 8] and b0["sky_camera"] == [21.5, 21.7]
    r3 = viewer_client.get("/api/conditions/", {**params, "camera": "r3"}).json()
    assert r3["expid"] == [7] and r3["sky_camera"] == [20.9] and r3["airmass"] == [1.12]
    bad = viewer_client.get("/api/conditions/", {"camera": "x1"})
    assert bad.status_code == 400 and bad.json()["field"] == "camera"


def test_survey_counts_exposures_per_flavor_and_program(viewer_client):
    ingest_exposure(1, cameras=("b0",), tile=7)
    ingest_exposure(2, cameras=("b0",), tile=7, program="BRIGHT")
    ingest_exposure(3, cameras=("b0",), tile=None, flavor="zero")
    body = viewer_client.get("/api/survey/").json()
    assert body["tile"] == [7]
    assert body["counts"] == {
        "flavor": {"science": 2, "zero": 1}, "program": {"": 1, "BRIGHT": 1, "DARK": 1},
    }  # fmt: skip
    bright = viewer_client.get("/api/survey/", {"program": "BRIGHT"}).json()
    assert bright["counts"]["flavor"] == {"science": 1} and bright["exposures"] == [1]


def _registered(expid: int, cameras: tuple[str, ...]):
    from qlf.dashboard.services.exposures import exposure_fields_from_header, exposure_register

    qa = make_qa(expid, cameras[0])
    exposure_register(**exposure_fields_from_header({**qa["GENERAL_INFO"], **qa}))
    return process_start(expid=expid, cameras=cameras)


def test_reasons_of_unknown_metrics_are_served(viewer_client):
    """Issue 15 contract: metric rows carry ``reason`` (string or null), the process detail's
    jobs carry ``reasons`` ({} when none), both from the QA JSON's per-task REASONS."""
    process = _registered(43, ("b0", "r3"))
    qa = make_qa(43, "b0")
    ccd = qa["TASKS"]["CHECK_CCDs"]
    ccd["METRICS"]["NOISE_AMP_STATUS"] = "UNKNOWN"
    why = "the readnoise reference comes from ccd-b0.json, unavailable: /c/b0/ccd-b0.json not found"
    ccd["REASONS"] = {"NOISE_AMP": why}
    job_ingest_qa(process_id=process.pk, qa=qa)
    job_ingest_qa(process_id=process.pk, qa=make_qa(43, "r3"))

    body = viewer_client.get(f"/api/processes/{process.pk}/qa/", {"camera": "b0"}).json()
    rows = {m["key"]: m for m in body["cameras"][0]["steps"]["CHECK_CCDs"]["metrics"]}
    assert rows["NOISE_AMP"]["reason"] == why
    assert rows["BIAS_AMP"]["reason"] is None
    jobs = {
        j["camera"]: j for j in viewer_client.get(f"/api/processes/{process.pk}/").json()["jobs"]
    }
    assert jobs["b0"]["reasons"] == {"NOISE_AMP": why}
    assert jobs["r3"]["reasons"] == {}


def test_malformed_reasons_are_refused():
    from qlf.dashboard.errors import ApplicationError

    process = _registered(44, ("b0",))
    qa = make_qa(44, "b0")
    qa["TASKS"]["CHECK_CCDs"]["REASONS"] = ["not", "an", "object"]
    with pytest.raises(ApplicationError, match="REASONS"):
        job_ingest_qa(process_id=process.pk, qa=qa)
