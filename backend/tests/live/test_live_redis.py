"""Compose mode: two server processes on one Redis channel layer, events from another process."""

from __future__ import annotations

import json
import uuid

import pytest
import redis

from .conftest import events, greeting, publish, receive_until, start_server, stop_server

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.slow,
    pytest.mark.asyncio,
    pytest.mark.skipif(not _redis_up(), reason=f"no Redis at {REDIS_URL}"),
]


@pytest.fixture(scope="module")
def compose(live):
    # A prefix of its own keeps concurrent test runs on the same Redis apart.
    env = {**live.env, "REDIS_URL": REDIS_URL, "QLF_EMBEDDED_DAEMON": "0",
           "QLF_CHANNEL_PREFIX": f"qlf-test-{uuid.uuid4().hex[:12]}"}  # fmt: skip
    servers = [start_server(env), start_server(env)]
    yield env, servers
    for server in servers:
        stop_server(server)


def _steps(pid: int, n: int) -> list:
    return [
        ["job.step", {"process_id": pid, "camera": "r3", "step": f"S{i}", "state": "finished"}]
        for i in range(n)
    ]


async def test_two_servers_deliver_one_stream_and_the_log_of_subscribed_cameras(compose, live):
    env, (one, two) = compose
    pid, viewer = live.process_id, live.tokens["viewer"]
    async with one.connect(viewer) as a, two.connect(viewer) as b:
        _, status = await greeting(a)
        assert status["payload"]["source"] in {"journal", "none"}  # no daemon answers here
        await greeting(b)
        await b.send(json.dumps({"subscribe": "log", "process_id": pid, "camera": "r3"}))
        assert (await receive_until(b, lambda m: m["type"] == "log.lines"))[-1]["lines"] == [
            "line 1",
            "line 2",
        ]
        sent = [
            ["pipeline.status", {"state": "running", "queue": [], "current": 7}],
            *_steps(pid, 5),
            ["job.log", {"process_id": pid, "camera": "r3", "lines": ["line 3"]}],
            ["job.log", {"process_id": pid, "camera": "b3", "lines": ["other camera"]}],
            ["alert", {"level": "ALARM", "camera": "r3", "expid": 7, "text": "r3: ALARM"}],
        ]
        seqs = publish(env, sent)
        got_a = events(await receive_until(a, lambda m: m.get("seq") == seqs[-1]))
        got_b = events(await receive_until(b, lambda m: m.get("seq") == seqs[-1]))
    # Both servers deliver the same events in seq order; job.log only to the subscriber.
    assert [e["seq"] for e in got_a] == seqs[:6] + seqs[-1:]
    assert [e["seq"] for e in got_b] == seqs[:7] + seqs[-1:]
    assert got_b[6]["payload"]["lines"] == ["line 3"] and got_b[-1]["type"] == "alert"


async def test_catch_up_then_live_without_gap_or_duplicate(compose, live):
    env, (_, two) = compose
    first = publish(env, _steps(live.process_id, 30))
    async with two.connect(live.tokens["op"], after=first[9]) as ws:
        hello, _ = await greeting(ws)
        later = publish(env, _steps(live.process_id, 10))  # while it replays or listens
        got = events(await receive_until(ws, lambda m: m.get("seq") == later[-1]))
    assert hello["last_seq"] >= first[-1]
    assert [e["seq"] for e in got] == list(range(first[10], later[-1] + 1))
