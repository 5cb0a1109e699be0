"""The live feed through the real ASGI stack (origin check, token auth), as every role."""

from __future__ import annotations

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from qlf.dashboard.services.users import user_token
from qlf.web.asgi import application
from tests.dashboard.factories import ingest_exposure
from tests.security.endpoint_access import ROLES, WEBSOCKET


def _messages(process_id: int) -> dict[str, dict]:
    return {
        "subscribe-log": {"subscribe": "log", "process_id": process_id, "camera": "r3"},
        "ping": {"type": "ping"},
        "action-start": {"action": "start"},
        "action-stop": {"action": "stop"},
        "action-reset": {"action": "reset", "confirm": True},
    }


@pytest_asyncio.fixture
async def close_connections():
    """The consumer's database thread keeps a connection: close it, or the test database
    cannot be dropped."""
    yield
    await sync_to_async(connections.close_all)()


def test_every_client_message_has_a_row():
    assert set(_messages(1)) | {"connect"} == set(WEBSOCKET)


async def _connect(token: str | None) -> tuple[WebsocketCommunicator, bool]:
    path = "/ws/monitor/" + (f"?token={token}" if token else "")
    ws = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://localhost")])
    connected, _ = await ws.connect(timeout=30)
    return ws, connected


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_each_role_may_do_what_the_table_says(
    role_users, fake_daemon, settings, close_connections
):
    settings.ALLOWED_HOSTS = ["localhost"]
    process = await sync_to_async(ingest_exposure)(42, cameras=("r3",))
    messages = _messages(process.pk)
    for rank, role in enumerate(ROLES):
        user = role_users[role]
        token = None if user is None else await sync_to_async(user_token)(user=user)
        ws, connected = await _connect(token)
        assert connected == (rank >= ROLES.index(WEBSOCKET["connect"])), role
        if not connected:
            continue
        hello = await ws.receive_json_from(timeout=30)
        assert hello["type"] == "hello" and hello["user"] == user.username
        assert (await ws.receive_json_from(timeout=30))["type"] == "pipeline.status"
        for name, message in messages.items():
            before = len(fake_daemon.calls)
            await ws.send_json_to(message)
            answer = await ws.receive_json_from(timeout=30)
            allowed = rank >= ROLES.index(WEBSOCKET[name])
            if allowed:
                assert answer["type"] != "error", (role, name, answer)
            else:
                assert answer == {"type": "error", "detail": "operators only",
                                  "action": message["action"]}, (role, name)  # fmt: skip
            if name.startswith("action-"):
                assert len(fake_daemon.calls) == before + allowed, (role, name)
        await ws.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_wrong_token_or_a_foreign_origin_is_refused(
    role_users, settings, close_connections
):
    settings.ALLOWED_HOSTS = ["localhost"]
    ws, connected = await _connect("not-a-token")
    assert not connected
    token = await sync_to_async(user_token)(user=role_users["operator"])
    ws = WebsocketCommunicator(
        application, f"/ws/monitor/?token={token}", headers=[(b"origin", b"http://evil.example")]
    )
    connected, _ = await ws.connect(timeout=30)
    assert not connected
