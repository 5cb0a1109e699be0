"""The campaigns API on a daemon attached in-process (embedded mode) and through the Pyro4
service's answers (a remote daemon): roles, validation, the daemon's errors as JSON."""

from __future__ import annotations

import time

import pytest
from rest_framework.test import APIClient

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Campaign
from qlf.dashboard.services import pipeline_control
from qlf.dashboard.services.users import user_create
from qlf.pipeline.daemon import PipelineService
from tests.pipeline.rawfiles import write_raw

NIGHT = 20261122


@pytest.fixture
def clients(dirs, make_daemon):
    for expid in (1, 2):
        write_raw(dirs["data"], expid=expid, mtime=time.time() - 60)
    daemon, recorder = make_daemon()
    daemon.run(until=lambda: len(recorder.of("process.finished")) == 2, timeout=60)
    pipeline_control.pipeline_attach(daemon)
    made = {}
    for role in ("viewer", "operator"):
        client = APIClient()
        client.force_authenticate(user_create(username=role, password=f"{role}-long-secret-1",
                                              role=role))  # fmt: skip
        made[role] = client
    yield made, daemon, recorder
    pipeline_control.pipeline_attach(None)


def test_operators_start_and_control_viewers_read(clients):
    made, daemon, _ = clients
    viewer, operator = made["viewer"], made["operator"]
    assert viewer.post("/api/campaigns/", {"night": NIGHT}, format="json").status_code == 403
    response = operator.post(
        "/api/campaigns/", {"night": "2026-11-22", "flavor": ["zero"], "name": "n"}, format="json"
    )
    assert response.status_code == 201, response.content
    cid = response.json()["id"]
    assert response.json()["total"] == 2
    campaign = Campaign.objects.get(pk=cid)
    assert campaign.filters == {"night": NIGHT, "flavor": ["zero"]}
    assert campaign.created_by == "operator"

    assert viewer.post(f"/api/campaigns/{cid}/pause/").status_code == 403
    assert operator.post(f"/api/campaigns/{cid}/pause/").json()["state"] == "paused"
    refused = operator.post(f"/api/campaigns/{cid}/promote/")
    assert refused.status_code == 409 and "paused" in refused.json()["detail"]
    assert operator.post(f"/api/campaigns/{cid}/resume/").json()["state"] == "running"

    daemon.run(until=lambda: viewer.get(f"/api/campaigns/{cid}/").json()["state"] == "done",
               timeout=60)  # fmt: skip
    listed = viewer.get("/api/campaigns/").json()["results"]
    assert [(c["id"], c["done"], c["remaining"]) for c in listed] == [(cid, 2, 0)]
    diff = viewer.get(f"/api/campaigns/{cid}/diff/").json()
    assert diff["exposures"] == 2 and diff["changed"] == []  # same version: same grades
    compare = viewer.get(f"/api/campaigns/{cid}/diff/", {"expid": 1}).json()
    assert compare["expid"] == 1 and compare["counts"]["status_changed"] == 0
    mine = Campaign.objects.get(pk=cid).processes.get(exposure_id=1)
    assert compare["b"]["id"] == mine.pk and compare["a"]["id"] < mine.pk


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 400, "night"),
        ({"night": "20261399"}, 400, "night"),
        ({"night": NIGHT, "flavor": ["twilight"]}, 400, "flavor.0"),
        ({"night_from": 20261130, "night_to": 20261101}, 400, "night_from"),
        ({"night": NIGHT, "spec_version": "1999-01-01"}, 404, None),
        ({"night": 20200101}, 400, None),
    ],
)
def test_bad_starts_are_clear_errors(clients, body, status, field):
    made, _, _ = clients
    response = made["operator"].post("/api/campaigns/", body, format="json")
    assert response.status_code == status, response.content
    if field:
        assert response.json()["field"] == field
    assert Campaign.objects.count() == 0


def test_unknown_campaign_is_404(clients):
    made, _, _ = clients
    assert made["viewer"].get("/api/campaigns/7/").status_code == 404
    assert made["viewer"].get("/api/campaigns/7/diff/").status_code == 404
    assert made["operator"].post("/api/campaigns/7/cancel/").status_code == 404


def test_a_remote_daemon_answers_client_errors_as_errors(clients):
    _, daemon, _ = clients
    service = PipelineService(daemon)  # what Pyro4 serves
    answer = service.campaign_act(7, "pause", "ann")
    assert answer["error"]["status_code"] == 404
    pipeline_control.pipeline_attach(service)
    with pytest.raises(ApplicationError, match="campaign 7 does not exist") as error:
        pipeline_control.pipeline_campaign_act(campaign_id=7, action="pause")
    assert error.value.status_code == 404
    started = pipeline_control.pipeline_campaign_start(filters={"night": NIGHT})
    assert started["total"] == 2 and isinstance(started["created"], str)
