"""Embedded mode keeps its state private: ``var/`` is 0700, the SQLite database (with its WAL)
and the logs 0600, also when they were created more open by an earlier version."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2]
REPO = BACKEND.parent


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _migrate(var: Path) -> None:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("QLF_")}
    keep.pop("DATABASE_URL", None)
    code = ("import django; django.setup(); from django.core.management import call_command; "
            "call_command('migrate', verbosity=0)")  # fmt: skip
    subprocess.run([sys.executable, "-c", code], cwd=BACKEND, check=True, timeout=300,
                   env={**keep, "QLF_VAR_DIR": str(var), "QLF_SECRET_KEY": "k",
                        "DJANGO_SETTINGS_MODULE": "qlf.web.settings"})  # fmt: skip


def test_a_new_var_folder_and_database_are_private(tmp_path):
    var = tmp_path / "var"
    _migrate(var)
    assert _mode(var) == 0o700
    database = var / "qlf.sqlite3"
    assert _mode(database) == 0o600
    for side in (var / "qlf.sqlite3-wal", var / "qlf.sqlite3-shm"):
        assert not side.exists() or _mode(side) == 0o600


def test_an_open_var_folder_and_database_are_made_private(tmp_path):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    os.chmod(var, 0o755)
    (var / "qlf.sqlite3").touch()
    os.chmod(var / "qlf.sqlite3", 0o644)
    _migrate(var)
    assert _mode(var) == 0o700 and _mode(var / "qlf.sqlite3") == 0o600


def test_start_sh_writes_private_logs():
    """start.sh creates var/ and its logs under umask 077 and tightens older ones."""
    script = (REPO / "start.sh").read_text()
    setup = script[script.index('logs="$QLF_VAR_DIR/log"') :]
    setup = setup[: setup.index("\n\n")]
    var = Path(os.environ.get("TMPDIR", "/tmp")) / f"qlf-modes-{os.getpid()}"
    (var / "log").mkdir(parents=True, mode=0o755)
    (var / "log" / "server.log").write_text("old\n")
    os.chmod(var / "log" / "server.log", 0o644)
    try:
        lines = f'set -e; QLF_VAR_DIR="{var}"; run="$QLF_VAR_DIR/run"\n{setup}\n'
        subprocess.run(["bash", "-c", lines + 'echo new >>"$logs/new.log"'], check=True, timeout=30)
        assert _mode(var) == 0o700 and _mode(var / "log") == 0o700
        assert _mode(var / "log" / "server.log") == 0o600
        assert _mode(var / "log" / "new.log") == 0o600
    finally:
        subprocess.run(["rm", "-rf", str(var)], check=False)
