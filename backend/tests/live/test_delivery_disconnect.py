"""A websocket client that disconnects while an event is delivered to it costs one log line,
not a traceback, and is dropped from the feed; the other clients go on receiving."""

from __future__ import annotations

import asyncio
import logging

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from autobahn.exception import Disconnected
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import connections

from qlf.dashboard import live_hub
from qlf.dashboard.events import EventPublisher
from qlf.dashboard.services.users import user_create, user_token
from qlf.web.asgi import application


@pytest_asyncio.fixture
async def close_connections():
    yield
    await sync_to_async(connections.close_all)()


async def _connected(token: str, tag: str) -> WebsocketCommunicator:
    ws = WebsocketCommunicator(application, f"/ws/monitor/?token={token}&tag={tag}",
                               headers=[(b"origin", b"http://localhost")])  # fmt: skip
    assert (await ws.connect(timeout=30))[0]
    assert (await ws.receive_json_from(timeout=30))["type"] == "hello"
    assert (await ws.receive_json_from(timeout=30))["type"] == "pipeline.status"
    return ws


def _listener(tag: str):
    hub = live_hub._hubs[asyncio.get_running_loop()]
    (found,) = [c for c in hub.listeners if f"tag={tag}".encode() in c.scope["query_string"]]
    return found


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_client_gone_during_a_delivery_logs_one_line(settings, caplog, close_connections):
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.QLF = {**settings.QLF, "PIPELINE_URL": None}
    user = await sync_to_async(user_create)(username="v", password="a-long-viewer-pw-1",
                                            role="viewer")  # fmt: skip
    token = await sync_to_async(user_token)(user=user)
    publisher = EventPublisher(channel_layer=get_channel_layer(), loop=asyncio.get_running_loop())
    stays, leaves = await _connected(token, "stays"), await _connected(token, "leaves")
    gone = _listener("leaves")

    async def closed_protocol(message):  # what daphne's autobahn raises once the client left
        raise Disconnected("Attempt to send on a closed protocol")

    gone.base_send = closed_protocol
    caplog.set_level(logging.INFO)
    try:
        for n in range(3):
            await sync_to_async(publisher.publish)("alert", {"level": "WARNING",
                                                             "text": f"event {n}"})  # fmt: skip
            got = await stays.receive_json_from(timeout=30)
            assert got["payload"]["text"] == f"event {n}"
        about = [r for r in caplog.records if r.name.startswith("qlf")]
        assert len(about) == 1, [r.getMessage() for r in about]
        assert about[0].exc_info is None and "\n" not in about[0].getMessage()
        assert "disconnected" in about[0].getMessage()
        assert gone not in live_hub._hubs[asyncio.get_running_loop()].listeners
        assert not [r for r in caplog.records if r.exc_info]  # no traceback anywhere
    finally:
        await stays.disconnect()
        await leaves.disconnect()
        publisher.close()
