"""Thresholds: their history (files of ``specs/`` and database versions) and the version in
force on a night."""

from __future__ import annotations

from datetime import UTC, datetime

from qlf.dashboard.selectors.thresholds import threshold_in_force, threshold_versions
from qlf.quicklook.specs import SpecVersion

__all__ = ["spec_current", "spec_list"]


def spec_list() -> list[dict]:
    """Every threshold version, newest first, without its metrics."""
    return [_summary(v) for v in reversed(threshold_versions())]


def spec_current(*, night: int | None = None) -> dict:
    """The version in force on ``night`` (default: tonight, UTC date), with its metrics."""
    night = night or int(datetime.now(UTC).strftime("%Y%m%d"))
    version = threshold_in_force(night=night)
    return {**_summary(version), "metrics": version.metrics}


def _summary(version: SpecVersion) -> dict:
    return {
        "version": version.version,
        "effective_night": version.effective_night,
        "author": version.author,
        "note": version.note,
        "file": version.path.name if version.path else None,
        "source": "file" if version.path else "database",
    }
