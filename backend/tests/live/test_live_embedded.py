"""The live feed of one `qlf serve` process with its embedded daemon and the in-memory layer."""

from __future__ import annotations

import json
import urllib.request

import pytest
from websockets.exceptions import InvalidStatus

from .conftest import events, greeting, receive, receive_until, start_server, stop_server

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]


@pytest.fixture(scope="module")
def server(live):
    server = start_server(live.env)  # no REDIS_URL nor QLF_PIPELINE_URL: embedded daemon
    yield server
    stop_server(server)


def _status(state):
    return lambda m: (
        m.get("type") == "pipeline.status" and m["seq"] and (m["payload"]["state"] == state)
    )


async def test_refused_without_a_role_a_token_or_a_known_origin(server, live):
    for token in (None, "not-a-token", live.tokens["nobody"]):
        with pytest.raises(InvalidStatus) as refused:
            async with server.connect(token):
                pass
        assert refused.value.response.status_code == 403
    with pytest.raises(InvalidStatus):
        async with server.connect(live.tokens["viewer"], origin="http://evil.example"):
            pass


async def test_viewer_gets_status_at_once_and_cannot_act(server, live):
    async with server.connect(live.tokens["viewer"]) as ws:
        hello, status = await greeting(ws)
        assert hello["roles"] == ["viewer"] and hello["user"] == "viewer"
        assert status["payload"]["source"] == "daemon"
        assert status["payload"]["state"] in {"idle", "running", "stopping", "stopped"}
        await ws.send(json.dumps({"action": "stop"}))
        assert await receive(ws) == {"type": "error", "detail": "operators only", "action": "stop"}
        for bad in ("{not json", "[1, 2]", json.dumps({"hello": 1}), b"\xff\xfe"):
            await ws.send(bad)
            answer = await receive(ws)
            assert answer["type"] == "error", answer
        await ws.send(json.dumps({"subscribe": "log", "process_id": live.process_id}))
        assert "process_id and camera" in (await receive(ws))["detail"]
        await ws.send(json.dumps({"type": "ping"}))
        assert (await receive(ws))["type"] == "pong"  # the socket stayed up


async def test_operator_actions_reach_the_daemon_and_a_reconnect_misses_nothing(server, live):
    operator, viewer = live.tokens["op"], live.tokens["viewer"]
    async with server.connect(operator) as op, server.connect(viewer) as watcher:
        await greeting(op)
        await greeting(watcher)
        await op.send(json.dumps({"action": "stop"}))
        reply = await receive_until(op, lambda m: m["type"] == "action")
        assert reply[-1]["result"]["state"] in {"stopping", "stopped"}
        seen = events(await receive_until(watcher, _status("stopped")))
        last = seen[-1]["seq"]

        # The viewer is away while the pipeline starts and stops again.
        await watcher.close()
        await op.send(json.dumps({"action": "start"}))
        await receive_until(op, lambda m: m["type"] == "action")
        await op.send(json.dumps({"action": "stop"}))
        missed = events(await receive_until(op, _status("stopped")))
        assert missed[0]["seq"] > last

        async with server.connect(viewer, after=last) as back:
            hello, status = await greeting(back)
            assert status["payload"]["state"] == "stopped"
            replay = events(await receive_until(back, lambda m: m.get("seq") == hello["last_seq"]))
            await op.send(json.dumps({"action": "start"}))
            live_events = events(await receive_until(back, lambda m: m.get("seq") is not None))
        seqs = [e["seq"] for e in replay + live_events]
        assert seqs == list(range(last + 1, seqs[-1] + 1))  # in order, no gap, no duplicate
        assert {e["seq"] for e in missed} <= set(seqs)  # what happened while it was away
        await op.send(json.dumps({"action": "stop"}))
        await receive_until(op, _status("stopped"))


async def test_log_subscription_sends_the_file_and_refuses_paths_outside_scratch(server, live):
    async with server.connect(live.tokens["viewer"]) as ws:
        await greeting(ws)
        pid = live.process_id
        await ws.send(json.dumps({"subscribe": "log", "process_id": pid, "camera": "r3"}))
        lines = await receive_until(ws, lambda m: m["type"] in {"log.lines", "error"})
        assert lines[-1]["lines"] == ["line 1", "line 2"] and lines[-1]["camera"] == "r3"
        await ws.send(json.dumps({"subscribe": "log", "process_id": pid, "camera": "b3"}))
        refused = await receive_until(ws, lambda m: m["type"] in {"log.lines", "error"})
        assert refused[-1]["detail"] == "log file outside the scratch directory"


async def test_browser_session_cookie_authenticates_the_socket(server, live):
    # as the browser does: the CSRF cookie from auth/me/, then sign in with its token (issue 18)
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/api/auth/me/", timeout=30) as me:
        csrf = next(c.split(";")[0] for c in me.headers.get_all("Set-Cookie")
                    if c.startswith("csrftoken="))  # fmt: skip
    login = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/api/auth/login/",
        data=json.dumps({"username": "viewer", "password": live.password}).encode(),
        headers={"Content-Type": "application/json", "Cookie": csrf,
                 "X-CSRFToken": csrf.split("=", 1)[1]},
    )  # fmt: skip
    with urllib.request.urlopen(login, timeout=30) as answer:
        cookies = answer.headers.get_all("Set-Cookie")
    session = next(c.split(";")[0] for c in cookies if c.startswith("sessionid="))
    async with server.connect(additional_headers={"Cookie": session}) as ws:
        hello, _ = await greeting(ws)
        assert hello["user"] == "viewer" and hello["roles"] == ["viewer"]
