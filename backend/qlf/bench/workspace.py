"""The scratch installation a daemon benchmark runs in: folders, environment, database."""

from __future__ import annotations

import os
from pathlib import Path

from qlf.paths import SPECS_ROOT

__all__ = ["daemon_workspace", "migrated_database"]

FOLDERS = ("data", "stage", "scratch", "calib", "var")


def daemon_workspace(root: Path, *, profile: str, database_url: str | None) -> dict[str, Path]:
    """Folders under ``root`` (``stage`` is where exposures are written before they "arrive"),
    exported as QLF's settings with the thresholds of the simulated ``profile``; the database is
    ``database_url``, else a temporary SQLite file under ``var``."""
    dirs = {name: root / name for name in FOLDERS}
    for folder in dirs.values():
        folder.mkdir(exist_ok=True)
    os.environ.update(
        QLF_DATA_DIR=str(dirs["data"]), QLF_SCRATCH_DIR=str(dirs["scratch"]),
        QLF_CALIB_DIR=str(dirs["calib"]), QLF_VAR_DIR=str(dirs["var"]),
    )  # fmt: skip
    specs = SPECS_ROOT / profile
    if specs.is_dir() and "QLF_SPECS_DIR" not in os.environ:
        os.environ["QLF_SPECS_DIR"] = str(specs)  # thresholds of the simulated instrument
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    return dirs


def migrated_database() -> None:
    """Django set up as the daemon sets it up, and the database migrated."""
    from qlf.pipeline.daemon import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
