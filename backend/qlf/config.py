"""Every setting that comes from the environment, read in one place (the lowest layer).

Production differs from development only by these variables (DESIGN.md 2, 10). Paths default
to folders under ``<repo>/var`` so a fresh checkout runs without any configuration.
:func:`read_env` reads what every process needs (the server's Django settings hold its
result); :func:`read_config` adds the pipeline daemon's own knobs on top of it, so the daemon,
the server and the Celery workers agree on every folder and on the executor.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from qlf.paths import MAPPING_DIR, REPO_DIR
from qlf.quicklook.specs import DEFAULT_SPECS_DIR

__all__ = [
    "ARMS",
    "DEFAULT_PYRO_PORT",
    "EXECUTORS",
    "PYRO_OBJECT_ID",
    "Env",
    "NotifySettings",
    "PipelineConfig",
    "load_config_file",
    "pipeline_uri",
    "private_file",
    "read_config",
    "read_env",
    "read_notify",
    "stored_secret",
]

#: How camera jobs run: a local process pool, or Celery workers (DESIGN.md 2).
EXECUTORS = ("local", "celery")


# -- notifications of unacknowledged ALARMs (docs/operations.md): nothing is sent anywhere
# unless an SMTP server with recipients, or a webhook, is configured.

_SECURITY = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class NotifySettings:
    after_s: float = 600.0  # an ALARM unacknowledged this long is notified
    max_per_hour: int = 6  # messages per channel and hour; more are folded into one digest
    public_url: str = ""  # the address browsers use, for the acknowledge links
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_security: str = "none"  # none, starttls or ssl
    smtp_user: str = ""
    smtp_password_file: Path | None = None  # read when sending, never kept in the settings
    smtp_from: str = "qlf@localhost"
    smtp_to: tuple[str, ...] = ()
    webhook_url: str = ""  # Slack- or Mattermost-compatible incoming webhook

    @property
    def email(self) -> bool:
        return bool(self.smtp_host and self.smtp_to)

    @property
    def webhook(self) -> bool:
        return bool(self.webhook_url)

    def __repr__(self) -> str:  # the webhook URL holds a token: never printed
        return f"NotifySettings(after_s={self.after_s}, email={self.email}, webhook={self.webhook})"


def read_notify(environ: Mapping[str, str]) -> NotifySettings:
    """The notification settings; a ValueError names the variable that is wrong."""
    security = environ.get("QLF_SMTP_SECURITY", "").strip().lower()
    port = _number(environ, "QLF_SMTP_PORT", 25, int, minimum=1)
    if not security:  # the usual pairing of port and security
        security = {465: "ssl", 587: "starttls"}.get(port, "none")
    if security not in _SECURITY:
        raise ValueError(f"QLF_SMTP_SECURITY must be one of {', '.join(_SECURITY)}")
    webhook = environ.get("QLF_WEBHOOK_URL", "").strip()
    if webhook and urlparse(webhook).scheme not in ("http", "https"):
        raise ValueError("QLF_WEBHOOK_URL must be an http or https URL")
    public = environ.get("QLF_PUBLIC_URL", "").strip().rstrip("/")
    if public and urlparse(public).scheme not in ("http", "https"):
        raise ValueError("QLF_PUBLIC_URL must be an http or https URL (https://qlf.site)")
    password_file = environ.get("QLF_SMTP_PASSWORD_FILE", "").strip()
    recipients = environ.get("QLF_SMTP_TO", "")
    return NotifySettings(
        after_s=_number(environ, "QLF_NOTIFY_AFTER_S", 600.0, float, minimum=0),
        max_per_hour=_number(environ, "QLF_NOTIFY_MAX_PER_HOUR", 6, int, minimum=1),
        public_url=public,
        smtp_host=environ.get("QLF_SMTP_HOST", "").strip(),
        smtp_port=port,
        smtp_security=security,
        smtp_user=environ.get("QLF_SMTP_USER", "").strip(),
        smtp_password_file=Path(password_file) if password_file else None,
        smtp_from=environ.get("QLF_SMTP_FROM", "").strip() or "qlf@localhost",
        smtp_to=tuple(a.strip() for a in recipients.split(",") if a.strip()),
        webhook_url=webhook,
    )


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
    efftime_goals: dict[str, float] = field(default_factory=dict)  # per program, s (issue 21)
    notify: NotifySettings = field(default_factory=NotifySettings)  # unacknowledged ALARMs
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
        mapping_dir=_path(environ, "QLF_MAPPING_DIR", MAPPING_DIR),
        pipeline_url=environ.get("QLF_PIPELINE_URL") or None,
        executor=_executor(environ.get("QLF_EXECUTOR", "")),
        operator_username=environ.get("QLF_OPERATOR_USERNAME") or None,
        operator_password=environ.get("QLF_OPERATOR_PASSWORD") or None,
        # Embedded unless told otherwise or a separate daemon is configured (DESIGN.md 2).
        embedded_daemon=_flag(
            environ.get("QLF_EMBEDDED_DAEMON"), not environ.get("QLF_PIPELINE_URL")
        ),
        disk_warn_pct=float(environ.get("QLF_DISK_WARN", 90)),
        disk_alarm_pct=float(environ.get("QLF_DISK_ALARM", 97)),
        channel_prefix=environ.get("QLF_CHANNEL_PREFIX") or "asgi",
        efftime_goals=_goals(environ.get("QLF_EFFTIME_GOALS", "")),
        notify=read_notify(environ),
        token_days=float(environ.get("QLF_TOKEN_DAYS") or 90),
        trusted_proxies=_proxies(environ.get("QLF_TRUSTED_PROXIES", "")),
    )


def _goals(text: str) -> dict[str, float]:
    """``QLF_EFFTIME_GOALS``: ``PROGRAM=seconds`` pairs, comma-separated (``DARK=1000,BRIGHT=180``);
    a ValueError names the variable and the bad pair."""
    goals = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        program, _, value = pair.partition("=")
        try:
            seconds = float(value)
        except ValueError:
            seconds = -1.0
        if not program.strip() or not seconds > 0:
            raise ValueError(f"QLF_EFFTIME_GOALS: {pair!r} is not PROGRAM=seconds with seconds > 0")
        goals[program.strip().upper()] = seconds
    return goals


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


def _executor(text: str) -> str:
    executor = text.strip().lower() or "local"
    if executor not in EXECUTORS:
        raise ValueError(f"QLF_EXECUTOR must be local or celery, not {text!r}")
    return executor


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


# -- the pipeline daemon -----------------------------------------------------------------

ARMS = ("b", "r", "z")
DEFAULT_PYRO_PORT = 7770
PYRO_OBJECT_ID = "qlf.pipeline"


@dataclass(frozen=True)
class PipelineConfig:
    data_dir: Path
    scratch_dir: Path
    calib_dir: Path | None
    specs_dir: Path | None
    mapping_dir: Path | None
    var_dir: Path
    arms: tuple[str, ...] = ARMS
    spectrographs: tuple[int, ...] = tuple(range(10))
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    executor: str = "local"
    settle_s: float = 2.0
    poll_s: float = 1.0
    job_timeout_s: float = 600.0
    pyro_host: str = "127.0.0.1"
    pyro_port: int = DEFAULT_PYRO_PORT
    hmac_key: str = field(default="", repr=False)  # never printed
    redis_url: str = "redis://127.0.0.1:6379/0"
    celery_queue: str = "qlf"
    celery_campaign_queue: str = "qlf-campaign"  # campaign jobs: their own Celery workers
    campaign_slots: int = 0  # Celery: campaign jobs in flight at once (0: as many as workers)
    disk_min_free_mb: float = 200.0  # less free on the scratch disk: no new exposure starts

    def wants(self, camera: str) -> bool:
        """Whether ``camera`` (``r3``) is in the selected arms and spectrographs."""
        return camera[0] in self.arms and int(camera[1:]) in self.spectrographs


def read_config(environ: Mapping[str, str] | None = None, **overrides) -> PipelineConfig:
    """The configuration from ``environ`` (default: the process environment) and overrides."""
    environ = os.environ if environ is None else environ
    env = read_env(dict(environ))
    values = {
        "data_dir": env.data_dir,
        "scratch_dir": env.scratch_dir,
        "calib_dir": env.calib_dir,
        # Unset: None, so the runner applies its own defaults (the shipped thresholds).
        "specs_dir": env.specs_dir if environ.get("QLF_SPECS_DIR") else None,
        "mapping_dir": env.mapping_dir if environ.get("QLF_MAPPING_DIR") else None,
        "var_dir": env.var_dir,
        "arms": _arms(environ.get("QLF_ARMS", "b,r,z")),
        "spectrographs": _spectrographs(environ.get("QLF_SPECTROGRAPHS", "0-9")),
        "workers": _number(environ, "QLF_WORKERS", os.cpu_count() or 1, int, minimum=1),
        "executor": env.executor,
        "settle_s": _number(environ, "QLF_SETTLE_S", 2.0, float),
        "poll_s": _number(environ, "QLF_POLL_S", 1.0, float, minimum=0.05),
        "job_timeout_s": _number(environ, "QLF_JOB_TIMEOUT_S", 600.0, float, minimum=0.1),
        "pyro_host": environ.get("QLF_PYRO_HOST", "127.0.0.1"),
        "pyro_port": _number(environ, "QLF_PYRO_PORT", DEFAULT_PYRO_PORT, int),
        "redis_url": env.redis_url or "redis://127.0.0.1:6379/0",
        "celery_queue": environ.get("QLF_CELERY_QUEUE", "qlf"),
        "celery_campaign_queue": environ.get("QLF_CELERY_CAMPAIGN_QUEUE", "qlf-campaign"),
        "campaign_slots": _number(environ, "QLF_CAMPAIGN_SLOTS", 0, int),
        "disk_min_free_mb": _number(environ, "QLF_DISK_MIN_FREE_MB", 200.0, float),
    }
    values.update(overrides)
    if "hmac_key" not in values:
        values["hmac_key"] = environ.get("QLF_PYRO_HMAC_KEY") or _hmac_key(
            Path(values["var_dir"]) / "pyro_hmac_key"
        )
    return PipelineConfig(**values)


def pipeline_uri(config: PipelineConfig) -> str:
    """The Pyro4 URI of the daemon (what ``QLF_PIPELINE_URL`` should be set to)."""
    return f"PYRO:{PYRO_OBJECT_ID}@{config.pyro_host}:{config.pyro_port}"


def _arms(text: str) -> tuple[str, ...]:
    arms = tuple(a.strip().lower() for a in text.split(",") if a.strip())
    bad = [a for a in arms if a not in ARMS]
    if bad or not arms:
        raise ValueError(f"QLF_ARMS must list some of b,r,z (got {text!r})")
    return arms


def _spectrographs(text: str) -> tuple[int, ...]:
    chosen: set[int] = set()
    try:
        for part in (p.strip() for p in text.split(",") if p.strip()):
            low, _, high = part.partition("-")
            chosen.update(range(int(low), int(high or low) + 1))
    except ValueError:
        raise ValueError(f"QLF_SPECTROGRAPHS must be like 0-9 or 0,3,5 (got {text!r})") from None
    if not chosen or not chosen <= set(range(10)):
        raise ValueError(f"QLF_SPECTROGRAPHS must be within 0-9 (got {text!r})")
    return tuple(sorted(chosen))


def _number(environ, name: str, default, kind, *, minimum=0):
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"{name} must be a number (got {text!r})") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum} (got {text!r})")
    return value


def _hmac_key(path: Path) -> str:
    """The Pyro4 HMAC key kept at ``path``, generated on first use."""
    return stored_secret(path, nbytes=32)
