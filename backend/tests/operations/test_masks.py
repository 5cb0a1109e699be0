"""Known-bad masks: a masked element still shows but no longer makes its camera WARNING/ALARM."""
# ruff: noqa: F811  (pytest fixtures imported from tests.operations.ops_fixtures)

from __future__ import annotations

import pytest

from qlf.dashboard.models import AuditEntry, Exposure, Job, Process, StepRun
from qlf.dashboard.services.exposures import exposure_fields_from_header, exposure_register
from qlf.dashboard.services.masks import mask_create, mask_end, mask_update
from qlf.dashboard.services.processes import process_finish, process_start
from qlf.dashboard.services.qa_ingest import job_ingest_qa
from qlf.dashboard.services.qa_masking import qa_mask
from tests.operations.ops_fixtures import NIGHT, alarm_qa, clients, users  # noqa: F401

pytestmark = pytest.mark.django_db


def _ingest(qa: dict) -> Process:
    exposure_register(**exposure_fields_from_header({**qa["GENERAL_INFO"], **qa}))
    process = process_start(expid=qa["EXPID"], cameras=[qa["CAMERA"]])
    job_ingest_qa(process_id=process.pk, qa=qa)
    return process_finish(process_id=process.pk)


def _statuses(process: Process) -> tuple[str, str, str, str]:
    """(job, CHECK_CCDs step, process, exposure) effective statuses of r3."""
    job = Job.objects.get(process=process, camera="r3")
    step = StepRun.objects.get(job=job, name="CHECK_CCDs")
    process.refresh_from_db()
    exposure = Exposure.objects.get(pk=process.exposure_id)
    return job.qa_status, step.qa_status, process.qa_status, exposure.qa_status


def _mask(user, **kwargs):
    options = {"camera": "r3", "reason": "amp A bias unstable", "night_from": NIGHT} | kwargs
    return mask_create(**options, user=user)


def test_an_amp_mask_lifts_the_alarm_of_that_amp_only(users):
    process = _ingest(alarm_qa())
    assert _statuses(process) == ("ALARM", "ALARM", "ALARM", "ALARM")
    other = _mask(users["operator"], amp="B")
    assert _statuses(process)[0] == "ALARM"  # amp B is not the bad one
    mask = _mask(users["operator"], amp="A")
    # CHECK_CCDs is NORMAL without amp A; the camera keeps the WARNING of its fibers
    assert _statuses(process) == ("WARNING", "NORMAL", "WARNING", "WARNING")
    job = Job.objects.get(process=process)
    assert job.qa["TASKS"]["CHECK_CCDs"]["METRICS"]["BIAS_AMP_STATUS"] == "ALARM"  # kept
    mask_end(mask_id=mask.pk, user=users["operator"], last_night=NIGHT - 1)
    assert _statuses(process) == ("ALARM", "ALARM", "ALARM", "ALARM")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "target", "author"))
    assert actions == [
        ("mask.create", f"mask {other.pk}", "otto"),
        ("mask.create", f"mask {mask.pk}", "otto"),
        ("mask.end", f"mask {mask.pk}", "otto"),
    ]


def test_a_mask_present_at_ingestion_applies_at_once(users):
    _mask(users["operator"])  # the whole camera
    process = _ingest(alarm_qa())
    assert _statuses(process) == ("NORMAL", "NORMAL", "NORMAL", "NORMAL")


def test_masks_cover_their_nights_and_metrics_only(users):
    _mask(users["operator"], night_from=NIGHT + 1)
    _mask(users["operator"], night_from=NIGHT - 5, night_to=NIGHT - 1)
    _mask(users["operator"], metrics=["NOISE_AMP"])
    _mask(users["operator"], camera="b0")
    process = _ingest(alarm_qa())
    assert _statuses(process)[0] == "ALARM"


def test_a_metric_restricted_camera_mask_keeps_the_other_metrics(users):
    _mask(users["operator"], metrics=["BIAS_AMP"])
    assert _statuses(_ingest(alarm_qa())) == ("WARNING", "NORMAL", "WARNING", "WARNING")


