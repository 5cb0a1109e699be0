"""Embedded mode: the daemon in a thread of the server process, events on the server's loop."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from channels.layers import InMemoryChannelLayer

from qlf.dashboard.events import GROUP, EventPublisher
from qlf.pipeline.daemon import PipelineDaemon
from tests.pipeline.rawfiles import write_raw


@pytest.fixture
def server_loop():
    """An event loop in a thread, standing for the ASGI server's."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


@pytest.mark.django_db(transaction=True)
def test_embedded_daemon_feeds_the_monitor_group(dirs, config, server_loop):
    layer = InMemoryChannelLayer()

    async def subscribe():
        channel = await layer.new_channel()
        await layer.group_add(GROUP, channel)
        return channel

    channel = asyncio.run_coroutine_threadsafe(subscribe(), server_loop).result(5)
    publisher = EventPublisher(channel_layer=layer)
    daemon = PipelineDaemon(config, publisher=publisher)
    daemon.start_background(loop=server_loop)  # as the server's start-up would
    try:
        write_raw(dirs["data"], expid=1, mtime=time.time() - 60)
        received = []

        async def consume():  # what a websocket consumer does with group messages
            while not received or received[-1]["event"]["type"] != "process.finished":
                received.append(await layer.receive(channel))

        asyncio.run_coroutine_threadsafe(consume(), server_loop).result(60)
    finally:
        daemon.shutdown()
    types = [m["event"]["type"] for m in received]
    assert types[0] == "pipeline.status"
    assert "exposure.discovered" in types and types.count("qa.ingested") == 3
    seqs = [m["event"]["seq"] for m in received]
    assert seqs == sorted(seqs)
    assert daemon.status()["last"]["expid"] == 1
