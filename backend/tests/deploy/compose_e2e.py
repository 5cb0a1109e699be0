"""The compose deployment built and run for real, checked through nginx as a browser would.

Run by ./test.sh's compose stage (QLF_SKIP_COMPOSE=1 skips it), or by hand:
``pytest -s tests/deploy/compose_e2e.py`` from backend/.
It needs a container engine and a compose client (``docker compose`` or ``docker-compose``;
podman's Docker-compatible API works: ../shared/tools/containers/setup.sh); without one it skips,
saying so. It works in a copy of the repository's files under a compose project of its own
(``QLF_E2E_PROJECT``, default qlfe2e), so a developer's own .env and deployment are never touched;
it shares only the image tags qlf-backend:local and qlf-nginx:local. Its containers and volumes
are removed at the end, the images are kept (the next run's cache; QLF_E2E_NO_CACHE=1 builds
without it, as on a new machine).

The file's name keeps it out of the ordinary pytest run: it takes minutes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from websockets.sync.client import connect

from qlf.paths import REPO_DIR

PROJECT = os.environ.get("QLF_E2E_PROJECT", "qlfe2e")
NIGHT = 20260101
CAMERAS = 30  # the mini profile: 10 spectrographs x 3 arms
TIMINGS: dict[str, float] = {}


def _compose_client() -> list[str] | None:
    if shutil.which("docker") and _ok(["docker", "compose", "version"]):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def _ok(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _no_engine_reason() -> str | None:
    if _compose_client() is None:
        return "no compose client (docker compose or docker-compose) is installed"
    if not shutil.which("docker") or not _ok(["docker", "info"]):
        return (
            "no container engine answers `docker info` (DOCKER_HOST="
            f"{os.environ.get('DOCKER_HOST', 'unset')}); ./test.sh prepares podman with "
            "../shared/tools/containers/setup.sh when it can (as root)"
        )
    return None


_REASON = _no_engine_reason()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(_REASON is not None, reason=f"{_REASON}")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Deployment:
    """A copy of the repository, its scripts and compose, and HTTP through its nginx."""

    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.base = f"http://127.0.0.1:{port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("QLF_")}
        self.env["COMPOSE_PROJECT_NAME"] = PROJECT
        self.cookies: dict[str, str] = {}  # what nginx passed back: csrftoken, sessionid

    def run(self, *command: str, timeout: float = 900, check: bool = True, stdin: str = ""):
        done = subprocess.run(
            list(command), cwd=self.root, env=self.env, input=stdin, capture_output=True,
            text=True, timeout=timeout,
        )  # fmt: skip
        if check and done.returncode != 0:
            output = f"{done.stdout}\n{done.stderr}"
            pytest.fail(f"{' '.join(command)} failed ({done.returncode}):\n{output}")
        return done

    def compose(self, *args: str, **options):
        return self.run(*_compose_client(), "--profile", "cluster", *args, **options)

    def timed(self, name: str, *command: str, **options):
        start = time.monotonic()
        done = self.run(*command, **options)
        TIMINGS[name] = round(time.monotonic() - start, 1)
        return done

    def containers(self, service: str | None = None) -> list[str]:
        return self.compose("ps", "-q", *([service] if service else [])).stdout.split()

    def address(self, service: str) -> str:
        (container,) = self.containers(service)
        networks = "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"
        return self.run("docker", "inspect", "-f", networks, container).stdout.strip()

    @property
    def cookie(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def http(self, path: str, *, data: dict | None = None, method: str | None = None):
        """(status, body) of one request through nginx, as a browser sends it (cookies, and the
        CSRF token with a write); 0 when nothing answers."""
        headers = {"Content-Type": "application/json", "Cookie": self.cookie}
        if data is not None or method not in (None, "GET", "HEAD"):
            headers |= {"X-CSRFToken": self.cookies.get("csrftoken", ""), "Origin": self.base}
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if data is None else json.dumps(data).encode(),
            headers=headers,
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                for cookie in answer.headers.get_all("Set-Cookie") or []:
                    name, _, value = cookie.split(";")[0].partition("=")
                    self.cookies[name.strip()] = value
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    def wait_for(self, path: str, *, want=lambda status, body: status == 200, seconds=300):
        """Poll ``path`` until ``want``; return every status seen."""
        seen, deadline = [], time.monotonic() + seconds
        while True:
            status, body = self.http(path)
            seen.append(status)
            if want(status, body):
                return seen, body
            if time.monotonic() > deadline:
                logs = self.compose("logs", "--tail", "30", check=False).stdout
                pytest.fail(f"{path}: not there after {seconds} s (seen {seen[-10:]}):\n{logs}")
            time.sleep(1)

    def sign_in(self, username: str, password: str) -> None:
        self.cookies = {}
        assert self.http("/api/auth/me/")[0] in (200, 401, 403)  # sets the CSRF cookie
        assert self.cookies.get("csrftoken"), "no CSRF cookie from /api/auth/me/"
        credentials = {"username": username, "password": password}
        status, body = self.http("/api/auth/login/", data=credentials)
        assert status == 200, body
        assert "operator" in json.loads(body)["roles"] and self.cookies.get("sessionid")

    def simulate(self, expid: int) -> None:
        self.compose(
            "exec", "-T", "daemon", "qlf", "sim", "exposure", "--profile", "mini",
            "--expid", str(expid), "--night", str(NIGHT), "--out", "/var/qlf/data",
            "--calib", "/var/qlf/calib", "--no-progress",
        )  # fmt: skip

    def processed(self, expid: int, seconds: float = 300) -> dict:
        """The process of ``expid`` once it ended; it must have ended well."""

        def ended(status, body):
            return status == 200 and any(
                p["expid"] == expid and p["status"] in ("done", "failed", "aborted")
                for p in json.loads(body)
            )

        _, body = self.wait_for("/api/processes/recent/", want=ended, seconds=seconds)
        process = next(p for p in json.loads(body) if p["expid"] == expid)
        if process["status"] != "done":
            logs = self.compose("logs", "--tail", "40", "daemon", "worker", check=False).stdout
            pytest.fail(f"exposure {expid} {process['status']}: {process}\n{logs}")
        return process


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    root = tmp_path_factory.mktemp("compose") / "qlf"
    files = subprocess.run(
        ["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=REPO_DIR,
        capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, files):
        source = REPO_DIR / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    deployment = Deployment(root, _free_port())
    deployment.compose("down", "-v", "--remove-orphans", check=False)  # a previous run's leftovers
    yield deployment
    deployment.compose("down", "-v", "--remove-orphans", check=False)
    print(f"\ncompose end-to-end timings (s): {json.dumps(TIMINGS)}")


def test_the_deployment_through_nginx(deployment):
    d = deployment
    d.run("./configure.sh", "--yes", "--http-port", str(d.port), "--port", str(_free_port()),
          "--specs-dir", "backend/specs/mini", "--workers", "2")  # fmt: skip

    # Both images built, the services started; ready when nginx answers the API.
    cold = ["--no-cache"] if os.environ.get("QLF_E2E_NO_CACHE") == "1" else []
    d.timed("build", *_compose_client(), "build", *cold, "backend", "nginx")
    start = time.monotonic()
    d.timed("start", "./start.sh", "--docker")
    d.wait_for("/api/auth/me/")
    TIMINGS["start_to_healthy"] = round(time.monotonic() - start, 1)
    for image in ("qlf-backend:local", "qlf-nginx:local"):
        size = d.run("docker", "image", "inspect", "-f", "{{.Size}}", image).stdout.strip()
        TIMINGS[f"size_mb {image}"] = round(int(size) / 1e6)

    # The page, and the API refusing an anonymous operator action.
    status, page = d.http("/")
    assert status == 200 and '<div id="root">' in page
    status, page = d.http("/night/20260101")  # a screen of the application: the same page
    assert status == 200 and '<div id="root">' in page
    assert d.http("/api/pipeline/status/")[0] in (401, 403)
    assert d.http("/api/pipeline/stop/", data={})[0] in (401, 403)

    # An operator, created in the backend container; signed in through nginx.
    password = uuid.uuid4().hex
    d.env["E2E_PASSWORD"] = password
    d.compose("exec", "-T", "-e", "E2E_PASSWORD", "backend", "qlf", "createoperator", "vera",
              "--password-env", "E2E_PASSWORD")  # fmt: skip
    d.sign_in("vera", password)

    # The websocket upgrade through nginx, with the session of the sign-in.
    ws_url = f"ws://127.0.0.1:{d.port}/ws/monitor/"
    with connect(ws_url, origin=f"http://localhost:{d.port}", open_timeout=30,
                 additional_headers={"Cookie": d.cookie}) as ws:  # fmt: skip
        hello, status = json.loads(ws.recv(30)), json.loads(ws.recv(30))
    assert hello["type"] == "hello" and hello["user"] == "vera"
    assert status["type"] == "pipeline.status" and status["payload"]["source"] == "daemon"

    # A simulated exposure dropped into the data volume, processed on every camera.
    start = time.monotonic()
    d.simulate(1)
    first = d.processed(1)
    TIMINGS["exposure_local"] = round(time.monotonic() - start, 1)
    assert len(first["qa_summary"]) == CAMERAS, first

    # ./configure.sh again while the deployment runs: its own nginx port is not "taken".
    d.run("./configure.sh", "--yes", "--http-port", str(d.port))

    # A redeploy: the backend gets a new address; nginx (not restarted) finds it.
    nginx, before = d.containers("nginx"), d.address("backend")
    d.compose("up", "-d", "--no-deps", "--force-recreate", "backend")
    assert d.address("backend") != before
    d.wait_for("/api/auth/me/", seconds=180)
    assert d.containers("nginx") == nginx

    # A code change, applied by ./restartBackend.sh: rebuilt, recreated, live, no 502.
    token = uuid.uuid4().hex
    with (d.root / "backend/qlf/web/urls.py").open("a") as urls:
        urls.write(
            "\nfrom django.http import HttpResponse as _Probe  # noqa: E402\n"
            f"urlpatterns.insert(0, path('api/e2e-probe/', lambda request: _Probe('{token}')))\n"
        )
    assert d.http("/api/e2e-probe/")[0] == 404
    d.timed("restart_backend", "./restartBackend.sh")
    seen, body = d.wait_for("/api/e2e-probe/", seconds=120)
    assert body == token and 502 not in seen, seen

    # The cluster profile: QLF_EXECUTOR=celery, 2 Celery workers sharing the camera jobs.
    d.run("./configure.sh", "--yes", "--executor", "celery")
    d.timed("start_cluster", "./start.sh", "--docker", "--celery-workers", "2")
    workers = d.containers("worker")
    assert len(workers) == 2
    d.wait_for("/api/auth/me/")
    d.sign_in("vera", password)
    start = time.monotonic()
    d.simulate(2)
    second = d.processed(2)
    TIMINGS["exposure_cluster"] = round(time.monotonic() - start, 1)
    assert len(second["qa_summary"]) == CAMERAS, second
    succeeded = re.compile(r"Task qlf\.camera_job\[[^\]]+\] succeeded")
    logs = [d.run("docker", "logs", worker) for worker in workers]
    taken = [len(succeeded.findall(log.stdout + log.stderr)) for log in logs]
    assert sum(taken) == CAMERAS and min(taken) > 0, taken

    # ./stop.sh: no container left; ./start.sh again: the data and the operator are still there.
    d.timed("stop", "./stop.sh")
    assert d.containers() == []
    label = f"label=com.docker.compose.project={PROJECT}"
    assert d.run("docker", "ps", "-a", "-q", "--filter", label).stdout.split() == []
    d.timed("start_again", "./start.sh", "--docker")
    d.wait_for("/api/auth/me/")
    d.sign_in("vera", password)
    status, body = d.http("/api/processes/recent/")
    kept = {p["expid"]: p["status"] for p in json.loads(body)}
    assert kept == {1: "done", 2: "done"}, kept
