"""docker-compose.yml and nginx/nginx.conf, checked without a container engine.

The structure is always checked by parsing the file; ``docker compose config`` (or
``docker-compose config``) and ``nginx -t`` run too where those programs are installed. The
deployment itself is built and run by compose_e2e.py (./test.sh's compose stage).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

SERVICES = {"db", "redis", "backend", "daemon", "worker", "nginx"}
SECRETS = ("POSTGRES_PASSWORD", "QLF_SECRET_KEY", "QLF_PYRO_HMAC_KEY")


@pytest.fixture(scope="module")
def compose(repo):
    return yaml.safe_load((repo / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def test_the_services_of_the_deployment(services):
    assert set(services) == SERVICES


def test_every_service_has_a_health_check_that_docker_and_podman_run_alike(services):
    for name, service in services.items():
        check = service.get("healthcheck", {}).get("test")
        assert check, f"{name} has no health check"
        # podman's compat API splits CMD-form arguments on spaces; `podman exec` sets no
        # $HOSTNAME: the shell form, with `hostname`, works under both.
        assert check[0] == "CMD-SHELL" and len(check) == 2, f"{name}: {check}"
        assert "HOSTNAME" not in check[1], f"{name}: {check}"


def test_backend_daemon_and_worker_share_one_image(services):
    assert services["backend"]["build"]["dockerfile"] == "backend/Dockerfile"
    images = {services[name]["image"] for name in ("backend", "daemon", "worker")}
    assert len(images) == 1
    for name in ("daemon", "worker"):  # built once, by backend; never pulled
        assert "build" not in services[name] and services[name]["pull_policy"] == "never"


def test_only_nginx_is_published(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx"}
    assert not any("7770" in str(port) for port in services["daemon"].get("ports", []))


def test_backend_runs_the_asgi_server_without_the_daemon_inside(services):
    backend = services["backend"]
    assert backend["command"][:2] == ["qlf", "serve"]
    assert backend["environment"]["QLF_EMBEDDED_DAEMON"] == "0"
    assert backend["environment"]["QLF_PIPELINE_URL"] == "PYRO:qlf.pipeline@daemon:7770"
    assert services["daemon"]["command"][:2] == ["qlf", "daemon"]


def test_worker_runs_celery_in_the_cluster_profile_only(services):
    assert services["worker"]["profiles"] == ["cluster"]
    assert services["worker"]["command"][:3] == ["celery", "-A", "qlf"]
    assert not any(
        service.get("profiles") for name, service in services.items() if name != "worker"
    )


def test_named_volumes_for_data_scratch_calibration_and_database(compose, services):
    assert {"qlf-data", "qlf-scratch", "qlf-calib", "qlf-db"} <= set(compose["volumes"])
    mounts = " ".join(services["daemon"]["volumes"])
    for volume in ("qlf-data", "qlf-scratch", "qlf-calib"):
        assert volume in mounts
    assert any(v.startswith("qlf-db:") for v in services["db"]["volumes"])


def test_no_secret_is_written_in_the_file(repo, services):
    text = (repo / "docker-compose.yml").read_text()
    for name, service in services.items():
        environment = service.get("environment") or {}
        for key, value in environment.items():
            if any(word in key for word in ("PASSWORD", "SECRET", "HMAC")):
                assert str(value).startswith("${"), f"{name}: {key} is written in the file"
    assert re.search(r"postgres://[^:]+:\$\{POSTGRES_PASSWORD", text)
    for secret in SECRETS[1:]:  # they reach the containers only through env_file: .env
        assert f"{secret}:" not in text and f"{secret}=" not in text
    for name in ("backend", "daemon", "worker"):
        assert services[name]["env_file"] == ".env"


def test_env_example_holds_no_secret_value(repo):
    values = dict(
        line.split("=", 1)
        for line in (repo / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    for secret in SECRETS:
        assert values[secret] == ""


def _compose_command() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_config_accepts_the_file(repo, tmp_path):
    command = _compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor docker-compose is installed")
    (tmp_path / "docker-compose.yml").write_text((repo / "docker-compose.yml").read_text())
    (tmp_path / ".env").write_text(
        "".join(f"{secret}=test{i}\n" for i, secret in enumerate(SECRETS))
    )
    for profile in ([], ["--profile", "cluster"]):
        done = subprocess.run(
            [*command, *profile, "config", "--services"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        # (docker-compose 1.x lists the services of every profile either way)
        want = SERVICES if profile else SERVICES - {"worker"}
        assert want <= set(done.stdout.split()) <= SERVICES


def test_compose_config_refuses_a_missing_secret(repo, tmp_path):
    command = _compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor docker-compose is installed")
    (tmp_path / "docker-compose.yml").write_text((repo / "docker-compose.yml").read_text())
    (tmp_path / ".env").write_text("QLF_SECRET_KEY=x\n")
    done = subprocess.run(
        [*command, "config"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "configure.sh" in done.stderr


def test_nginx_proxies_the_backend_routes_resolving_it_at_request_time(repo):
    conf = (repo / "nginx" / "nginx.conf").read_text()
    assert "upstream" not in conf  # resolved once at start: 502 after a redeploy
    assert "set $qlf_backend http://backend:8000;" in conf
    assert "include /tmp/nginx-resolver.conf;" in conf
    assert "location ~ ^/(api|admin|static)/" in conf
    websocket = conf[conf.index("location /ws/") :]
    websocket = websocket[: websocket.index("}")]
    assert "proxy_pass $qlf_backend;" in websocket
    assert "proxy_set_header Upgrade $http_upgrade;" in websocket
    assert "proxy_set_header Connection $connection_upgrade;" in websocket
    assert "try_files $uri /index.html;" in conf  # the app's own paths


def test_nginx_accepts_the_configuration(repo, tmp_path):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if nginx is None:
        pytest.skip("nginx is not installed")
    # The image's paths, moved under tmp_path; the resolver as entrypoint.sh writes it.
    conf = (repo / "nginx" / "nginx.conf").read_text()
    conf = re.sub(r"^user .*$", "", conf, flags=re.MULTILINE).replace("/tmp/", f"{tmp_path}/")
    (tmp_path / "nginx-resolver.conf").write_text("resolver 127.0.0.11 valid=10s;\n")
    (tmp_path / "nginx.conf").write_text(conf)
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_nginx_entrypoint_writes_the_resolver_of_the_container(repo, tmp_path):
    entrypoint = repo / "nginx" / "entrypoint.sh"
    script = entrypoint.read_text().replace("/tmp/", f"{tmp_path}/")
    (tmp_path / "entrypoint.sh").write_text(script)
    for nameserver, want in (("10.89.0.1", "10.89.0.1"), ("fd00::1", "[fd00::1]")):
        done = subprocess.run(
            ["sh", str(tmp_path / "entrypoint.sh"), "true"],
            env={"PATH": "/usr/bin:/bin", "QLF_RESOLVER": nameserver},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "nginx-resolver.conf").read_text() == f"resolver {want} valid=10s;\n"


def test_the_backend_trusts_forwarded_addresses_from_the_compose_network_only(services):
    """nginx's X-Forwarded-For gives the sign-in limit each client's address (issue 18)."""
    import ipaddress

    from qlf.config import read_env

    value = services["backend"]["environment"]["QLF_TRUSTED_PROXIES"]
    default = re.fullmatch(r"\$\{QLF_TRUSTED_PROXIES:-(.+)\}", value).group(1)
    proxies = read_env({"QLF_SECRET_KEY": "k", "QLF_TRUSTED_PROXIES": default}).trusted_proxies
    networks = [ipaddress.ip_network(p) for p in proxies]
    assert networks and all(n.is_private for n in networks)
    assert not services["backend"].get("ports")  # reachable on the compose network alone
