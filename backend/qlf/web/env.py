"""Every setting that comes from the environment, read in one place.

Production differs from development only by these variables (DESIGN.md 2, 10). Paths default
to folders under ``<repo>/var`` so a fresh checkout runs without any configuration.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from qlf.quicklook.specs import DEFAULT_SPECS_DIR

__all__ = ["REPO_DIR", "Env", "load_config_file", "private_file", "read_env", "stored_secret"]

BACKEND_DIR = Path(__file__).resolve().parents[2]
REPO_DIR = BACKEND_DIR.parent


@dataclass(frozen=True)
class Env:
    debug: bool
    secret_key: str
    database_url: str | None
    redis_url: str | None
    allowed_hosts: list[str]
    var_dir: Path
    data_dir: Path
    scratch_dir: Path
    calib_dir: Path
    specs_dir: Path
    mapping_dir: Path
    pipeline_url: str | None
    executor: str
    operator_username: str | None  # with the password: an operator ensured at `qlf serve`
    operator_password: str | None = field(default=None, repr=False)
    embedded_daemon: bool = False  # `qlf serve` runs the pipeline daemon in its own process
    disk_warn_pct: float = 90.0  # a disk fuller than this raises a WARNING alert
    disk_alarm_pct: float = 97.0  # ... and than this an ALARM
    channel_prefix: str = "asgi"  # Redis key prefix of the channel layer: one per deployment
    token_days: float = 90.0  # lifetime of a new API token
    trusted_proxies: tuple[str, ...] = ()  # whose X-Forwarded-For is believed (nginx)


def read_env(environ: dict[str, str] | None = None) -> Env:
    """Read the QLF configuration from ``environ`` (default: the process environment)."""
    environ = os.environ if environ is None else environ
    var_dir = _path(environ, "QLF_VAR_DIR", REPO_DIR / "var")
    hosts = environ.get("QLF_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
    return Env(
        debug=environ.get("QLF_DEBUG", "0").strip().lower() in {"1", "true", "yes", "on"},
        secret_key=environ.get("QLF_SECRET_KEY") or stored_secret(var_dir / "secret_key"),
        database_url=environ.get("DATABASE_URL") or None,
        redis_url=environ.get("REDIS_URL") or None,
        allowed_hosts=[h.strip() for h in hosts.split(",") if h.strip()],
        var_dir=var_dir,
        data_dir=_path(environ, "QLF_DATA_DIR", var_dir / "data"),
        scratch_dir=_path(environ, "QLF_SCRATCH_DIR", var_dir / "scratch"),
        calib_dir=_path(environ, "QLF_CALIB_DIR", var_dir / "calib"),
        specs_dir=_path(environ, "QLF_SPECS_DIR", DEFAULT_SPECS_DIR),
        mapping_dir=_path(environ, "QLF_MAPPING_DIR", BACKEND_DIR / "ql_mapping"),
        pipeline_url=environ.get("QLF_PIPELINE_URL") or None,
        executor=environ.get("QLF_EXECUTOR", "local"),
        operator_username=environ.get("QLF_OPERATOR_USERNAME") or None,
        operator_password=environ.get("QLF_OPERATOR_PASSWORD") or None,
        # Embedded unless told otherwise or a separate daemon is configured (DESIGN.md 2).
        embedded_daemon=_flag(
            environ.get("QLF_EMBEDDED_DAEMON"), not environ.get("QLF_PIPELINE_URL")
        ),
        disk_warn_pct=float(environ.get("QLF_DISK_WARN", 90)),
        disk_alarm_pct=float(environ.get("QLF_DISK_ALARM", 97)),
        channel_prefix=environ.get("QLF_CHANNEL_PREFIX") or "asgi",
        token_days=float(environ.get("QLF_TOKEN_DAYS") or 90),
        trusted_proxies=_proxies(environ.get("QLF_TRUSTED_PROXIES", "")),
    )


def load_config_file(path: Path | None = None) -> Path | None:
    """Export the configuration file written by ``./configure.sh`` into the environment.

    ``path`` defaults to ``QLF_CONFIG``, else ``<repo>/qlf.env``: ``KEY=value`` lines, ``#``
    comments, values optionally quoted. Variables the environment already sets win (as in
    ``scripts/env.sh``). Returns the file read, or None when there is none.
    """
    path = path or Path(os.environ.get("QLF_CONFIG") or REPO_DIR / "qlf.env")
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        return None
    for line in lines:
        key, sep, value = line.partition("=")
        if not sep or key.startswith("#") or not key.isidentifier():
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        os.environ.setdefault(key, value)
    return path


def _proxies(value: str) -> tuple[str, ...]:
    """Addresses or networks (``172.16.0.0/12``), comma-separated; ValueError names a bad one."""
    entries = tuple(e.strip() for e in value.split(",") if e.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"QLF_TRUSTED_PROXIES: {entry!r} is no address or network") from None
    return entries


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _path(environ, name: str, default: Path) -> Path:
    value = environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def private_file(path: Path) -> Path:
    """Make ``path`` (created empty if missing) readable by its owner only (0600), in a folder
    that is private too (0700): the embedded database holds sessions and token digests."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.parent.chmod(0o700)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists():
            each.chmod(0o600)  # SQLite gives its WAL and shared-memory files the database's mode
    return path


def stored_secret(path: Path, *, nbytes: int = 50) -> str:
    """The secret stored at ``path``, generated on first use (mode 0600, never printed;
    race-free across processes)."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    tmp.write_text(secrets.token_urlsafe(nbytes))
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)  # atomic: the first process to link wins, the others read its key
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text().strip()
