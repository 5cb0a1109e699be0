"""Threshold files (``specs/``): their history and the version in force on a night."""

from __future__ import annotations

from datetime import UTC, datetime

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.selectors.files import qlf_dir
from qlf.quicklook.specs import SpecVersion, load_spec_versions, spec_for_night

__all__ = ["spec_current", "spec_list"]


def spec_list() -> list[dict]:
    """Every threshold version, newest first, without its metrics."""
    return [_summary(v) for v in reversed(_versions())]


def spec_current(*, night: int | None = None) -> dict:
    """The version in force on ``night`` (default: tonight, UTC date), with its metrics."""
    night = night or int(datetime.now(UTC).strftime("%Y%m%d"))
    try:
        version = spec_for_night(_versions(), night)
    except ValueError as exc:
        raise ApplicationError(str(exc), status_code=404) from exc
    return {**_summary(version), "metrics": version.metrics}


def _versions() -> list[SpecVersion]:
    try:
        return load_spec_versions(qlf_dir("SPECS_DIR"))
    except ValueError as exc:
        raise ApplicationError(str(exc), status_code=500) from exc


def _summary(version: SpecVersion) -> dict:
    return {
        "version": version.version,
        "effective_night": version.effective_night,
        "author": version.author,
        "note": version.note,
        "file": version.path.name if version.path else None,
    }
