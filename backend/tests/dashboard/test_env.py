"""Settings from the environment (no database needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qlf.config import read_env
from qlf.paths import REPO_DIR


def test_defaults_live_under_var(tmp_path):
    env = read_env({"QLF_VAR_DIR": str(tmp_path)})
    assert env.debug is False and env.database_url is None and env.redis_url is None
    assert env.scratch_dir == tmp_path / "scratch" and env.data_dir == tmp_path / "data"
    assert env.specs_dir.is_relative_to(REPO_DIR / "backend" / "specs")
    assert (tmp_path / "secret_key").read_text() == env.secret_key and len(env.secret_key) > 40
    assert read_env({"QLF_VAR_DIR": str(tmp_path)}).secret_key == env.secret_key


def test_values_from_environment(tmp_path):
    env = read_env(
        {
            "QLF_VAR_DIR": str(tmp_path),
            "QLF_DEBUG": "1",
            "QLF_SECRET_KEY": "given",
            "DATABASE_URL": "postgres://u@h/db",
            "REDIS_URL": "redis://h:6379/0",
            "QLF_ALLOWED_HOSTS": "a.example, b.example",
            "QLF_SCRATCH_DIR": str(tmp_path / "s"),
        }
    )
    assert env.debug and env.secret_key == "given" and env.database_url == "postgres://u@h/db"
    assert env.allowed_hosts == ["a.example", "b.example"] and env.scratch_dir == tmp_path / "s"
    assert not (tmp_path / "secret_key").exists()
    assert Path(env.var_dir) == tmp_path


def test_the_executor_is_read_once_normalised_for_every_part():
    from qlf.config import read_config

    environ = {"QLF_EXECUTOR": " Celery ", "QLF_VAR_DIR": "/tmp/qlf-env-test"}
    assert read_env(environ).executor == "celery"  # what /api/config/ reports
    assert read_config(environ, hmac_key="k").executor == "celery"  # what the daemon runs
    with pytest.raises(ValueError, match="QLF_EXECUTOR"):
        read_env({"QLF_EXECUTOR": "threads", "QLF_VAR_DIR": "/tmp/qlf-env-test"})
