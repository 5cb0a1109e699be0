"""API tokens: stored as digests only (the key is shown once, at creation), expire, and can be
revoked by their owner and by admins, through the API and the ``qlf token`` command. Scripts
keep using ``Authorization: Token <key>`` (REST) and ``?token=<key>`` (websocket)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from qlf.cli import main as qlf
from qlf.dashboard.live_auth import _user as websocket_user
from qlf.dashboard.models import ApiToken
from tests.security.conftest import PASSWORDS

# transaction=True: the websocket's lookup (database_sync_to_async) closes a connection whose
# autocommit differs from the settings' (a test's transaction on Postgres)
pytestmark = pytest.mark.django_db(transaction=True)


def _token(username: str) -> str:
    response = APIClient().post("/api/auth/token/", {"username": username,
                                "password": PASSWORDS[username]}, format="json")  # fmt: skip
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _every_text_column() -> str:
    """Everything the database holds, as text (to look for a key in it)."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_the_database_holds_digests_only_and_the_key_works(role_users):
    key = _token("viewer")
    assert len(key) >= 40
    assert key not in _every_text_column()
    stored = ApiToken.objects.get(user=role_users["viewer"])
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert _with(key).get("/api/exposures/").status_code == 200
    assert async_to_sync(websocket_user)(key).username == "viewer"
    assert _with(key[:-1] + "x").get("/api/exposures/").status_code == 401
    listed = _with(key).get("/api/auth/tokens/").json()
    assert [t["id"] for t in listed] == [stored.pk] and "token" not in listed[0]
    assert key not in str(listed) and listed[0]["prefix"] == key[:8]
    assert key != _token("viewer")  # each request makes a new one, shown once


def test_tokens_expire(role_users):
    key = _token("viewer")
    token = ApiToken.objects.get()
    assert (
        timezone.now() + timedelta(days=89) < token.expires <= timezone.now() + timedelta(days=91)
    )
    ApiToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    refused = _with(key).get("/api/exposures/")
    assert refused.status_code == 401 and "expired" in refused.json()["detail"]
    assert async_to_sync(websocket_user)(key).is_anonymous


def test_owner_and_admin_revoke_others_cannot(role_users):
    viewer_key, operator_key = _token("viewer"), _token("operator")
    viewer_token = ApiToken.objects.get(user=role_users["viewer"])
    operator_token = ApiToken.objects.get(user=role_users["operator"])
    # a viewer cannot see or revoke the operator's token
    assert _with(viewer_key).delete(f"/api/auth/tokens/{operator_token.pk}/").status_code == 404
    assert [t["id"] for t in _with(viewer_key).get("/api/auth/tokens/").json()] == [viewer_token.pk]
    assert _with(operator_key).get("/api/exposures/").status_code == 200
    # the owner revokes their own
    assert _with(viewer_key).delete(f"/api/auth/tokens/{viewer_token.pk}/").status_code == 204
    assert _with(viewer_key).get("/api/exposures/").status_code == 401
    assert async_to_sync(websocket_user)(viewer_key).is_anonymous
    # an admin sees and revokes anyone's
    admin = APIClient()
    admin.force_authenticate(role_users["admin"])
    assert {t["user"] for t in admin.get("/api/auth/tokens/").json()} >= {"operator"}
    assert admin.delete(f"/api/auth/tokens/{operator_token.pk}/").status_code == 204
    assert _with(operator_key).get("/api/exposures/").status_code == 401


def test_the_qlf_token_command(role_users, capsys):
    assert qlf(["token", "create", "viewer", "--days", "7"]) == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert _with(key).get("/api/exposures/").status_code == 200
    token = ApiToken.objects.get()
    assert token.expires <= timezone.now() + timedelta(days=7, minutes=1)
    assert qlf(["token", "list"]) == 0
    listing = capsys.readouterr().out
    assert "viewer" in listing and key[:8] in listing and key not in listing
    assert qlf(["token", "revoke", str(token.pk)]) == 0
    assert _with(key).get("/api/exposures/").status_code == 401
    assert qlf(["token", "revoke", "999999"]) == 2


def test_the_migration_turns_plain_keys_into_digests(role_users):
    from django.apps import apps
    from rest_framework.authtoken.models import Token

    migration = __import__("qlf.dashboard.migrations.0010_18_api_tokens", fromlist=["_"])
    plain = Token.objects.create(user=role_users["operator"]).key
    migration._digest_plain_keys(apps, None)
    assert not Token.objects.exists() and plain not in _every_text_column()
    assert _with(plain).get("/api/exposures/").status_code == 200  # scripts keep working
    assert ApiToken.objects.get().expires <= timezone.now() + timedelta(days=90)
