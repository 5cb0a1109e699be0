"""The web server killed and started again while a separate daemon runs (compose mode: Pyro4
control, events through Redis): the daemon never notices, and a client that reconnects with
``?after=<last seq>`` misses nothing of what happened meanwhile."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import urllib.request
import uuid

import pytest

from qlf.dashboard.models import Event, Process
from qlf.dashboard.services.users import user_create, user_token
from tests.faults.conftest import arrive, database_url, wait_for
from tests.live.conftest import events, greeting, receive_until, start_server, stop_server

KEY = "fault-tests-hmac-key-42"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False


def _finished(expid: int):
    return lambda m: m.get("type") == "process.finished" and m["payload"]["expid"] == expid


def test_server_restart_while_the_daemon_runs(dirs, spawn_daemon):
    if not _redis_answers():
        pytest.skip("needs Redis on 127.0.0.1:6379 (the channel layer between the processes)")
    token = user_token(user=user_create(username="op", password="a-long-op-secret-9"))
    pyro_port = _free_port()
    shared = {
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "QLF_CHANNEL_PREFIX": f"qlf-faults-{uuid.uuid4().hex[:8]}",
        "QLF_PYRO_HMAC_KEY": KEY,
        "QLF_PYRO_PORT": str(pyro_port),
    }
    spawn_daemon("tests.faults.jobs:slow_steps", pyro=True, **shared)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QLF_")}
    env.update(shared, DATABASE_URL=database_url(), DJANGO_SETTINGS_MODULE="qlf.web.settings",
               QLF_SECRET_KEY="fault-tests", QLF_VAR_DIR=str(dirs["var"]),
               QLF_SCRATCH_DIR=str(dirs["scratch"]), QLF_DATA_DIR=str(dirs["data"]),
               QLF_EMBEDDED_DAEMON="0",
               QLF_PIPELINE_URL=f"PYRO:qlf.pipeline@127.0.0.1:{pyro_port}")  # fmt: skip

    first = start_server(env)
    try:
        start, before = asyncio.run(_watch_first_exposure(first, token, dirs))
    finally:
        first.process.kill()  # the server dies; the daemon goes on
        first.process.wait(30)
    last = before[-1]["seq"]
    second = start_server(env)
    try:
        status = _get(second.port, token, "/api/pipeline/status/")
        assert status["state"] in ("running", "idle")  # the daemon, reached again
        after = asyncio.run(_catch_up(second, token, last))
    finally:
        stop_server(second)

    wait_for(lambda: Process.objects.filter(status="done").count() == 3, timeout=60)
    seen = [e["seq"] for e in before + after]
    journal = Event.objects.exclude(type="job.log").filter(seq__gt=start, seq__lte=seen[-1])
    assert seen == list(journal.order_by("seq").values_list("seq", flat=True))  # no gap, no twice
    finished = [e["payload"]["expid"] for e in before + after if e["type"] == "process.finished"]
    assert finished == [1, 2, 3]
    assert any(e["type"] == "process.finished" for e in after)  # while the server was down


async def _watch_first_exposure(server, token: str, dirs) -> tuple[int, list[dict]]:
    """The seq when the client connected, and the events it saw until exposure 1 finished."""
    async with server.connect(token) as ws:
        hello, _ = await greeting(ws)
        for expid in (1, 2, 3):
            await asyncio.to_thread(arrive, dirs, expid, flavor="science")
        return hello["last_seq"], events(await receive_until(ws, _finished(1), timeout=180))


async def _catch_up(server, token: str, after: int) -> list[dict]:
    async with server.connect(token, after=after) as ws:
        await greeting(ws)
        return events(await receive_until(ws, _finished(3), timeout=180))


def _get(port: int, token: str, path: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Token {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())
