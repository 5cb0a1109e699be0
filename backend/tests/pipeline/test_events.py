"""The publisher: journal rows with increasing seq, then the Channels group, in order."""

from __future__ import annotations

import asyncio

import pytest
from channels.layers import InMemoryChannelLayer
from django.db import OperationalError

from qlf.dashboard.events import GROUP, EventPublisher
from qlf.dashboard.models import Event
from qlf.pipeline.ingest import db_retry


@pytest.mark.django_db(transaction=True)
def test_events_are_journaled_and_sent_to_the_monitor_group_in_order():
    layer = InMemoryChannelLayer()
    publisher = EventPublisher(channel_layer=layer)
    channel = asyncio.run(layer.new_channel())
    asyncio.run(layer.group_add(GROUP, channel))
    sent = [publisher.publish("job.log", {"process_id": 1, "camera": "b0", "lines": [str(i)]})
            for i in range(20)]  # fmt: skip
    loop = publisher._sender.loop

    def receive():
        return asyncio.run_coroutine_threadsafe(layer.receive(channel), loop).result(5)

    received = [receive() for _ in sent]
    publisher.close()
    assert [m["type"] for m in received] == ["monitor.event"] * 20
    assert [m["event"] for m in received] == sent
    seqs = [m["seq"] for m in sent]
    assert seqs == sorted(seqs) and len(set(seqs)) == 20
    row = Event.objects.get(seq=seqs[0])
    assert row.type == "job.log" and row.payload["lines"] == ["0"]
    assert set(sent[0]) == {"seq", "type", "time", "payload"}


@pytest.mark.django_db(transaction=True)
def test_database_writes_are_retried_while_it_is_unreachable():
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("connection refused")
        return "written"

    assert db_retry(flaky, retry_s=10) == "written" and len(calls) == 3
    with pytest.raises(OperationalError):
        db_retry(lambda: (_ for _ in ()).throw(OperationalError("down")), retry_s=0.1)
