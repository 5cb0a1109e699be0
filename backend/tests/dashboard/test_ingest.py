"""Ingestion of one camera's QA: rows, element grading, idempotency, supersession, bad input."""

from __future__ import annotations

import pytest

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import (
    QA_SEVERITY,
    Exposure,
    Job,
    Metric,
    MetricNight,
    Process,
    StepRun,
)
from qlf.dashboard.services.exposures import exposure_fields_from_header, exposure_register
from qlf.dashboard.services.jobs import job_finish, job_start, job_step
from qlf.dashboard.services.processes import process_finish, process_start
from qlf.dashboard.services.qa_ingest import job_ingest_qa
from qlf.quicklook import grading
from tests.dashboard.factories import ingest_exposure, make_qa

pytestmark = pytest.mark.django_db


def _process(expid=42, cameras=("r3",), **kwargs):
    qa = make_qa(expid, cameras[0], **kwargs)
    exposure_register(**exposure_fields_from_header({**qa["GENERAL_INFO"], **qa}))
    return process_start(expid=expid, cameras=cameras, pipeline_version="0.1.0")


def _snapshot():
    return (
        list(Job.objects.values_list("id", "status", "qa_status", "qa_digest")),
        list(StepRun.objects.values_list("id", "name", "state", "qa_status")),
        list(Metric.objects.order_by("id").values_list("id", "key", "index", "value", "status")),
        list(MetricNight.objects.values_list("id", "key", "index", "count", "total")),
        list(Process.objects.values_list("id", "qa_status", "qa_summary")),
    )


def test_register_from_header_maps_keywords():
    header = {"EXPID": 7, "NIGHT": 20261122, "FLAVOR": "SCIENCE", "PROGRAM": "dark",
              "TILEID": 99, "MJD-OBS": 61366.5, "DATE-OBS": "2026-11-22T03:00:00",
              "AIRMASS": 1.3, "SEEING": float("nan"), "SKYLEVEL": 2.0}  # fmt: skip
    exposure = exposure_register(**exposure_fields_from_header(header))
    assert (exposure.flavor, exposure.program, exposure.tile) == ("science", "DARK", 99)
    assert exposure.seeing is None and exposure.sky_level == 2.0
    assert exposure.dateobs.isoformat() == "2026-11-22T03:00:00+00:00"
    exposure_register(expid=7, night=20261122, flavor="science", airmass=1.4)
    assert Exposure.objects.get(pk=7).airmass == 1.4 and Exposure.objects.count() == 1


def test_register_rejects_bad_night():
    with pytest.raises(ApplicationError, match="NIGHT"):
        exposure_register(expid=1, night=42, flavor="zero")
    with pytest.raises(ApplicationError, match="unknown exposure fields"):
        exposure_register(expid=1, night=20261122, flavor="zero", colour="red")


def test_ingest_creates_job_steps_and_graded_metric_elements():
    process = _process()
    job = job_ingest_qa(process_id=process.pk, qa=make_qa(bias=[1201.3, 1250.0, 1300.0, None]))
    assert (job.status, job.qa_status, job.camera) == ("done", "WARNING", "r3")
    assert job.qa["CAMERA"] == "r3"
    steps = dict(job.steps.values_list("name", "qa_status"))
    assert steps == {"CHECK_CCDs": "NORMAL", "CHECK_FIBERS": "WARNING", "CHECK_SPECTRA": "NORMAL"}
    bias = dict(Metric.objects.filter(key="BIAS_AMP").values_list("index", "status"))
    assert bias == {"A": "NORMAL", "B": "WARNING", "C": "ALARM", "D": "UNKNOWN"}
    snr = dict(Metric.objects.filter(key="FIDSNR_TGT").values_list("index", "status"))
    assert snr == {"ELG": "NORMAL", "LRG": "NORMAL", "QSO": "UNKNOWN"}
    shifts = Metric.objects.filter(key="XYSHIFTS").values_list("index", flat=True)
    assert sorted(shifts) == ["0", "1"]
    assert not Metric.objects.filter(key="GOOD_FIBERS").exists()  # ungraded auxiliary data
    ngood = Metric.objects.get(key="NGOODFIB")
    assert (ngood.index, ngood.value, ngood.status, ngood.mjd) == ("", 496.0, "WARNING", 61366.1)
    process.refresh_from_db()
    assert process.qa_summary == {"r3": "WARNING"} and process.qa_status == "WARNING"
    assert Exposure.objects.get(pk=42).qa_status == "WARNING"


def test_ingest_is_idempotent():
    process = _process(cameras=("b0", "r3"))
    for camera in ("b0", "r3"):
        job_ingest_qa(process_id=process.pk, qa=make_qa(camera=camera))
    before = _snapshot()
    for camera in ("b0", "r3"):
        job_ingest_qa(process_id=process.pk, qa=make_qa(camera=camera))
    assert _snapshot() == before


def test_reingest_of_changed_qa_replaces_rows_and_night_statistics():
    process = _process()
    job_ingest_qa(process_id=process.pk, qa=make_qa(bias=[1200.0] * 4))
    job_ingest_qa(process_id=process.pk, qa=make_qa(bias=[1210.0] * 4))
    assert (
        list(Metric.objects.filter(key="BIAS_AMP").values_list("value", flat=True)) == [1210.0] * 4
    )
    night = MetricNight.objects.get(key="BIAS_AMP", index="A", camera="r3", flavor="science")
    assert (night.count, night.total) == (1, 1210.0)
    assert StepRun.objects.count() == 3


