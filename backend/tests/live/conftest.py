"""Real servers for the live-feed tests: ``qlf serve`` subprocesses on a temporary SQLite file.

The database is the servers' (not pytest-django's): ``live_helper.py setup`` migrates it and
creates the users; ``live_helper.py publish`` publishes events from another process, as the
compose-mode daemon does.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

HELPER = Path(__file__).with_name("live_helper.py")
BACKEND = Path(__file__).resolve().parents[2]
_DROP = ("DATABASE_URL", "REDIS_URL", "QLF_PIPELINE_URL", "QLF_EMBEDDED_DAEMON",
         "QLF_OPERATOR_USERNAME", "QLF_OPERATOR_PASSWORD", "QLF_CHANNEL_PREFIX")  # fmt: skip


@dataclass
class Live:
    env: dict[str, str]
    tokens: dict[str, str]
    process_id: int
    password: str  # of the users "op" and "viewer"


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    def url(self, token: str | None = None, **query) -> str:
        if token is not None:
            query["token"] = token
        args = "&".join(f"{k}={v}" for k, v in query.items())
        return f"ws://127.0.0.1:{self.port}/ws/monitor/" + (f"?{args}" if args else "")

    def connect(self, token=None, *, origin=None, additional_headers=None, **query):
        origin = origin or f"http://127.0.0.1:{self.port}"
        return connect(
            self.url(token, **query),
            origin=origin,
            additional_headers=additional_headers,
            open_timeout=30,
        )


@pytest.fixture(scope="session")
def live(tmp_path_factory) -> Live:
    root = tmp_path_factory.mktemp("live")
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(
        DJANGO_SETTINGS_MODULE="qlf.web.settings",
        QLF_VAR_DIR=str(root),
        QLF_DATA_DIR=str(root / "data"),
        QLF_SCRATCH_DIR=str(root / "scratch"),
        QLF_SECRET_KEY="live-tests",
        QLF_DEBUG="0",
        QLF_WORKERS="1",  # the embedded daemon's pool: no camera runs in these tests
    )
    for name in ("data", "scratch"):
        (root / name).mkdir()
    out = run_helper(env, "setup")
    return Live(
        env=env, tokens=out["tokens"], process_id=out["process_id"], password=out["password"]
    )


def run_helper(env: dict[str, str], *args: str):
    done = subprocess.run(
        [sys.executable, str(HELPER), *args],
        env=env, cwd=BACKEND, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def publish(env: dict[str, str], events: list) -> list[int]:
    """Publish ``[[type, payload], ...]`` from a separate process; their seqs."""
    return run_helper(env, "publish", json.dumps(events))


def start_server(env: dict[str, str]) -> Server:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(Path(env["QLF_VAR_DIR"]) / f"server-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "qlf.cli", "serve", "--port", str(port), "--no-migrate"],
        env=env, cwd=BACKEND, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    log.close()  # the server has its own copy
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/auth/me/", timeout=2).close()
            return Server(port=port, process=process)
        except OSError as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                stop_server(Server(port=port, process=process))
                raise RuntimeError(f"qlf serve did not start (exit {process.returncode})") from exc
            time.sleep(0.2)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(5)


async def receive(ws, timeout: float = 30.0) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def receive_until(ws, done, timeout: float = 30.0) -> list[dict]:
    """Messages up to and including the first for which ``done(message)`` is true."""
    messages = []
    deadline = time.monotonic() + timeout
    while True:
        messages.append(await receive(ws, max(0.1, deadline - time.monotonic())))
        if done(messages[-1]):
            return messages


async def greeting(ws) -> tuple[dict, dict]:
    """The two messages a client receives first: ``hello`` and the ``pipeline.status``."""
    hello, status = await receive(ws), await receive(ws)
    assert hello["type"] == "hello" and status["type"] == "pipeline.status"
    assert status["seq"] is None
    return hello, status


def events(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m.get("seq") is not None]
