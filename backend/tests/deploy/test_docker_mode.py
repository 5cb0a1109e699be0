"""./start.sh --docker, ./stop.sh and ./restartBackend.sh with the compose deployment.

No Docker engine runs here: a stand-in ``docker`` on PATH records the calls. The scripts run in
a copy of the repository's scripts, so a developer's own .env is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

FAKE_DOCKER = """#!/bin/sh
echo "$*" >> "{calls}"
case "$*" in
  "compose version") exit {compose} ;;
  info) exit {info} ;;
esac
exit 0
"""


@pytest.fixture
def checkout(repo, tmp_path):
    """The scripts of the repository in a folder of their own."""
    root = tmp_path / "qlf"
    for name in ("start.sh", "stop.sh", "restartBackend.sh", "scripts/env.sh", "docker/compose.sh"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / name, root / name)
    return root


def _docker(tmp_path, *, compose: int = 0, info: int = 0):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    calls = tmp_path / "docker-calls"
    script = bin_dir / "docker"
    script.write_text(FAKE_DOCKER.format(calls=calls, compose=compose, info=info))
    script.chmod(0o755)
    return bin_dir, calls


def _run(root, bin_dir, *command: str, path="/usr/bin:/bin") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QLF_")}
    env["PATH"] = f"{bin_dir}:{path}".rstrip(":")
    return subprocess.run(
        [str(root / command[0]), *command[1:]],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_docker_mode_needs_the_env_file_of_configure(checkout, tmp_path):
    bin_dir, calls = _docker(tmp_path)
    done = _run(checkout, bin_dir, "start.sh", "--docker")
    assert done.returncode == 1
    assert "run ./configure.sh first" in done.stderr
    assert " up " not in calls.read_text()


def test_docker_mode_says_when_the_engine_does_not_answer(checkout, tmp_path):
    (checkout / ".env").write_text("POSTGRES_PASSWORD=x\n")
    bin_dir, calls = _docker(tmp_path, info=1)
    done = _run(checkout, bin_dir, "start.sh", "--docker")
    assert done.returncode == 1
    assert "The Docker engine does not answer" in done.stderr
    assert " up " not in calls.read_text()


def test_docker_mode_says_when_docker_is_missing(checkout, tmp_path):
    tools = tmp_path / "tools"  # a PATH with the shell and dirname only
    tools.mkdir()
    for tool in ("bash", "dirname"):
        (tools / tool).symlink_to(shutil.which(tool))
    done = _run(checkout, tools, "start.sh", "--docker", path="")
    assert done.returncode == 1
    assert "needs Docker with the compose plugin" in done.stderr


def test_start_stop_and_restart_drive_docker_compose(checkout, tmp_path):
    (checkout / ".env").write_text("QLF_HTTP_PORT=8181\nPOSTGRES_PASSWORD=x\n")
    bin_dir, calls = _docker(tmp_path)
    compose = f"compose --project-directory {checkout} -f {checkout}/docker-compose.yml"

    started = _run(checkout, bin_dir, "start.sh", "--docker")
    assert started.returncode == 0, started.stderr
    assert f"{compose} up -d --build" in calls.read_text().splitlines()
    assert "http://localhost:8181/" in started.stdout
    assert "docker compose exec backend qlf createoperator" in started.stdout

    restarted = _run(checkout, bin_dir, "restartBackend.sh")
    assert restarted.returncode == 0, restarted.stderr
    assert calls.read_text().splitlines()[-1] == f"{compose} restart backend daemon"

    stopped = _run(checkout, bin_dir, "stop.sh")
    assert stopped.returncode == 0, stopped.stderr
    assert calls.read_text().splitlines()[-1] == f"{compose} down"
    assert not (checkout / "var" / "run" / "compose").exists()

    calls.write_text("")
    again = _run(checkout, bin_dir, "stop.sh")  # nothing runs any more: compose is left alone
    assert "nothing was running" in again.stdout
    assert calls.read_text() == ""
