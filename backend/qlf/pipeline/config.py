"""The daemon's settings, read from the environment (names shared with :mod:`qlf.web.env`).

Paths come from :func:`qlf.web.env.read_env` so the daemon, the server and the Celery workers
agree on every folder; the daemon's own knobs are read here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from qlf.web.env import read_env, stored_secret

__all__ = [
    "ARMS",
    "DEFAULT_PYRO_PORT",
    "PYRO_OBJECT_ID",
    "PipelineConfig",
    "pipeline_uri",
    "read_config",
]

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
        "executor": environ.get("QLF_EXECUTOR", "local").strip().lower() or "local",
        "settle_s": _number(environ, "QLF_SETTLE_S", 2.0, float),
        "poll_s": _number(environ, "QLF_POLL_S", 1.0, float, minimum=0.05),
        "job_timeout_s": _number(environ, "QLF_JOB_TIMEOUT_S", 600.0, float, minimum=0.1),
        "pyro_host": environ.get("QLF_PYRO_HOST", "127.0.0.1"),
        "pyro_port": _number(environ, "QLF_PYRO_PORT", DEFAULT_PYRO_PORT, int),
        "redis_url": env.redis_url or "redis://127.0.0.1:6379/0",
        "celery_queue": environ.get("QLF_CELERY_QUEUE", "qlf"),
        "disk_min_free_mb": _number(environ, "QLF_DISK_MIN_FREE_MB", 200.0, float),
    }
    values.update(overrides)
    if "hmac_key" not in values:
        values["hmac_key"] = environ.get("QLF_PYRO_HMAC_KEY") or _hmac_key(
            Path(values["var_dir"]) / "pyro_hmac_key"
        )
    if values["executor"] not in ("local", "celery"):
        raise ValueError(f"QLF_EXECUTOR must be local or celery, not {values['executor']!r}")
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
