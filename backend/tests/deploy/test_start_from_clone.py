"""From ``git clone`` to a running QLF with one command (issue 9, done when).

The repository's HEAD is cloned into a temporary folder; ``./start.sh`` there makes a fresh
virtual environment (pip's and npm's caches are reused: the packages still come from the
project's pinned files), builds the web application, starts the embedded server on a free port
and the demo night. The demo night must be processed (an exposure discovered, its process
created), a second ``./start.sh`` must not start a second copy, ``./restartBackend.sh`` must
start a new server, and ``./stop.sh`` must leave no process of the clone behind. Everything runs
in the clone's own folder and port, so it runs alongside the other tests.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SETUP_TIMEOUT_S = 900  # a fresh venv and npm ci on a loaded 2-core machine
PROCESS_TIMEOUT_S = 300  # the first demo exposure discovered and processed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clean_environment(port: int) -> dict[str, str]:
    """The environment of a new user: none of this test run's QLF settings or database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QLF_", "DJANGO_", "PYTEST_", "VIRTUAL_ENV"))
        and key not in ("DATABASE_URL", "REDIS_URL", "PYTHONPATH")  # PYTHONPATH: another tree's qlf
    }
    env["QLF_PORT"] = str(port)
    return env


def _processes_of(folder: Path) -> list[str]:
    """Command lines of the running processes started from ``folder``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(folder) in command:
            found.append(f"{proc.name}: {command}")
    return found


def _get(url: str, token: str | None = None):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Token {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def _wait_for(what: str, predicate, timeout_s: float, log: Path):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(2)
    lines = log.read_text().splitlines() if log.exists() else ["(no log)"]
    story = "\n".join(line for line in lines if '] "GET /api/' not in line)[-4000:]
    raise AssertionError(f"{what}: not within {timeout_s} s; the server log says:\n{story}")


def test_start_processes_the_demo_night_and_stop_leaves_nothing(repo, tmp_path):
    clone = tmp_path / "qlf"
    subprocess.run(["git", "clone", "--quiet", str(repo), str(clone)], check=True, timeout=300)
    port = _free_port()
    env = _clean_environment(port)
    url = f"http://127.0.0.1:{port}"
    log = clone / "var" / "log" / "server.log"
    try:
        started = subprocess.run(
            ["./start.sh"],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=SETUP_TIMEOUT_S,
        )
        assert started.returncode == 0, started.stdout[-3000:] + started.stderr[-3000:]
        assert f"QLF is running: {url}/" in started.stdout
        assert "createoperator USERNAME" in started.stdout
        assert (clone / ".venv" / "bin" / "qlf").exists()  # its own virtual environment
        assert (clone / "frontend" / "dist" / "index.html").exists()

        status, me = _get(f"{url}/api/auth/me/")  # the health check of the compose file
        assert status == 200 and me["username"] is None

        operator = subprocess.run(
            [".venv/bin/qlf", "createoperator", "night", "--password-env", "PW", "--token"],
            cwd=clone,
            env={**env, "PW": "a-long-demo-password"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert operator.returncode == 0, operator.stderr
        token = operator.stdout.split()[-1]

        def processed():
            exposures = _get(f"{url}/api/exposures/", token)[1]
            processes = _get(f"{url}/api/processes/", token)[1]
            return exposures["count"] >= 1 and processes["count"] >= 1 and processes

        processes = _wait_for("a demo exposure processed", processed, PROCESS_TIMEOUT_S, log)
        assert processes["results"][-1]["expid"] == 1  # the night's first: zero

        server_pid = (clone / "var" / "run" / "server.pid").read_text()
        again = subprocess.run(
            ["./start.sh"], cwd=clone, env=env, capture_output=True, text=True, timeout=300
        )
        assert again.returncode == 0, again.stderr
        assert "already running" in again.stdout
        assert (clone / "var" / "run" / "server.pid").read_text() == server_pid
        assert len([p for p in _processes_of(clone) if " serve " in p]) == 1

        restarted = subprocess.run(  # after a code change: a new server, same port
            ["./restartBackend.sh"], cwd=clone, env=env, capture_output=True, text=True, timeout=300
        )
        assert restarted.returncode == 0, restarted.stdout[-2000:] + restarted.stderr[-2000:]
        assert (clone / "var" / "run" / "server.pid").read_text() != server_pid
        assert _get(f"{url}/api/auth/me/")[0] == 200
        assert len([p for p in _processes_of(clone) if " serve " in p]) == 1
    finally:
        stopped = subprocess.run(
            ["./stop.sh"], cwd=clone, env=env, capture_output=True, text=True, timeout=120
        )
    assert stopped.returncode == 0, stopped.stderr
    assert "stopped server" in stopped.stdout
    left = _wait_for_exit(clone)
    assert left == [], "processes left behind:\n" + "\n".join(left)


def _wait_for_exit(folder: Path, timeout_s: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout_s
    while (left := _processes_of(folder)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left
