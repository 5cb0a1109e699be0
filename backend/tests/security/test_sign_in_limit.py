"""The sign-in limit behind a proxy: forwarded addresses are trusted only from the configured
proxies (``QLF_TRUSTED_PROXIES``), failures are counted per client address with a back-off that
doubles each time, and the counts live in the database, shared by every server process. An
attacker cannot lock the night crew out, and cannot escape the limit by forging the header."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from qlf.dashboard.api.auth import LOGIN_FAILURES, LOGIN_WINDOW_S
from qlf.dashboard.api.client_address import client_address
from tests.security.conftest import PASSWORDS

pytestmark = pytest.mark.django_db

NGINX = "172.18.0.5"  # the proxy's address on the compose network


@pytest.fixture
def behind_nginx(settings):
    settings.QLF = {**settings.QLF, "TRUSTED_PROXIES": ["172.16.0.0/12", "127.0.0.1"]}


def _login(username, password, *, remote=NGINX, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return APIClient().post("/api/auth/login/", {"username": username, "password": password},
                            format="json", **extra)  # fmt: skip


def test_an_attacker_behind_nginx_cannot_lock_out_the_night_crew(role_users, behind_nginx):
    for _ in range(LOGIN_FAILURES + 5):
        _login("operator", "guess", forwarded="203.0.113.9")
    assert _login("operator", "guess", forwarded="203.0.113.9").status_code == 429
    crew = _login("operator", PASSWORDS["operator"], forwarded="198.51.100.7")
    assert crew.status_code == 200
    # the attacker's address is held back whatever account it tries
    assert _login("viewer", PASSWORDS["viewer"], forwarded="203.0.113.9").status_code == 429


def test_a_forged_forwarded_header_does_not_escape_the_limit(role_users, behind_nginx):
    # nginx appends the address it saw: the forged part is on the left, the real one last
    for n in range(LOGIN_FAILURES):
        _login("viewer", "guess", forwarded=f"10.9.9.{n}, 203.0.113.9")
    assert _login("viewer", "guess", forwarded="10.9.9.99, 203.0.113.9").status_code == 429
    # straight to the server (not through a trusted proxy): the header is ignored
    for n in range(LOGIN_FAILURES):
        _login("viewer", "guess", remote="192.0.2.1", forwarded=f"10.8.8.{n}")
    assert _login("viewer", "guess", remote="192.0.2.1", forwarded="10.8.8.99").status_code == 429


def test_client_address(rf, settings):
    settings.QLF = {**settings.QLF, "TRUSTED_PROXIES": ["172.16.0.0/12"]}

    def address(remote, forwarded=None):
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return client_address(rf.get("/", REMOTE_ADDR=remote, **extra))

    assert address("203.0.113.9") == "203.0.113.9"
    assert address("203.0.113.9", "1.2.3.4") == "203.0.113.9"  # not a trusted proxy
    assert address(NGINX, "1.2.3.4") == "1.2.3.4"
    assert address(NGINX, "6.6.6.6, 1.2.3.4") == "1.2.3.4"
    assert address(NGINX, "1.2.3.4, 172.18.0.9") == "1.2.3.4"  # two proxies of ours
    assert address(NGINX, "not-an-address") == NGINX
    assert address(NGINX, "") == NGINX
    settings.QLF = {**settings.QLF, "TRUSTED_PROXIES": []}
    assert address(NGINX, "1.2.3.4") == NGINX  # nothing trusted by default


def test_the_back_off_doubles(role_users, behind_nginx, monkeypatch):
    import qlf.dashboard.services.sign_in_limit as limit

    now = [1_000_000.0]
    monkeypatch.setattr(limit.time, "time", lambda: now[0])
    attacker = {"forwarded": "203.0.113.9"}
    for _ in range(LOGIN_FAILURES):
        _login("viewer", "guess", **attacker)
    first = _login("viewer", "guess", **attacker)
    assert first.status_code == 429 and int(first["Retry-After"]) == LOGIN_WINDOW_S
    now[0] += LOGIN_WINDOW_S + 1  # the first block is over: 10 more tries
    for _ in range(LOGIN_FAILURES):
        assert _login("viewer", "guess", **attacker).status_code == 401
    second = _login("viewer", "guess", **attacker)
    assert second.status_code == 429 and int(second["Retry-After"]) == 2 * LOGIN_WINDOW_S
    now[0] += 2 * LOGIN_WINDOW_S + 1
    assert _login("viewer", PASSWORDS["viewer"], **attacker).status_code == 200
    for _ in range(LOGIN_FAILURES):  # a success starts afresh
        assert _login("viewer", "guess", **attacker).status_code == 401


def test_the_counts_are_in_the_database(role_users, behind_nginx):
    """Every server process sees them (the cache of one process would not)."""
    from django.core.cache import cache

    from qlf.dashboard.models import SignInThrottle

    for _ in range(LOGIN_FAILURES):
        _login("viewer", "guess", forwarded="203.0.113.9")
    cache.clear()
    row = SignInThrottle.objects.get(address="203.0.113.9")
    assert row.failures == LOGIN_FAILURES
    assert _login("viewer", "guess", forwarded="203.0.113.9").status_code == 429
