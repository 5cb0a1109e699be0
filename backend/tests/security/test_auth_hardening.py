"""CSRF on session writes (sign-in too), sign-in rate limit, password hashing, session expiry,
cookie flags."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import global_settings
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework.test import APIClient

from qlf.dashboard.api.auth import LOGIN_FAILURES
from qlf.dashboard.models import ProcessComment
from qlf.dashboard.services.users import user_create
from tests.dashboard.factories import ingest_exposure
from tests.security.conftest import PASSWORDS

pytestmark = pytest.mark.django_db


def _signed_in(username: str) -> APIClient:
    """A browser-like client: CSRF enforced, signed in with a session cookie."""
    client = APIClient(enforce_csrf_checks=True)
    client.get("/api/auth/me/")  # sets the CSRF cookie
    credentials = {"username": username, "password": PASSWORDS[username]}
    response = client.post(
        "/api/auth/login/", credentials, format="json", HTTP_X_CSRFTOKEN=_csrf(client)
    )
    assert response.status_code == 200, response.content
    return client


def _csrf(client: APIClient) -> str:
    return client.cookies["csrftoken"].value


def _login(client, username, password, ip="10.0.0.1"):
    return client.post("/api/auth/login/", {"username": username, "password": password},
                       format="json", REMOTE_ADDR=ip)  # fmt: skip


def test_session_writes_need_the_csrf_token(role_users, fake_daemon):
    process = ingest_exposure(42, cameras=("r3",))
    client = _signed_in("operator")
    url = f"/api/processes/{process.pk}/comments/"
    refused = client.post(url, {"text": "no token"}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    wrong = client.post(url, {"text": "bad token"}, format="json", HTTP_X_CSRFTOKEN="x" * 32)
    assert wrong.status_code == 403
    assert client.post("/api/pipeline/start/", format="json").status_code == 403
    assert not ProcessComment.objects.exists() and fake_daemon.calls == []
    ok = client.post(url, {"text": "with token"}, format="json", HTTP_X_CSRFTOKEN=_csrf(client))
    assert ok.status_code == 201
    started = client.post("/api/pipeline/start/", format="json", HTTP_X_CSRFTOKEN=_csrf(client))
    assert started.status_code == 200 and fake_daemon.calls == [("start",)]
    assert client.get(url).status_code == 200  # reads need no token


def test_sign_in_needs_the_csrf_token(role_users):
    """Login CSRF: a foreign page must not sign the browser in (to an account of its choosing)."""
    credentials = {"username": "viewer", "password": PASSWORDS["viewer"]}
    browser = APIClient(enforce_csrf_checks=True)
    forged = browser.post("/api/auth/login/", credentials, format="json",
                          HTTP_ORIGIN="https://evil.example")  # fmt: skip
    assert forged.status_code == 403 and "CSRF" in forged.json()["detail"]
    assert "sessionid" not in forged.cookies and "sessionid" not in browser.cookies
    browser.get("/api/auth/me/")  # the app's first call: sets the CSRF cookie
    no_token = browser.post("/api/auth/login/", credentials, format="json")
    assert no_token.status_code == 403 and "sessionid" not in browser.cookies
    foreign = browser.post("/api/auth/login/", credentials, format="json",
                           HTTP_X_CSRFTOKEN=_csrf(browser), HTTP_ORIGIN="https://evil.example",
                           HTTP_HOST="testserver")  # fmt: skip
    assert foreign.status_code == 403 and "sessionid" not in browser.cookies
    ok = browser.post("/api/auth/login/", credentials, format="json",
                      HTTP_X_CSRFTOKEN=_csrf(browser))  # fmt: skip
    assert ok.status_code == 200 and browser.cookies["sessionid"].value
    assert browser.get("/api/auth/me/").json()["username"] == "viewer"
    script = APIClient(enforce_csrf_checks=True)  # API clients: the token endpoint, no CSRF
    assert script.post("/api/auth/token/", credentials, format="json").status_code == 200


def test_sign_in_is_rate_limited_per_address(role_users):
    client = APIClient()
    for _ in range(LOGIN_FAILURES):
        assert _login(client, "viewer", "wrong").status_code == 401
    blocked = _login(client, "viewer", PASSWORDS["viewer"])  # even the right password
    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 300
    token = client.post("/api/auth/token/", {"username": "viewer", "password": PASSWORDS["viewer"]},
                        format="json", REMOTE_ADDR="10.0.0.1")  # fmt: skip
    assert token.status_code == 429
    assert _login(client, "VIEWER", "wrong").status_code == 429  # usernames: any case
    assert _login(client, "viewer", PASSWORDS["viewer"], ip="10.0.0.2").status_code == 200
    # issue 18: the address is held back, whatever account it tries (was: per user and address)
    assert _login(client, "operator", PASSWORDS["operator"]).status_code == 429
    assert _login(client, "operator", PASSWORDS["operator"], ip="10.0.0.3").status_code == 200


def test_the_limit_ends_with_its_window(role_users, monkeypatch):
    import qlf.dashboard.services.sign_in_limit as limit

    client = APIClient()
    now = [1_000_000.0]
    monkeypatch.setattr(limit.time, "time", lambda: now[0])
    for _ in range(LOGIN_FAILURES):
        _login(client, "viewer", "wrong")
    now[0] += 299
    assert _login(client, "viewer", PASSWORDS["viewer"]).status_code == 429
    now[0] += 2
    assert _login(client, "viewer", PASSWORDS["viewer"]).status_code == 200


def test_a_success_forgets_earlier_failures(role_users):
    client = APIClient()
    for _ in range(LOGIN_FAILURES - 1):
        _login(client, "viewer", "wrong")
    assert _login(client, "viewer", PASSWORDS["viewer"]).status_code == 200
    for _ in range(LOGIN_FAILURES - 1):
        assert _login(client, "viewer", "wrong").status_code == 401


def test_passwords_are_stored_with_djangos_default_hasher(settings):
    import qlf.web.settings as project

    assert not hasattr(project, "PASSWORD_HASHERS")  # the project keeps Django's default
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # (tests use a fast one)
    user = user_create(username="hana", password="a-long-hashed-secret", role="viewer")
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == get_hasher("default").algorithm
    assert (
        user.password.startswith("pbkdf2_sha256$") and "a-long-hashed-secret" not in user.password
    )
    assert check_password("a-long-hashed-secret", user.password)


def test_sessions_expire(role_users, settings):
    import qlf.web.settings as project

    assert project.SESSION_COOKIE_AGE == 12 * 3600
    client = _signed_in("viewer")
    assert client.cookies["sessionid"]["max-age"] == 12 * 3600
    assert client.cookies["sessionid"]["httponly"]
    assert client.get("/api/exposures/").status_code == 200
    session = Session.objects.get()
    assert session.expire_date <= timezone.now() + timedelta(hours=12, minutes=1)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/exposures/").status_code in (401, 403)


def _settings_in(env: dict[str, str]) -> dict:
    code = (
        "import json, qlf.web.settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.DEBUG]))"
    )
    keep = {k: v for k, v in os.environ.items() if not k.startswith("QLF_")}
    done = subprocess.run([sys.executable, "-c", code], env={**keep, "QLF_SECRET_KEY": "k", **env},
                          capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    return json.loads(done.stdout)


def test_cookies_are_secure_behind_https_and_debug_is_off_by_default():
    assert _settings_in({}) == [False, False, None, False]
    assert _settings_in({"QLF_HTTPS": "1"}) == [
        True,
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        False,
    ]
