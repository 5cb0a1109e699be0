"""Survey speed (issue 21): effective time per camera, petal, exposure and tile; its API."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from qlf.config import read_env
from qlf.dashboard.selectors.efftime import exposure_efftime, night_tiles, tile_efftime
from qlf.dashboard.selectors.night_summary import night_summary_get
from qlf.dashboard.services.exposures import exposure_fields_from_header, exposure_register
from qlf.dashboard.services.night_summary import night_report_render
from qlf.dashboard.services.processes import process_finish, process_start
from qlf.dashboard.services.qa_ingest import job_ingest_qa
from qlf.quicklook.skymodel import efftime_ratio_reference
from tests.dashboard.factories import make_qa

pytestmark = pytest.mark.django_db

EXPTIME = 900.0  # the factory's


def _ingest(expid: int, ratios: dict[str, float | None], **kwargs):
    """An exposure whose cameras graded EFFTIME_RATIO ``ratios`` (None: not computed)."""
    cameras = tuple(ratios)
    first = make_qa(expid, cameras[0], **kwargs)
    exposure_register(**exposure_fields_from_header({**first["GENERAL_INFO"], **first}))
    process = process_start(expid=expid, cameras=cameras)
    for camera, ratio in ratios.items():
        qa = make_qa(expid, camera, **kwargs)
        metrics = qa["TASKS"]["CHECK_SPECTRA"]["METRICS"]
        metrics.update({"EFFTIME_RATIO": ratio, "EFFTIME_RATIO_STATUS": "NORMAL"})
        job_ingest_qa(process_id=process.pk, qa=qa)
    return process_finish(process_id=process.pk)


def test_exposure_effective_time_per_camera_petal_and_mean():
    _ingest(42, {"b0": 1.0, "r0": 0.8, "b1": 0.5, "r1": 0.3}, tile=7)
    found = exposure_efftime(42)
    assert found["exptime"] == EXPTIME
    assert found["cameras"] == pytest.approx({"b0": 900.0, "r0": 720.0, "b1": 450.0, "r1": 270.0})
    assert found["petals"] == pytest.approx({"0": 810.0, "1": 360.0})
    assert found["efftime"] == pytest.approx(585.0)  # the mean over the four cameras
    assert found["tile"]["tile"] == 7
    assert found["tile"]["efftime"] == pytest.approx(585.0)
    assert found["tile"]["fraction"] == pytest.approx(0.585)


def test_tile_accumulates_its_exposures_to_the_programs_goal():
    _ingest(1, {"b0": 0.5, "r0": 0.5}, tile=7)
    _ingest(2, {"b0": 0.6, "r0": 0.6}, tile=7, night=20261123)
    _ingest(3, {"b0": None, "r0": None}, tile=7, night=20261123)  # not measured: adds nothing
    _ingest(4, {"b0": 1.0}, tile=8)
    tiles = tile_efftime()
    assert tiles["tile"] == [7, 8]
    assert tiles["exposures"] == [3, 1]
    assert tiles["measured"] == [2, 1]
    assert tiles["efftime"] == pytest.approx([990.0, 900.0])
    assert tiles["goal"] == [1000.0, 1000.0]
    assert tiles["fraction"] == pytest.approx([0.99, 0.9])
    assert tiles["last_night"] == [20261123, 20261122]
    # a night range counts only its exposures
    assert tile_efftime(night_to=20261122)["efftime"] == pytest.approx([450.0, 900.0])
    with override_settings(QLF={**settings.QLF, "EFFTIME_GOALS": {"DARK": 900.0}}):
        assert tile_efftime(tile=7)["fraction"] == pytest.approx([1.1])


def test_bright_tiles_count_in_bright_time():
    # a nominal BRIGHT exposure: each camera at its program's reference ratio
    ratios = {cam: efftime_ratio_reference(cam[0], "BRIGHT") for cam in ("b0", "r0", "z0")}
    _ingest(5, ratios, tile=9, program="BRIGHT")
    found = exposure_efftime(5)
    assert found["efftime"] < 0.2 * EXPTIME  # dark-equivalent: the moon costs most of it
    assert found["efftime_goal_units"] == pytest.approx(EXPTIME)  # nominal bright time
    tiles = tile_efftime(program="BRIGHT")
    assert tiles["goal"] == [180.0]
    assert tiles["fraction"] == pytest.approx([EXPTIME / 180.0])


def test_exposure_without_effective_time_says_none():
    _ingest(6, {"b0": None}, tile=None)
    found = exposure_efftime(6)
    assert found["efftime"] is None and found["cameras"] == {} and found["tile"] is None
    assert exposure_efftime(999) is None


def test_api_tiles_and_exposure(viewer_client):
    _ingest(42, {"b0": 1.0, "r0": 0.5}, tile=7)
    body = viewer_client.get("/api/survey/tiles/", {"program": "DARK"}).json()
    assert body["tile"] == [7] and body["efftime"] == pytest.approx([675.0])
    assert viewer_client.get("/api/survey/tiles/", {"program": "BRIGHT"}).json()["tile"] == []
    assert viewer_client.get("/api/survey/tiles/", {"tile": 8}).json()["tile"] == []
    one = viewer_client.get("/api/exposures/42/efftime/").json()
    assert one["efftime"] == pytest.approx(675.0) and one["tile"]["goal"] == 1000.0
    missing = viewer_client.get("/api/exposures/43/efftime/")
    assert missing.status_code == 404 and "43" in missing.json()["detail"]
    for bad in ({"tile": "x"}, {"program": "../"}, {"night_from": "0"}):
        response = viewer_client.get("/api/survey/tiles/", bad)
        assert response.status_code == 400, bad


def test_goals_come_from_the_configuration():
    assert read_env({"QLF_EFFTIME_GOALS": "dark=1200, BRIGHT=200"}).efftime_goals == {
        "DARK": 1200.0,
        "BRIGHT": 200.0,
    }
    assert read_env({}).efftime_goals == {}
    for bad in ("DARK", "DARK=fast", "=100", "BRIGHT=-5"):
        with pytest.raises(ValueError, match="QLF_EFFTIME_GOALS"):
            read_env({"QLF_EFFTIME_GOALS": bad})


def test_night_summary_and_report_show_the_nights_tiles():
    _ingest(1, {"b0": 0.5}, tile=7, night=20261121)
    _ingest(2, {"b0": 0.4}, tile=7, night=20261122)
    _ingest(3, {"b0": 0.2}, tile=8, night=20261123)  # a later night: not in the total
    (row,) = night_tiles(20261122)
    assert row["tile"] == 7 and row["exposures"] == 1
    assert row["tonight"] == pytest.approx(360.0)
    assert row["efftime"] == pytest.approx(810.0)  # through the night's end
    assert row["fraction"] == pytest.approx(0.81)
    assert night_summary_get(night=20261122)["tiles"] == [row]
    html = night_report_render(night=20261122, now=timezone.now())
    assert "Tiles of the night (effective time)" in html
    assert '<td class="num">360</td><td class="num">810</td>' in html
    assert "81 %" in html