def test_a_masked_dead_fiber_counts_as_good(users):
    qa = alarm_qa()
    fibers = qa["TASKS"]["CHECK_FIBERS"]
    assert fibers["METRICS"]["GOOD_FIBERS"][2] == 0 and fibers["STATUS"] == "WARNING"
    _mask(users["operator"], amp="A")
    _mask(users["operator"], fiber=1)  # a good fiber: nothing changes
    process = _ingest(qa)
    assert _statuses(process)[0] == "WARNING"
    fiber = _mask(users["operator"], fiber=2, reason="fiber 2 broken")
    assert _statuses(process)[0] == "NORMAL"  # 497 of 500: inside ±3
    step = StepRun.objects.get(job__process=process, name="CHECK_FIBERS")
    assert step.qa_status == "NORMAL"
    mask_update(mask_id=fiber.pk, user=users["operator"], metrics=["XYSHIFTS"])
    assert _statuses(process)[0] == "WARNING"
    entry = AuditEntry.objects.filter(action="mask.modify").get()
    assert entry.detail == {"metrics": [[], ["XYSHIFTS"]]}


def test_qa_mask_without_masks_keeps_the_document_statuses():
    qa = alarm_qa()
    grade = qa_mask(qa, [], amp_keys=frozenset())
    assert grade.status == "ALARM" and grade.masked == []
    assert grade.steps == {"CHECK_CCDs": "ALARM", "CHECK_FIBERS": "WARNING",
                           "CHECK_SPECTRA": "NORMAL"}  # fmt: skip
    assert grade.keys_at("ALARM") == ["CHECK_CCDs/BIAS_AMP"]


def test_qa_api_marks_masked_elements_with_the_reason(users, clients):
    process = _ingest(alarm_qa())
    _mask(users["operator"], amp="A")
    answer = clients["viewer"].get(f"/api/processes/{process.pk}/qa/").json()
    (camera,) = answer["cameras"]
    assert camera["status"] == "ALARM" and camera["effective_status"] == "WARNING"
    assert [m["target"] for m in camera["masks"]] == ["r3 amp A"]
    bias = next(m for m in camera["steps"]["CHECK_CCDs"]["metrics"] if m["key"] == "BIAS_AMP")
    marks = {e["index"]: e["masked"] for e in bias["elements"]}
    assert marks == {"A": "amp A bias unstable", "B": None, "C": None, "D": None}


def test_mask_api_roles_validation_and_audit(users, clients):
    body = {"camera": "r3", "amp": "A", "night_from": "2026-11-22", "reason": "bias jumps"}
    assert clients["anonymous"].post("/api/masks/", body, format="json").status_code in (401, 403)
    assert clients["viewer"].post("/api/masks/", body, format="json").status_code == 403
    created = clients["operator"].post("/api/masks/", body, format="json")
    assert created.status_code == 201, created.content
    mask = created.json()
    assert (mask["target"], mask["night_from"], mask["night_to"]) == ("r3 amp A", NIGHT, None)
    assert mask["created_by"] == "otto"
    bad = clients["operator"].post("/api/masks/", {**body, "amp": "Q"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "amp"
    nights = {**body, "night_to": "20261101"}
    assert clients["operator"].post("/api/masks/", nights, format="json").status_code == 400
    assert clients["operator"].post("/api/masks/", {**body, "reason": ""}).status_code == 400
    url = f"/api/masks/{mask['id']}/"
    assert clients["viewer"].patch(url, {"reason": "x"}, format="json").status_code == 403
    changed = clients["operator"].patch(url, {"night_to": "20261130"}, format="json")
    assert changed.status_code == 200 and changed.json()["night_to"] == 20261130
    assert clients["viewer"].post(url + "end/", {}).status_code == 403
    ended = clients["operator"].post(url + "end/", {"last_night": "20261125", "note": "fixed"})
    assert ended.status_code == 200 and ended.json()["night_to"] == 20261125
    assert ended.json()["ended"] is not None
    assert clients["operator"].post(url + "end/", {}).status_code == 409
    assert clients["viewer"].get("/api/masks/?active_on=20261126").json() == []
    assert [m["id"] for m in clients["viewer"].get("/api/masks/").json()] == [mask["id"]]
    audit = clients["viewer"].get("/api/audit/?action=mask.").json()
    assert [(a["action"], a["author"]) for a in audit] == [
        ("mask.end", "otto"), ("mask.modify", "otto"), ("mask.create", "otto"),
    ]  # fmt: skip
    assert audit[1]["detail"] == {"night_to": [None, 20261130]}
    assert audit[0]["detail"]["note"] == "fixed"
