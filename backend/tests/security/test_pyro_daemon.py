"""The pipeline daemon's Pyro4 port, on a real ``qlf daemon`` process: loopback only, and no
call without the HMAC key (nor with a wrong one, nor with the pickle serializer)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import Pyro4
import Pyro4.errors
import pytest

from qlf.config import PYRO_OBJECT_ID
from tests.live.conftest import BACKEND, run_helper

KEY = "security-test-hmac-key-7f3a"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def daemon(tmp_path_factory):
    root = tmp_path_factory.mktemp("pyro")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QLF_") and k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="qlf.web.settings", QLF_VAR_DIR=str(root),
        QLF_DATA_DIR=str(root / "data"), QLF_SCRATCH_DIR=str(root / "scratch"),
        QLF_SECRET_KEY="pyro-tests", QLF_PYRO_HMAC_KEY=KEY, QLF_WORKERS="1",
    )  # fmt: skip
    for name in ("data", "scratch"):
        (root / name).mkdir()
    run_helper(env, "setup")  # the daemon's database
    port = _free_port()
    log = open(root / "daemon.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "qlf.cli", "daemon", "--no-start", "--port", str(port)],
        env=env, cwd=BACKEND, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    log.close()
    deadline = time.monotonic() + 60
    while _listening(port) is None:
        assert process.poll() is None, (root / "daemon.log").read_text()
        assert time.monotonic() < deadline, "qlf daemon did not listen"
        time.sleep(0.1)
    yield port
    os.killpg(process.pid, signal.SIGKILL)  # it and its workers
    process.wait(30)


def _listening(port: int) -> str | None:
    """The local address a socket listens on at ``port`` (from /proc/net/tcp*), or None."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                return address
    return None


def _proxy(port: int, key: bytes | None, serializer: str = "serpent"):
    proxy = Pyro4.Proxy(f"PYRO:{PYRO_OBJECT_ID}@127.0.0.1:{port}")
    proxy._pyroSerializer = serializer
    if key is not None:
        proxy._pyroHmacKey = key
    proxy._pyroTimeout = 10
    return proxy


def test_only_the_key_holder_is_answered_on_the_loopback_only(daemon):
    """One daemon for all the checks (starting one costs seconds)."""
    with _proxy(daemon, KEY.encode()) as proxy:
        assert proxy.status()["state"] == "stopped"
    for key in (None, b"", b"not-the-key", KEY.encode() + b"x"):
        with _proxy(daemon, key) as proxy, pytest.raises(Pyro4.errors.CommunicationError):
            proxy.status()
    with (
        _proxy(daemon, KEY.encode(), serializer="pickle") as proxy,
        pytest.raises(Pyro4.errors.PyroError),
    ):
        proxy.stop()
    with _proxy(daemon, KEY.encode()) as proxy:  # still serving, still stopped
        assert proxy.status()["state"] == "stopped"

    assert _listening(daemon) == "0100007F"  # 127.0.0.1, not 0.0.0.0 nor an interface's
    others = {
        info[4][0]
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        if not info[4][0].startswith("127.")
    }
    for address in others:  # the host's other addresses do not reach it
        with socket.socket() as sock, pytest.raises(OSError):
            sock.settimeout(5)
            sock.connect((address, daemon))
