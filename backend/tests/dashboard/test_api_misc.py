"""Logs, comments, reference data, configuration, pipeline control, auth, schema and docs."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from qlf.dashboard.models import Job
from qlf.dashboard.services.qa_files import qa_files_ingest
from qlf.dashboard.services.users import user_create
from tests.dashboard.factories import ingest_exposure, make_qa, write_qa

pytestmark = pytest.mark.django_db


@pytest.fixture
def job_with_log(qlf_dirs):
    path = write_qa(qlf_dirs["SCRATCH_DIR"], make_qa())
    qa_files_ingest(paths=[path])
    log = path.with_suffix(".log")
    log.write_text("".join(f"line {i}\n" for i in range(500)))
    return Job.objects.get(), log


def test_log_tail_and_offset(viewer_client, job_with_log):
    job, log = job_with_log
    url = f"/api/jobs/{job.pk}/log/"
    tail = viewer_client.get(url, {"tail": 3}).json()
    assert tail["lines"] == ["line 497", "line 498", "line 499"]
    assert tail["next_offset"] == tail["size"] == log.stat().st_size
    assert len(viewer_client.get(url).json()["lines"]) == 200
    log.write_text(log.read_text() + "line 500\npartial")
    Job.objects.filter(pk=job.pk).update(status="running")
    more = viewer_client.get(url, {"offset": tail["next_offset"]}).json()
    assert more["lines"] == ["line 500"]  # only whole lines while the job runs
    Job.objects.filter(pk=job.pk).update(status="done")
    rest = viewer_client.get(url, {"offset": more["next_offset"]}).json()
    assert rest["lines"] == ["partial"]
    head = viewer_client.get(url, {"offset": 0}).json()
    assert head["lines"][0] == "line 0" and head["offset"] == 0


def test_log_bad_requests(viewer_client, job_with_log, tmp_path):
    job, log = job_with_log
    url = f"/api/jobs/{job.pk}/log/"
    assert viewer_client.get(url, {"tail": 0}).status_code == 400
    assert viewer_client.get(url, {"tail": 3, "offset": 1}).status_code == 400
    assert viewer_client.get(url, {"offset": -1}).status_code == 400
    assert viewer_client.get("/api/jobs/999/log/").status_code == 404
    log.unlink()
    assert viewer_client.get(url).status_code == 404
    Job.objects.filter(pk=job.pk).update(log_path=str(tmp_path / "outside.log"))
    (tmp_path / "outside.log").write_text("secret\n")
    assert viewer_client.get(url).status_code == 403


def test_comments_viewers_read_operators_write(viewer_client, operator_client, anon_client):
    process = ingest_exposure(42)
    url = f"/api/processes/{process.pk}/comments/"
    assert viewer_client.post(url, {"text": "hi"}, format="json").status_code == 403
    created = operator_client.post(url, {"text": "r3 bias jumped"}, format="json")
    assert created.status_code == 201 and created.json()["author"] == "otto"
    assert [c["text"] for c in viewer_client.get(url).json()] == ["r3 bias jumped"]
    assert operator_client.post(url, {"text": "  "}, format="json").status_code == 400
    assert (
        operator_client.post(url, "{not json", content_type="application/json").status_code == 400
    )
    assert operator_client.post("/api/processes/999/comments/", {"text": "x"}).status_code == 404
    assert anon_client.get(url).status_code == 401


def test_ql_mapping(viewer_client):
    every = viewer_client.get("/api/ql-mapping/").json()
    assert sorted(every) == ["science", "zero"]
    science = viewer_client.get("/api/ql-mapping/science/").json()
    assert science["steps"][0]["qa"][0]["key"] == "BIAS_AMP"
    assert viewer_client.get("/api/ql-mapping/arc/").status_code == 404  # no file
    assert viewer_client.get("/api/ql-mapping/..%2Fsecret/").status_code == 404


def test_specs(viewer_client):
    history = viewer_client.get("/api/specs/").json()
    assert [v["version"] for v in history] == ["2026-06-01", "2026-01-01"]
    current = viewer_client.get("/api/specs/current/", {"night": "20260301"}).json()
    assert current["version"] == "2026-01-01" and "BIAS_AMP" in current["metrics"]
    assert viewer_client.get("/api/specs/current/").json()["version"] == "2026-06-01"
    assert viewer_client.get("/api/specs/current/", {"night": "20200101"}).status_code == 404
    assert viewer_client.get("/api/specs/current/", {"night": "soon"}).status_code == 400


def test_config_has_no_secrets(viewer_client, settings):
    body = viewer_client.get("/api/config/").json()
    assert body["database"] in ("sqlite3", "postgresql") and "scratch_dir" in body
    assert settings.SECRET_KEY not in str(body)


def test_pipeline_without_daemon_is_503(viewer_client, operator_client):
    status = viewer_client.get("/api/pipeline/status/")
    assert status.status_code == 503 and status.json()["detail"] == "pipeline daemon not reachable"
    for action in ("start", "stop", "reset"):
        assert viewer_client.post(f"/api/pipeline/{action}/").status_code == 403
        assert operator_client.post(f"/api/pipeline/{action}/").status_code == 503
    reprocess = "/api/pipeline/reprocess/"
    assert viewer_client.post(reprocess, {"expid": 1}, format="json").status_code == 403
    assert operator_client.post(reprocess, {"expid": "x"}, format="json").status_code == 400
    assert operator_client.post(reprocess, {"expid": 1}, format="json").status_code == 503


def test_pipeline_unreachable_daemon_is_503(operator_client, settings):
    settings.QLF = {**settings.QLF, "PIPELINE_URL": "PYRO:qlf@127.0.0.1:1"}
    response = operator_client.post("/api/pipeline/start/")
    assert response.status_code == 503 and response.json()["reason"]


@pytest.mark.parametrize(
    "url",
    ["/api/exposures/", "/api/processes/", "/api/processes/recent/", "/api/trends/?key=X",
     "/api/conditions/", "/api/survey/", "/api/ql-mapping/", "/api/specs/", "/api/config/",
     "/api/pipeline/status/", "/api/processes/1/", "/api/jobs/1/log/"],
)  # fmt: skip
def test_anonymous_and_roleless_users_see_nothing(anon_client, url, django_user_model):
    assert anon_client.get(url).status_code == 401
    nobody = django_user_model.objects.create_user("nobody", password="x-long-password-1")
    client = APIClient()
    client.force_authenticate(nobody)
    assert client.get(url).status_code == 403


def test_session_login_me_and_logout(viewer):
    client = APIClient(enforce_csrf_checks=True)
    assert client.get("/api/auth/me/").json() == {"username": None, "roles": []}
    csrf = client.cookies["csrftoken"].value
    bad = client.post("/api/auth/login/", {"username": "vera", "password": "wrong"},
                      format="json", HTTP_X_CSRFTOKEN=csrf)  # fmt: skip
    assert bad.status_code == 401
    credentials = {"username": "vera", "password": "a-long-viewer-secret"}
    login = client.post("/api/auth/login/", credentials, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert login.status_code == 200 and login.json()["roles"] == ["viewer"]
    assert client.get("/api/exposures/").status_code == 200
    client.post("/api/auth/logout/", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert client.get("/api/exposures/").status_code in (401, 403)


def test_token_for_scripts(operator):
    client = APIClient()
    assert client.post("/api/auth/token/", {"username": "otto"}, format="json").status_code == 400
    token = client.post("/api/auth/token/", {"username": "otto",
                        "password": "a-long-operator-secret"}, format="json").json()  # fmt: skip
    assert token["roles"] == ["viewer", "operator"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    assert client.get("/api/processes/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    assert client.get("/api/processes/").status_code == 401


def test_weak_password_is_refused():
    from qlf.dashboard.errors import ApplicationError

    with pytest.raises(ApplicationError, match="password"):
        user_create(username="weak", password="123", role="operator")


def test_schema_and_local_docs(anon_client):
    schema = anon_client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/exposures/", "/api/trends/", "/api/pipeline/start/"} <= set(paths)
    docs = anon_client.get("/api/docs/").content.decode()
    # Every asset the page loads is served by QLF itself: no absolute URL to another host
    # (the page also carries a random CSRF token, so no search for words in its text).
    assets = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', docs)
    assets += re.findall(r'["\'](https?://[^"\']+\.(?:js|css))', docs)
    assert assets and not [url for url in assets if re.match(r"(https?:)?//", url)]
    assert "/static/drf_spectacular_sidecar/" in docs
    assert anon_client.get("/api/redoc/").status_code == 200


def test_unknown_api_path_is_json_404(viewer_client):
    response = viewer_client.get("/api/nothing-here/")
    assert response.status_code == 404 and response.json()["detail"]


def test_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


@pytest.mark.parametrize(
    "url",
    [
        "/api/processes/99999999999999999999/",
        "/api/processes/9223372036854775807/qa/",
        "/api/jobs/99999999999999999999/log/",
        "/api/exposures/?tile=99999999999999",
        "/api/exposures/?night=99999999999",
        "/api/processes/?expid=-99999999999999",
        "/api/trends/?key=BIAS_AMP&amps=" + "A" * 40,
        "/api/exposures/?flavor=" + "," * 1000,
        "/api/exposures/?ordering=-",
        "/api/survey/?night_from=0",
        "/api/specs/current/?night=00000000",
    ],
)
def test_hostile_queries_never_500(viewer_client, url):
    response = viewer_client.get(url)
    assert 200 <= response.status_code < 500 and isinstance(response.json(), dict | list)


def test_hostile_bodies_never_500(operator_client):
    process = ingest_exposure(42)
    url = f"/api/processes/{process.pk}/comments/"
    for body in ([], "text", {"text": ["a"]}, {"text": None}, {"text": "x" * 20000}):
        response = operator_client.post(url, body, format="json")
        assert response.status_code == 400, body
    for body in ([], {"username": ["a"], "password": 1}):
        assert APIClient().post("/api/auth/login/", body, format="json").status_code in (400, 401)
    reprocess = "/api/pipeline/reprocess/"
    assert operator_client.post(reprocess, {"expid": 10**30}, format="json").status_code in (
        400,
        503,
    )


class _FakeDaemon:
    def __init__(self):
        self.calls = []

    def status(self):
        return {"state": "idle", "queue": [], "current": None}

    def start(self):
        self.calls.append("start")
        return {"state": "running"}

    def stop(self):
        return "stopping"

    def reset(self, confirm=False):
        self.calls.append(("reset", confirm))
        return {"reset": confirm}

    def reprocess(self, expid):
        self.calls.append(("reprocess", expid))
        return {"queued": expid}


@pytest.fixture
def attached_daemon():
    from qlf.dashboard.services.pipeline_control import pipeline_attach

    daemon = _FakeDaemon()
    pipeline_attach(daemon)
    yield daemon
    pipeline_attach(None)


def test_pipeline_control_with_attached_daemon(viewer_client, operator_client, attached_daemon):
    assert viewer_client.get("/api/pipeline/status/").json()["state"] == "idle"
    assert operator_client.post("/api/pipeline/start/").json() == {"state": "running"}
    assert operator_client.post("/api/pipeline/stop/").json() == {"result": "stopping"}
    assert operator_client.post("/api/pipeline/reset/").json() == {"reset": False}
    confirmed = operator_client.post("/api/pipeline/reset/", {"confirm": True}, format="json")
    assert confirmed.json() == {"reset": True}
    assert operator_client.post("/api/pipeline/reset/", {"confirm": "maybe"}, format="json")\
        .status_code == 400  # fmt: skip
    queued = operator_client.post("/api/pipeline/reprocess/", {"expid": 7}, format="json")
    assert queued.json() == {"queued": 7}
    assert attached_daemon.calls == ["start", ("reset", False), ("reset", True), ("reprocess", 7)]


def test_json_rendering_matches_drf_conventions(viewer_client):
    from datetime import UTC, datetime

    from qlf.dashboard.api.renderers import FastJSONRenderer

    data = {"t": datetime(2026, 11, 22, 3, 0, 0, 123000, tzinfo=UTC), "x": float("nan"), 1: "a"}
    assert FastJSONRenderer().render(data) == (
        b'{"t":"2026-11-22T03:00:00.123000Z","x":null,"1":"a"}'
    )
    pretty = FastJSONRenderer().render({"a": 1}, "application/json; indent=2")
    assert pretty == b'{\n  "a": 1\n}'
    body = viewer_client.get("/api/exposures/", {"flavor": "bogus"}).json()
    assert body["field"] == "flavor" and isinstance(body["errors"]["flavor"][0], str)


def test_an_id_beyond_the_database_range_is_a_400_not_a_500(viewer_client):
    huge = 18887889448850400418513270341632  # found by schemathesis: OverflowError in SQLite
    response = viewer_client.get(
        "/api/plots/spectra/", {"process": huge, "camera": "z7", "fiber": 1}
    )
    # SQLite cannot store it (400, out of range); Postgres compares it and finds nothing (404)
    assert response.status_code in (400, 404) and response.json()["detail"]
