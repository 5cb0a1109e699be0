"""Threshold versions: the files of ``specs/`` (the baseline) and the database's versions on top.

One list, ordered by the night each version applies from (a database version after a file of
the same night, later edits after earlier ones): the version in force on a night is the last
one that applies to it, whatever its source.
"""

from __future__ import annotations

from pathlib import Path

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import ThresholdVersion
from qlf.dashboard.selectors.files import qlf_dir
from qlf.quicklook.specs import SpecVersion, load_spec_versions, spec_for_night

__all__ = ["threshold_get", "threshold_in_force", "threshold_versions"]


def threshold_versions(*, specs_dir: Path | None = None) -> list[SpecVersion]:
    """Files of ``specs_dir`` (default: QLF_SPECS_DIR) and database versions, oldest first."""
    try:
        files = load_spec_versions(specs_dir or qlf_dir("SPECS_DIR"))
    except ValueError as exc:
        raise ApplicationError(str(exc), status_code=500) from exc
    edited = [
        SpecVersion(
            version=v.version,
            effective_night=v.effective_night,
            author=v.author.username if v.author else "",
            note=v.reason,
            metrics=v.metrics,
        )
        for v in ThresholdVersion.objects.select_related("author").order_by("id")
    ]
    # sorted() is stable: database versions of one night stay in the order they were made
    return sorted([*files, *edited], key=lambda v: (v.effective_night, v.path is None))


def threshold_in_force(*, night: int, specs_dir: Path | None = None) -> SpecVersion:
    """The version that grades ``night``; 404 when none applies."""
    try:
        return spec_for_night(threshold_versions(specs_dir=specs_dir), night)
    except ValueError as exc:
        raise ApplicationError(str(exc), status_code=404) from exc


def threshold_get(*, version: str, specs_dir: Path | None = None) -> SpecVersion:
    """One version by name; 404 if unknown."""
    for found in threshold_versions(specs_dir=specs_dir):
        if found.version == version:
            return found
    raise ApplicationError(f"no threshold version {version!r}", status_code=404)
