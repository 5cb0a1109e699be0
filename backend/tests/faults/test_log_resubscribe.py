"""Re-subscribing to a camera's log (as a client does after a reconnect) loses no line: one
pushed while the subscription reads the log file reaches the client."""

from __future__ import annotations

import asyncio
import threading

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import connections

from qlf.dashboard import consumers
from qlf.dashboard.events import EventPublisher
from qlf.dashboard.services.users import user_create, user_token
from qlf.web.asgi import application
from tests.dashboard.factories import ingest_exposure


@pytest_asyncio.fixture
async def close_connections():
    yield
    await sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_line_pushed_while_subscribing_is_not_lost(
    settings, monkeypatch, close_connections
):
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.QLF = {**settings.QLF, "PIPELINE_URL": None}
    process = await sync_to_async(ingest_exposure)(42, cameras=("r3",))
    user = await sync_to_async(user_create)(
        username="v", password="a-long-viewer-pw-1", role="viewer"
    )
    token = await sync_to_async(user_token)(user=user)
    # the in-memory layer needs its sends made on the server's (here: the test's) loop
    publisher = EventPublisher(channel_layer=get_channel_layer(), loop=asyncio.get_running_loop())
    offered = threading.Event()
    real_offer = consumers.MonitorConsumer.offer

    async def offer(self, event, text):
        await real_offer(self, event, text)
        if event["type"] == "job.log":
            offered.set()

    def slow_read(*, process_id, camera):
        """The log file is read while the daemon pushes its newest line."""
        publisher.publish("job.log", {"process_id": process_id, "camera": camera,
                                      "lines": ["pushed meanwhile"]})  # fmt: skip
        assert offered.wait(30), "the pushed line never reached the consumer"
        return ["from the file"]

    monkeypatch.setattr(consumers.MonitorConsumer, "offer", offer)
    monkeypatch.setattr(consumers, "_log_lines", slow_read)
    ws = WebsocketCommunicator(application, f"/ws/monitor/?token={token}",
                               headers=[(b"origin", b"http://localhost")])  # fmt: skip
    assert (await ws.connect(timeout=30))[0]
    try:
        assert (await ws.receive_json_from(timeout=30))["type"] == "hello"
        assert (await ws.receive_json_from(timeout=30))["type"] == "pipeline.status"
        await ws.send_json_to({"subscribe": "log", "process_id": process.pk, "camera": "r3"})
        got = [await ws.receive_json_from(timeout=30) for _ in range(2)]
        pushed = [m["payload"]["lines"] for m in got if m["type"] == "job.log"]
        snapshot = [m["lines"] for m in got if m["type"] == "log.lines"]
        assert pushed == [["pushed meanwhile"]] and snapshot == [["from the file"]]
    finally:
        await ws.disconnect()
        publisher.close()
