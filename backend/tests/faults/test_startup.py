"""A daemon starting on a busy machine: the first start failing, or the server's event loop
not answering for a while, delays the pipeline but never ends its loop."""

from __future__ import annotations

import asyncio
import threading

import pytest
from channels.layers import InMemoryChannelLayer

from qlf.dashboard.events import GROUP, EventPublisher
from qlf.dashboard.models import Process
from qlf.pipeline import daemon as daemon_module
from tests.faults.conftest import arrive, finished


@pytest.mark.django_db(transaction=True)
def test_publishing_does_not_wait_for_a_busy_server_loop():
    loop = asyncio.new_event_loop()  # the server's loop, not turning yet (busy starting up)
    layer = InMemoryChannelLayer()
    channel = loop.run_until_complete(layer.new_channel())
    loop.run_until_complete(layer.group_add(GROUP, channel))
    publisher = EventPublisher(channel_layer=layer, loop=loop)
    # (this used to wait 5 s for the loop, then raise TimeoutError out of the daemon's loop)
    seqs = [publisher.publish("pipeline.status", {"state": s})["seq"] for s in ("idle", "stopped")]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()  # the loop turns at last: the messages go out, in order
    try:
        got = [
            asyncio.run_coroutine_threadsafe(layer.receive(channel), loop).result(30) for _ in seqs
        ]
        assert [m["event"]["seq"] for m in got] == seqs
        assert [m["event"]["payload"]["state"] for m in got] == ["idle", "stopped"]
    finally:
        publisher.close()  # its sender ends once the loop takes the close
        asyncio.run_coroutine_threadsafe(_settle(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


async def _settle() -> None:
    """Let every other task of the loop finish (the sender's drain, ended by the close)."""
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    await asyncio.wait_for(asyncio.gather(*others, return_exceptions=True), 30)


def test_a_failed_first_start_is_retried(dirs, make_daemon, monkeypatch):
    monkeypatch.setattr(daemon_module, "_ERROR_PAUSE_S", 0.05)
    daemon, recorder = make_daemon()
    real, calls = daemon.scheduler.start, []

    def start_failing_once():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("channel layer not ready")
        return real()

    daemon.scheduler.start = start_failing_once
    arrive(dirs, 1)
    daemon.run(until=finished(recorder, 1), timeout=120)
    assert len(calls) == 2  # failed, reported, retried by the loop
    assert Process.objects.get().status == "done" and daemon.error == ""
