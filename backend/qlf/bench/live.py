"""``qlf bench live``: latency of the websocket feed, worker report → client (DESIGN.md 9).

Compose topology (default) on one machine: a ``qlf serve`` process on a Redis channel layer and
a temporary SQLite database, ``--clients`` websocket clients (viewers) in this process, and a
separate publisher process that reports ``job.step`` events the way the daemon does on a
worker's report (``EventPublisher.publish``: journal row, commit, group send).

``--embedded``: one ``qlf serve`` with its embedded daemon and the in-memory layer; an operator
client toggles the pipeline (stop, start, ...) and each toggle's ``pipeline.status`` event,
published by the daemon's thread, is timed.

The latency of an event is the time from its ``time`` (stamped by ``publish`` just before the
journal row is written) to its arrival at a client, for every client and event; the budget is
0.5 s.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

import numpy as np

__all__ = ["BUDGET_S", "add_arguments", "run"]

BUDGET_S = 0.5
_STEP = "BENCH"


def add_arguments(parser) -> None:
    parser.add_argument("--clients", type=int, default=50, help="connected websocket clients")
    parser.add_argument("--events", type=int, default=200, help="events published")
    parser.add_argument("--rate", type=float, default=20.0, help="events per second")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        help="the channel layer's Redis (default REDIS_URL or the local one)",
    )
    parser.add_argument(
        "--embedded", action="store_true", help="embedded daemon and in-memory layer, no Redis"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")


def run(args) -> int:
    with tempfile.TemporaryDirectory(prefix="qlf-bench-live-") as tmp:
        env = _environment(Path(tmp), None if args.embedded else args.redis_url)
        print("setting up a database and a server (not timed) ...", flush=True)
        tokens = _helper(env, "setup")
        server, port = _serve(env)
        try:
            cpu0, server0 = time.process_time(), _cpu_s(server.pid)
            latencies, publish_s, lost = asyncio.run(_measure(args, env, port, tokens))
            cpu, server_cpu = time.process_time() - cpu0, _cpu_s(server.pid) - server0
        finally:
            server.terminate()
            server.wait(15)
    p50, p95 = (float(np.percentile(latencies, q)) for q in (50, 95)) if latencies else (0, 0)
    ok = bool(latencies) and p95 <= BUDGET_S and not lost
    how = (
        "embedded daemon, in-memory layer"
        if args.embedded
        else "Redis channel layer, publisher in another process"
    )
    print(
        f"\nqlf bench live: {args.clients} clients, {args.events} events at {args.rate:g}/s "
        f"({how})\n"
        f"  deliveries            {len(latencies)}  (lost {lost})\n"
        f"  latency p50           {p50 * 1e3:6.1f} ms\n"
        f"  latency p95           {p95 * 1e3:6.1f} ms   "
        f"{'PASS' if ok else 'FAIL'} (budget {BUDGET_S * 1e3:.0f} ms)\n"
        f"  latency max           {max(latencies, default=0) * 1e3:6.1f} ms\n"
        + (
            f"  publish() p50         {np.percentile(publish_s, 50) * 1e3:6.1f} ms  "
            f"(journal row + commit, in the publisher)\n"
            if publish_s
            else ""
        )
        + f"  CPU: server {server_cpu:.1f} s, clients {cpu:.1f} s  "
        f"(over {args.events / args.rate:.0f} s of publishing)"
    )
    return 1 if args.strict and not ok else 0


async def _measure(args, env, port: int, tokens: dict[str, str]):
    from websockets.asyncio.client import connect

    def client(token: str):
        url = f"ws://127.0.0.1:{port}/ws/monitor/?token={token}"
        return connect(url, origin=f"http://127.0.0.1:{port}", open_timeout=60)

    clients = await asyncio.gather(*(client(tokens["viewer"]) for _ in range(args.clients)))
    for ws in clients:
        for _ in range(2):  # hello and the pipeline status
            await asyncio.wait_for(ws.recv(), 30)

    received: list[list[float]] = [[] for _ in clients]
    timed = "pipeline.status" if args.embedded else "job.step"

    async def listen(ws, got: list[float]) -> None:
        while len(got) < args.events:
            message = json.loads(await ws.recv())
            if message.get("type") == timed and message.get("seq") is not None:
                got.append(time.time() - datetime.fromisoformat(message["time"]).timestamp())

    listeners = [
        asyncio.create_task(listen(ws, got)) for ws, got in zip(clients, received, strict=True)
    ]
    if args.embedded:
        publish_s = await _toggle(client(tokens["operator"]), args.events, args.rate)
    else:
        publisher = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "qlf.bench.live", "publish",
            str(args.events), str(args.rate), env=env, stdout=subprocess.PIPE,
        )  # fmt: skip
        out, _ = await publisher.communicate()
        publish_s = json.loads(out.decode().strip().splitlines()[-1])
    _, pending = await asyncio.wait(listeners, timeout=10)
    for task in pending:
        task.cancel()
    for ws in clients:
        await ws.close()
    latencies = [x for got in received for x in got]
    return latencies, publish_s, args.clients * args.events - len(latencies)


async def _toggle(connecting, n: int, rate: float) -> list[float]:
    """Stop and start the embedded daemon ``n`` times in all: one status event each."""
    async with connecting as operator:
        await operator.recv()  # hello
        state = json.loads(await operator.recv())["payload"]["state"]
        start = time.monotonic()
        for i in range(n):
            await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
            action = "start" if state == "stopped" else "stop"
            await operator.send(json.dumps({"action": action}))
            while True:  # the answer comes once the daemon's loop has acted
                answer = json.loads(await operator.recv())
                if answer.get("type") in ("action", "error"):
                    break
            state = "stopped" if action == "stop" else "idle"
    return []


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _environment(root: Path, redis_url: str | None) -> dict[str, str]:
    drop = ("DATABASE_URL", "QLF_PIPELINE_URL", "REDIS_URL")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    for name in ("data", "scratch"):
        (root / name).mkdir(exist_ok=True)
    env.update(
        DJANGO_SETTINGS_MODULE="qlf.web.settings",
        QLF_VAR_DIR=str(root),
        QLF_DATA_DIR=str(root / "data"),
        QLF_SCRATCH_DIR=str(root / "scratch"),
        QLF_CHANNEL_PREFIX=f"qlf-bench-{uuid.uuid4().hex[:12]}",
        QLF_EMBEDDED_DAEMON="0" if redis_url else "1",
        QLF_WORKERS="1",  # the embedded daemon's idle pool
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _helper(env, *args: str):
    done = subprocess.run(
        [sys.executable, "-m", "qlf.bench.live", *args],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _serve(env) -> tuple[subprocess.Popen, int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "qlf.cli", "serve", "--port", str(port), "--no-migrate"]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/auth/me/", timeout=2).close()
            return server, port
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("qlf serve did not start")


# -- the subprocesses ----------------------------------------------------------------------------


def _setup() -> dict:
    from django.core.management import call_command

    from qlf.dashboard.services.users import user_create, user_token

    call_command("migrate", interactive=False, verbosity=0)
    return {
        role: user_token(user=user_create(username=role, password=uuid.uuid4().hex, role=role))
        for role in ("viewer", "operator")
    }


def _publish(n: int, rate: float) -> list[float]:
    """Publish ``n`` job.step events at ``rate`` per second; the duration of each publish."""
    from qlf.dashboard.events import EventPublisher

    publisher = EventPublisher()
    durations = []
    start = time.monotonic()
    for i in range(n):
        time.sleep(max(0.0, start + i / rate - time.monotonic()))
        payload = {"process_id": 0, "camera": "r0", "step": _STEP, "state": "finished",
                   "duration_s": None}  # fmt: skip
        t = time.perf_counter()
        publisher.publish("job.step", payload)
        durations.append(time.perf_counter() - t)
    publisher.close()
    return durations


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "setup":
        print(json.dumps(_setup()))
    else:
        print(json.dumps(_publish(int(sys.argv[2]), float(sys.argv[3]))))
