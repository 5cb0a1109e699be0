"""Re-grading stored QA against another threshold version, and what changed."""
# ruff: noqa: F811  (pytest fixtures imported from tests.operations.ops_fixtures)

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qlf.dashboard.models import AuditEntry, Job, Metric, Process
from qlf.dashboard.services.exposures import exposure_fields_from_header, exposure_register
from qlf.dashboard.services.processes import process_finish, process_start
from qlf.dashboard.services.qa_ingest import job_ingest_qa
from qlf.dashboard.services.regrade import regrade_apply, regrade_preview
from qlf.dashboard.services.thresholds import threshold_version_create
from qlf.quicklook.regrade import regrade_qa
from qlf.quicklook.specs import spec_from_document
from tests.dashboard.factories import make_qa, write_qa
from tests.operations.ops_fixtures import (  # noqa: F401
    FACTORY_SPEC,
    NIGHT,
    alarm_qa,
    clients,
    factory_spec,
    qlf_dirs,
    users,
)

pytestmark = pytest.mark.django_db

WIDE_BIAS = {"key": "BIAS_AMP", "selector": "default", "ref": 1200,
             "normal_range": [-150, 150], "warn_range": [-200, 200]}  # fmt: skip


def _spec(**bias) -> object:
    metrics = json.loads(json.dumps(FACTORY_SPEC["metrics"]))
    metrics["BIAS_AMP"]["default"].update(bias)
    return spec_from_document({**FACTORY_SPEC, "version": "v2", "metrics": metrics})


def test_regrade_qa_keeps_values_and_takes_the_new_statuses():
    qa = alarm_qa()
    wide = regrade_qa(qa, _spec(NORMAL_RANGE=[-150, 150], WARN_RANGE=[-200, 200]))
    ccd = wide["TASKS"]["CHECK_CCDs"]
    assert ccd["METRICS"]["BIAS_AMP"] == qa["TASKS"]["CHECK_CCDs"]["METRICS"]["BIAS_AMP"]
    assert (ccd["METRICS"]["BIAS_AMP_STATUS"], ccd["STATUS"]) == ("NORMAL", "NORMAL")
    assert ccd["PARAMS"]["BIAS_AMP_NORMAL_RANGE"] == [-150, 150]
    assert wide["STATUS"] == "WARNING"  # NGOODFIB 496 of 500 is still a WARNING
    assert (wide["SPEC_VERSION"], wide["REGRADED"]["FROM"]) == ("v2", "2026-01-01")
    assert qa["TASKS"]["CHECK_CCDs"]["METRICS"]["BIAS_AMP_STATUS"] == "ALARM"  # not modified
    narrow = regrade_qa(make_qa(), _spec(NORMAL_RANGE=[-5, 5], WARN_RANGE=[-8, 8]))
    assert narrow["TASKS"]["CHECK_CCDs"]["METRICS"]["BIAS_AMP_STATUS"] == "ALARM"  # 1210.7
    unspecified = _spec()
    del unspecified.metrics["NOISE_AMP"]
    assert regrade_qa(qa, unspecified)["TASKS"]["CHECK_CCDs"]["METRICS"]["NOISE_AMP_STATUS"] == (
        "UNKNOWN"
    )


def test_regrade_qa_says_why_a_metric_became_unknown_and_forgets_old_reasons():
    qa = alarm_qa()
    unspecified = _spec()
    del unspecified.metrics["NOISE_AMP"]
    ccd = regrade_qa(qa, unspecified)["TASKS"]["CHECK_CCDs"]
    assert ccd["REASONS"] == {"NOISE_AMP": "no threshold for NOISE_AMP (science/DARK) in specs v2"}
    # graded again by a version that has it: the reason goes
    back = regrade_qa(regrade_qa(qa, unspecified), _spec())["TASKS"]["CHECK_CCDs"]
    assert back["METRICS"]["NOISE_AMP_STATUS"] != "UNKNOWN" and "REASONS" not in back


def test_calibration_refs_are_taken_from_the_document():
    qa = alarm_qa()
    qa["TASKS"]["CHECK_CCDs"]["PARAMS"]["BIAS_AMP_REF"] = [1290.0, 1200.0, 1200.0, 1200.0]
    previous = _spec(REF="calib:bias")
    regraded = regrade_qa(qa, _spec(REF="calib:bias", NORMAL_RANGE=[-20, 20]), previous=previous)
    ccd = regraded["TASKS"]["CHECK_CCDs"]
    assert ccd["PARAMS"]["BIAS_AMP_REF"] == [1290.0, 1200.0, 1200.0, 1200.0]
    assert ccd["METRICS"]["BIAS_AMP_STATUS"] == "NORMAL"  # 1300 is 10 over its own reference
    unknown = regrade_qa(qa, _spec(REF="calib:bias"), previous=_spec())  # previous: a number
    assert unknown["TASKS"]["CHECK_CCDs"]["METRICS"]["BIAS_AMP_STATUS"] == "UNKNOWN"


