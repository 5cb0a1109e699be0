"""./configure.sh: checks the settings, writes qlf.env and .env (secrets generated, then kept),
and the configuration file reaches both the scripts (scripts/env.sh) and ``qlf``."""

from __future__ import annotations

import os
import socket
import stat
import subprocess

import pytest

from qlf.config import load_config_file

SECRETS = ("POSTGRES_PASSWORD", "QLF_SECRET_KEY", "QLF_PYRO_HMAC_KEY")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _configure(repo, tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(repo / "configure.sh"),
            "--config",
            str(tmp_path / "qlf.env"),
            "--env-file",
            str(tmp_path / ".env"),
            *args,
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "QLF_CONFIG"},
    )


def _read(path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@pytest.fixture
def site(tmp_path):
    for name in ("raw", "calib"):
        (tmp_path / name).mkdir()
    return tmp_path


def test_writes_the_configuration_and_the_compose_secrets(repo, site):
    port, http_port = _free_port(), _free_port()
    done = _configure(
        repo, site, "--data-dir", str(site / "raw"), "--calib-dir", str(site / "calib"),
        "--scratch-dir", str(site / "qa"), "--arms", "b,r", "--spectrographs", "0,3",
        "--workers", "3", "--port", str(port), "--http-port", str(http_port),
        "--server-name", "qlf.example.org", "--yes",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    config = _read(site / "qlf.env")
    assert config["QLF_DATA_DIR"] == str(site / "raw")
    assert config["QLF_CALIB_DIR"] == str(site / "calib")
    assert config["QLF_SCRATCH_DIR"] == str(site / "qa") and (site / "qa").is_dir()
    assert (config["QLF_ARMS"], config["QLF_SPECTROGRAPHS"]) == ("b,r", "0,3")
    assert (config["QLF_WORKERS"], config["QLF_PORT"]) == ("3", str(port))
    assert "qlf.example.org" in config["QLF_ALLOWED_HOSTS"].split(",")
    assert "DATABASE_URL" not in config  # SQLite under var/
    env = _read(site / ".env")
    assert env["QLF_HTTP_PORT"] == str(http_port)
    assert env["QLF_DATA_SOURCE"] == str(site / "raw")
    for secret in SECRETS:
        assert len(env[secret]) >= 32
    assert len({env[secret] for secret in SECRETS}) == 3
    for name in ("qlf.env", ".env"):  # private: secrets, maybe a database password
        assert stat.S_IMODE((site / name).stat().st_mode) == 0o600


def test_running_again_keeps_the_secrets_and_the_settings(repo, site):
    args = ("--data-dir", str(site / "raw"), "--calib-dir", str(site / "calib"))
    ports = ("--port", str(_free_port()), "--http-port", str(_free_port()))
    assert _configure(repo, site, *args, *ports, "--workers", "5", "--yes").returncode == 0
    first = _read(site / ".env")
    done = _configure(repo, site, *ports, "--yes")
    assert done.returncode == 0, done.stderr
    second = _read(site / ".env")
    for secret in SECRETS:  # the database volume was made with the first password
        assert second[secret] == first[secret]
    assert _read(site / "qlf.env")["QLF_WORKERS"] == "5"
    assert _read(site / "qlf.env")["QLF_DATA_DIR"] == str(site / "raw")


@pytest.mark.parametrize(("mode", "warned"), [(0o700, True), (0o777, False)])
def test_says_when_the_containers_cannot_write_the_scratch_folder(repo, site, mode, warned):
    """The containers run as uid 10001: a folder only its owner (here, not 10001) may write
    is writable for ./start.sh but not for docker compose, and configure.sh says so."""
    if os.getuid() == 10001:
        pytest.skip("run as the containers' own user")
    (site / "qa").mkdir()
    (site / "qa").chmod(mode)
    ports = ("--port", str(_free_port()), "--http-port", str(_free_port()))
    done = _configure(repo, site, "--scratch-dir", str(site / "qa"), *ports, "--yes")
    assert done.returncode == 0, done.stderr
    assert f"scratch directory {site / 'qa'} (writable)" in done.stdout
    message = f"the containers' user (uid 10001) cannot write to {site / 'qa'}"
    assert (message in done.stdout) is warned, done.stdout
    assert ("chown 10001:10001" in done.stdout) is warned


def test_lists_every_problem_and_writes_nothing(repo, site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = _configure(
            repo, site, "--data-dir", str(site / "missing"), "--arms", "b,x",
            "--executor", "slurm", "--workers", "0", "--port", str(taken.getsockname()[1]),
            "--http-port", str(_free_port()), "--database-url", "mysql://x", "--yes",
        )  # fmt: skip
    assert done.returncode == 1
    for words in (
        "does not exist (QLF_DATA_DIR)",
        "needs a calibration directory",
        "arms must list some of b,r,z",
        "executor must be local or celery",
        "workers must be a positive number",
        "is taken by another program (QLF_PORT)",
        "database URL must start with",
    ):
        assert words in done.stderr
    assert not (site / "qlf.env").exists() and not (site / ".env").exists()


def test_no_terminal_and_no_yes_asks_for_options(repo, site):
    done = _configure(repo, site)
    assert done.returncode == 2
    assert "--yes" in done.stderr
    assert not (site / "qlf.env").exists()


def test_check_reports_a_directory_that_went_away(repo, site):
    args = ("--data-dir", str(site / "raw"), "--calib-dir", str(site / "calib"))
    ports = ("--port", str(_free_port()), "--http-port", str(_free_port()))
    assert _configure(repo, site, *args, *ports, "--yes").returncode == 0
    assert _configure(repo, site, *ports, "--check").returncode == 0
    (site / "calib").rmdir()
    done = _configure(repo, site, *ports, "--check")
    assert done.returncode == 1
    assert "calibration directory" in done.stderr


CONFIG_TEXT = """# a comment
QLF_T_PLAIN=/data/raw
QLF_T_QUOTED="two words"
QLF_T_SET=from-file
not a setting
"""


def test_scripts_and_qlf_read_the_configuration_file_alike(repo, tmp_path, monkeypatch):
    path = tmp_path / "qlf.env"
    path.write_text(CONFIG_TEXT)
    script = (
        f"source {repo}/scripts/env.sh && QLF_CONFIG={path} qlf_load_config && "
        'printf "%s|%s|%s" "$QLF_T_PLAIN" "$QLF_T_QUOTED" "$QLF_T_SET"'
    )
    shell = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "QLF_T_SET": "from-env"},
        timeout=30,
    )
    assert shell.stdout == "/data/raw|two words|from-env"

    monkeypatch.setenv("QLF_T_SET", "from-env")
    for key in ("QLF_T_PLAIN", "QLF_T_QUOTED"):
        monkeypatch.delenv(key, raising=False)
    assert load_config_file(path) == path
    python = "|".join(os.environ[k] for k in ("QLF_T_PLAIN", "QLF_T_QUOTED", "QLF_T_SET"))
    for key in ("QLF_T_PLAIN", "QLF_T_QUOTED"):
        monkeypatch.delenv(key)  # load_config_file set them outside monkeypatch
    assert python == shell.stdout
    assert load_config_file(tmp_path / "none.env") is None
