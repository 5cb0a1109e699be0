"""./start.sh --docker, ./stop.sh and scripts/compose.sh where no container engine runs.

The deployment itself is built, started, restarted and stopped by compose_e2e.py (./test.sh's
compose stage). The scripts run here in a copy of the repository's scripts, so a developer's own
.env is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

SCRIPTS = ("start.sh", "stop.sh", "restartBackend.sh", "scripts/env.sh", "scripts/compose.sh")


@pytest.fixture
def checkout(repo, tmp_path):
    """The scripts of the repository in a folder of their own."""
    root = tmp_path / "qlf"
    for name in SCRIPTS:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / name, root / name)
    return root


@pytest.fixture
def bare_path(tmp_path):
    """A PATH with the shell and a few tools, and no docker nor docker-compose."""
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("bash", "dirname", "cat", "sed", "tail", "sort", "grep", "pgrep", "stat"):
        (tools / tool).symlink_to(shutil.which(tool))
    return tools


def _run(root, path, *command: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QLF_")}
    env["PATH"] = str(path)
    return subprocess.run(
        [str(root / command[0]), *command[1:]],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_docker_mode_says_when_docker_is_missing(checkout, bare_path):
    done = _run(checkout, bare_path, "start.sh", "--docker")
    assert done.returncode == 1
    assert "needs Docker with the compose plugin" in done.stderr


def test_celery_workers_must_be_a_number(checkout, bare_path):
    done = _run(checkout, bare_path, "start.sh", "--docker", "--celery-workers", "two")
    assert done.returncode == 2
    assert "--celery-workers must be a positive number (got 'two')" in done.stderr


def test_stop_without_any_deployment_says_so(checkout, bare_path):
    (checkout / ".env").write_text("POSTGRES_PASSWORD=x\n")  # configured, no compose client
    done = _run(checkout, bare_path, "stop.sh")
    assert done.returncode == 0, done.stderr
    assert "nothing was running" in done.stdout


@pytest.mark.parametrize(
    ("owner", "mode", "writable"),
    [
        (10001, 0o700, True),  # the containers' user owns it
        (0, 0o770, False),  # another owner, no group or other write
        (0, 0o777, True),  # anyone may write
        (0, 0o775, False),
    ],
)
def test_container_writable_follows_owner_and_mode(repo, tmp_path, owner, mode, writable):
    folder = tmp_path / "scratch"
    folder.mkdir()
    if owner != os.getuid():
        if os.getuid() != 0:
            pytest.skip("changing a folder's owner needs root")
        os.chown(folder, owner, owner)
    folder.chmod(mode)
    check = 'source "$ROOT/scripts/compose.sh"; qlf_container_writable "$1"'
    done = subprocess.run(
        ["bash", "-c", f"ROOT={repo}; {check}", "-", str(folder)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert (done.returncode == 0) is writable, done.stderr