def _ingest(qa: dict, scratch) -> Process:
    exposure_register(**exposure_fields_from_header({**qa["GENERAL_INFO"], **qa}))
    process = process_start(expid=qa["EXPID"], cameras=["b0", "r3"])
    for camera in ("b0", "r3"):
        document = {**qa, "CAMERA": camera} if camera == qa["CAMERA"] else make_qa(
            qa["EXPID"], camera, night=qa["NIGHT"]
        )  # fmt: skip
        path = write_qa(scratch, document)
        job_ingest_qa(process_id=process.pk, qa=document, qa_path=path)
    return process_finish(process_id=process.pk)


def test_preview_then_apply_shows_and_stores_the_changes(users, factory_spec, qlf_dirs):
    bad = _ingest(alarm_qa(42), qlf_dirs["SCRATCH_DIR"])
    good = _ingest(make_qa(43, "r3", night=NIGHT), qlf_dirs["SCRATCH_DIR"])
    version = threshold_version_create(
        **WIDE_BIAS, effective_night=NIGHT, reason="bias allowed to wander", user=users["admin"]
    ).version
    preview = regrade_preview(version=version, night_from=NIGHT, night_to=NIGHT)
    assert (preview["exposures"], preview["cameras"]) == (2, 4)
    assert preview["changed"] == [
        {"expid": 42, "night": NIGHT, "flavor": "science", "process_id": bad.pk,
         "before": "ALARM", "after": "WARNING",
         "cameras": [{"camera": "r3", "before": "ALARM", "after": "WARNING"}]},
    ]  # fmt: skip
    job = Job.objects.get(process=bad, camera="r3")
    assert job.qa_status == "ALARM"  # a preview writes nothing
    applied = regrade_apply(version=version, night_from=NIGHT, user=users["admin"])
    assert applied["changed"] == preview["changed"] and applied["night_to"] is None
    job.refresh_from_db()
    assert job.qa_status == "WARNING" and job.qa["SPEC_VERSION"] == version
    assert job.steps.get(name="CHECK_CCDs").qa_status == "NORMAL"
    on_disk = json.loads(Path(job.qa_path).read_text())
    assert on_disk["SPEC_VERSION"] == version and on_disk["STATUS"] == "WARNING"
    assert Metric.objects.get(job=job, key="BIAS_AMP", index="A").status == "NORMAL"
    assert set(Process.objects.values_list("spec_version", flat=True)) == {version}
    bad.refresh_from_db()
    assert (bad.qa_status, bad.exposure.qa_status) == ("WARNING", "WARNING")
    good.refresh_from_db()
    assert good.qa_status == "WARNING"
    entry = AuditEntry.objects.get(action="regrade.apply")
    assert entry.detail["changed_exposures"] == 1 and entry.author == "ada"
    again = regrade_preview(version=version, night_from=NIGHT)
    assert again["changed"] == []  # nothing left to change


def test_regrade_api_roles(users, clients, factory_spec, qlf_dirs):
    _ingest(alarm_qa(42), qlf_dirs["SCRATCH_DIR"])
    body = {**WIDE_BIAS, "effective_night": NIGHT, "reason": "r"}
    version = threshold_version_create(**body, user=users["admin"]).version
    url = f"/api/thresholds/{version}/regrade/"
    preview = clients["viewer"].get(url, {"night_from": "2026-11-22"})
    assert preview.status_code == 200 and len(preview.json()["changed"]) == 1
    bad = clients["viewer"].get(url, {"night_from": "20261122", "night_to": "20261101"})
    assert bad.status_code == 400
    assert clients["viewer"].get(url).status_code == 400  # night_from is required
    for role in ("viewer", "operator"):
        assert clients[role].post(url, {"night_from": "20261122"}).status_code == 403
    applied = clients["admin"].post(url, {"night_from": "20261122"})
    assert applied.status_code == 200 and applied.json()["changed"][0]["after"] == "WARNING"
    missing = "/api/thresholds/nope/regrade/"
    assert clients["viewer"].get(missing, {"night_from": "20261122"}).status_code == 404
