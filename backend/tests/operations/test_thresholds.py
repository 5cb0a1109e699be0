"""Thresholds as living data: database versions layered on the files, edited by admins."""
# ruff: noqa: F811  (pytest fixtures imported from tests.operations.ops_fixtures)

from __future__ import annotations

import pytest

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import AuditEntry, Process
from qlf.dashboard.selectors.thresholds import threshold_in_force, threshold_versions
from qlf.dashboard.services.pipeline_control import pipeline_attach
from qlf.dashboard.services.thresholds import process_threshold, threshold_version_create
from tests.dashboard.factories import ingest_exposure
from tests.operations.ops_fixtures import NIGHT, clients, factory_spec, users  # noqa: F401

pytestmark = pytest.mark.django_db

WIDE_BIAS = {"key": "BIAS_AMP", "selector": "default", "ref": 1200,
             "normal_range": [-150, 150], "warn_range": [-200, 200]}  # fmt: skip


def test_a_version_copies_the_one_in_force_and_changes_one_entry(users, factory_spec):
    first = threshold_version_create(
        **WIDE_BIAS, effective_night=20261110, reason="bias drifts in winter", user=users["admin"]
    )
    assert first.version == f"2026-11-10+db{first.pk}"
    assert first.base_version == "2026-11-01"
    assert first.metrics["BIAS_AMP"]["default"]["NORMAL_RANGE"] == [-150, 150]
    assert first.metrics["NGOODFIB"] == factory_spec["metrics"]["NGOODFIB"]
    assert first.change["before"] == factory_spec["metrics"]["BIAS_AMP"]["default"]
    ngoodfib = {"key": "NGOODFIB", "selector": "science/DARK", "ref": "calib:nfiber",
                "normal_range": [-5, 5], "warn_range": [-8, 8]}  # fmt: skip
    second = threshold_version_create(
        **ngoodfib, effective_night=20261110, reason="more dead fibers", user=users["admin"]
    )
    assert second.base_version == first.version  # same night: built on the first edit
    assert second.metrics["BIAS_AMP"]["default"]["NORMAL_RANGE"] == [-150, 150]
    names = [v.version for v in threshold_versions()]
    assert names == ["2026-01-01", "2026-06-01", "2026-11-01", first.version, second.version]
    assert threshold_in_force(night=20261109).version == "2026-11-01"
    assert threshold_in_force(night=NIGHT).version == second.version
    audit = AuditEntry.objects.filter(action="threshold.create").order_by("id")
    assert [a.author for a in audit] == ["ada", "ada"]
    assert audit[0].detail["reason"] == "bias drifts in winter"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"normal_range": [1, 2]}, "normal_range"),  # must surround 0
        ({"warn_range": [-100, 100]}, "warn_range"),  # narrower than normal
        ({"selector": "science/NOON"}, "selector"),
        ({"selector": "sunset"}, "selector"),
        ({"ref": "calib:gain"}, "ref"),
        ({"ref": {"r3": "high"}}, "ref"),
        ({"key": "bias amp"}, "key"),
        ({"key": "BIAS_AMPS"}, "key"),  # no such metric
    ],
)
def test_invalid_changes_are_refused(users, change, field):
    values = {**WIDE_BIAS, "effective_night": NIGHT, "reason": "r"} | change
    with pytest.raises(ApplicationError) as error:
        threshold_version_create(**values, user=users["admin"])
    assert error.value.extra["field"] == field


def test_a_process_records_the_version_that_grades_it(users, factory_spec):
    process = ingest_exposure(42, night=NIGHT)
    Process.objects.filter(pk=process.pk).update(spec_version="")
    process.refresh_from_db()
    assert process_threshold(process=process).version == "2026-11-01"
    assert Process.objects.get(pk=process.pk).spec_version == "2026-11-01"
    chosen = ingest_exposure(43, night=NIGHT)
    Process.objects.filter(pk=chosen.pk).update(spec_version="2026-06-01")
    chosen.refresh_from_db()
    assert process_threshold(process=chosen).version == "2026-06-01"
    Process.objects.filter(pk=chosen.pk).update(spec_version="no-such-version")
    chosen.refresh_from_db()
    with pytest.raises(ApplicationError):
        process_threshold(process=chosen)


def test_threshold_api_roles_and_answers(clients, factory_spec):
    body = {**WIDE_BIAS, "effective_night": "2026-11-10", "reason": "winter"}
    for role in ("anonymous", "viewer", "operator"):
        status = clients[role].post("/api/thresholds/", body, format="json").status_code
        assert status in (401, 403), role
    created = clients["admin"].post("/api/thresholds/", body, format="json")
    assert created.status_code == 201, created.content
    version = created.json()
    assert (version["source"], version["author"], version["note"]) == ("database", "ada", "winter")
    assert version["change"]["after"]["NORMAL_RANGE"] == [-150, 150]
    bad = clients["admin"].post("/api/thresholds/", {**body, "reason": ""}, format="json")
    assert bad.status_code == 400
    listed = clients["viewer"].get("/api/thresholds/").json()
    assert [(v["version"], v["source"]) for v in listed][:2] == [
        (version["version"], "database"), ("2026-11-01", "file"),
    ]  # fmt: skip
    detail = clients["viewer"].get(f"/api/thresholds/{version['version']}/").json()
    assert detail["metrics"]["BIAS_AMP"]["default"]["WARN_RANGE"] == [-200, 200]
    assert clients["viewer"].get("/api/thresholds/nope/").status_code == 404
    # the specs endpoints see the same versions
    specs = clients["viewer"].get("/api/specs/").json()
    assert specs[0]["version"] == version["version"] and specs[0]["source"] == "database"
    current = clients["viewer"].get("/api/specs/current/?night=20261122").json()
    assert current["version"] == version["version"]


def test_reprocess_passes_the_chosen_version_to_the_daemon(clients):
    calls = []

    class Daemon:
        def reprocess(self, expid, spec_version=None):
            calls.append((expid, spec_version))
            return {"queued": expid}

    pipeline_attach(Daemon())
    try:
        body = {"expid": 42, "spec_version": "2026-06-01"}
        assert clients["viewer"].post("/api/pipeline/reprocess/", body).status_code == 403
        assert clients["operator"].post("/api/pipeline/reprocess/", body).status_code == 200
        assert (
            clients["operator"].post("/api/pipeline/reprocess/", {"expid": 43}).status_code == 200
        )
    finally:
        pipeline_attach(None)
    assert calls == [(42, "2026-06-01"), (43, None)]