def test_newer_process_owns_the_trend_rows():
    first = ingest_exposure(42, cameras=("r3",), bias=[1200.0] * 4)
    second = process_start(expid=42, cameras=["r3"])
    job_ingest_qa(process_id=second.pk, qa=make_qa(bias=[1220.0] * 4))
    rows = Metric.objects.filter(key="BIAS_AMP", index="A")
    assert list(rows.values_list("job__process_id", "value")) == [(second.pk, 1220.0)]
    # re-ingesting the older process (e.g. a rebuild) does not take them back
    job_ingest_qa(process_id=first.pk, qa=make_qa(bias=[1201.0] * 4))
    assert list(rows.values_list("job__process_id", flat=True)) == [second.pk]
    night = MetricNight.objects.get(key="BIAS_AMP", index="A", camera="r3", flavor="")
    assert (night.count, night.total) == (1, 1220.0)


def test_failed_camera_is_stored_as_failed_job():
    process = _process()
    job = job_ingest_qa(process_id=process.pk, qa=make_qa(error="boom: truncated HDU"))
    assert (job.status, job.qa_status, job.failed_step) == ("failed", "UNKNOWN", "CHECK_SPECTRA")
    assert process_finish(process_id=process.pk).status == "failed"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"CAMERA": "x9"}, "CAMERA"),
        ({"EXPID": "42"}, "EXPID"),
        ({"TASKS": []}, "TASKS"),
        ({"STATUS": "GREEN"}, "STATUS"),
        ({"EXPID": 43}, "exposure 43"),
        ({"NIGHT": 42}, "out of range"),
        ({"TASKS": {"CHECK_CCDs": {"STATUS": "FINE"}}}, "not a status"),
        ({"TASKS": {"X" * 40: {"STATUS": "NORMAL"}}}, "step name"),
        ({"TASKS": {"S": {"METRICS": {"K_STATUS": "BAD"}}}}, "not a status"),
        ({"TASKS": {"S": {"METRICS": {"K" * 40 + "_STATUS": "NORMAL"}}}}, "metric key"),
        ({"TASKS": {"S": {"METRICS": []}}}, "must be objects"),
        ({"GENERAL_INFO": {"AIRMASS": float("nan")}}, "NaN"),
    ],
)
def test_bad_qa_is_refused_without_writing(change, message):
    process = _process()
    with pytest.raises(ApplicationError, match=message):
        job_ingest_qa(process_id=process.pk, qa={**make_qa(), **change})
    assert not Metric.objects.exists() and not Job.objects.filter(qa__isnull=False).exists()


def test_unknown_process_is_404():
    with pytest.raises(ApplicationError) as info:
        job_ingest_qa(process_id=999, qa=make_qa())
    assert info.value.status_code == 404


def test_daemon_progress_then_qa_keeps_step_times():
    process = _process()
    job_start(process_id=process.pk, camera="r3")
    job_step(process_id=process.pk, camera="r3", step="CHECK_CCDs", state="started")
    assert Job.objects.get().current_step == "CHECK_CCDs"
    job_step(process_id=process.pk, camera="r3", step="CHECK_CCDs", state="finished")
    started = StepRun.objects.get(name="CHECK_CCDs").started
    job_finish(process_id=process.pk, camera="r3")
    job_ingest_qa(process_id=process.pk, qa=make_qa())
    run = StepRun.objects.get(name="CHECK_CCDs")
    assert run.started == started and run.duration_s == 0.21 and run.state == "finished"
    with pytest.raises(ApplicationError):
        job_step(process_id=process.pk, camera="r3", step="CHECK_CCDs", state="exploded")


def test_process_summary_takes_worst_camera():
    process = ingest_exposure(42, cameras=("b0", "r3"))
    job_ingest_qa(process_id=process.pk, qa=make_qa(camera="b0", bias=[1300.0] * 4))
    process.refresh_from_db()
    assert process.qa_summary == {"b0": "WARNING", "r3": "WARNING"}
    assert process.status == "done" and process.duration_s is not None


def test_night_statistics_add_up_and_survive_replacement():
    ingest_exposure(1, cameras=("r3",), bias=[1200.0, 1200.0, 1200.0, None])
    ingest_exposure(2, cameras=("r3",), bias=[1210.0, 1300.0, 1180.0, None])
    zero = ingest_exposure(3, cameras=("r3",), flavor="zero", bias=[1190.0] * 4)

    def stats(flavor, index):
        night = MetricNight.objects.get(key="BIAS_AMP", camera="r3", flavor=flavor, index=index)
        return night.count, night.total, night.min, night.max, night.n_warning, night.n_alarm

    assert stats("science", "A") == (2, 2410.0, 1200.0, 1210.0, 0, 0)
    assert stats("science", "B") == (2, 2500.0, 1200.0, 1300.0, 0, 1)
    assert stats("science", "D") == (0, 0.0, None, None, 0, 0)
    assert stats("", "A") == (3, 3600.0, 1190.0, 1210.0, 0, 0)
    assert stats("", "D") == (1, 1190.0, 1190.0, 1190.0, 0, 0)
    fields = ("flavor", "key", "index", "count", "total", "min", "max", "n_warning", "n_alarm")
    incremental = sorted(MetricNight.objects.values_list(*fields))
    job_ingest_qa(process_id=zero.pk, qa=make_qa(3, "r3", flavor="zero", bias=[1191.0] * 4))
    job_ingest_qa(process_id=zero.pk, qa=make_qa(3, "r3", flavor="zero", bias=[1190.0] * 4))
    recomputed = sorted(MetricNight.objects.values_list(*fields))
    assert recomputed == incremental


def test_severity_matches_shared_grading_rule():
    for a in QA_SEVERITY:
        for b in QA_SEVERITY:
            expected = a if QA_SEVERITY[a] >= QA_SEVERITY[b] else b
            assert grading.worst([a, b]) == expected
