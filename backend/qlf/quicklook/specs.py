"""Threshold files: versioned, dated specifications of every metric (DESIGN.md 5).

A file ``specs/<version>.json`` holds::

    {"version": "2026-01-01", "effective_night": 20260101, "author": "...", "note": "...",
     "metrics": {"NOISE_AMP": {"default": {"REF": "calib:readnoise",
                                           "NORMAL_RANGE": [-1.5, 1.5], "WARN_RANGE": [-2, 2]},
                               "flat": {...}, "science/BRIGHT": {...}}}}

The version in force on a night is the one with the latest ``effective_night`` not after it.
A threshold is looked up as ``flavor/PROGRAM``, then ``flavor``, then ``default``. Its REF is
a number, a list (per element), an object keyed by camera (``r3``) or arm (``r``), or
``"calib:<name>"`` — a per-camera reference taken from the calibration (bias, readnoise,
nfiber). The ranges may also be keyed by camera or arm.

Thresholds describe one instrument: the shipped files in ``specs/desi`` fit the full-size
instrument (and its simulation); ``specs/mini`` fits the small simulated one used in tests
and demos, whose rows hold ten times more light (S/N and lit fractions differ).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qlf.paths import SPECS_ROOT

__all__ = [
    "DEFAULT_SPECS_DIR",
    "SpecVersion",
    "Threshold",
    "load_spec_versions",
    "spec_for_night",
    "spec_from_document",
]

DEFAULT_SPECS_DIR = SPECS_ROOT / "desi"


@dataclass(frozen=True)
class Threshold:
    ref: Any
    normal_range: tuple[float, float]
    warn_range: tuple[float, float]


@dataclass(frozen=True)
class SpecVersion:
    version: str
    effective_night: int
    author: str
    note: str
    metrics: dict[str, dict[str, dict]] = field(repr=False)
    path: Path | None = None

    def threshold(
        self,
        key: str,
        *,
        flavor: str,
        program: str | None,
        camera: str,
        references: dict[str, Any] | None = None,
    ) -> Threshold | None:
        """The threshold of ``key`` for one camera, with its REF resolved; None if unspecified."""
        entry = self.entry(key, flavor=flavor, program=program)
        if entry is None:
            return None
        references = references or {}
        return Threshold(
            ref=_resolve(entry["REF"], camera, references),
            normal_range=tuple(_resolve(entry["NORMAL_RANGE"], camera, references)),
            warn_range=tuple(_resolve(entry["WARN_RANGE"], camera, references)),
        )

    def entry(self, key: str, *, flavor: str, program: str | None) -> dict | None:
        """The unresolved threshold entry of ``key`` (REF may read ``calib:<name>``)."""
        entries = self.metrics.get(key)
        if not entries:
            return None
        candidates = [f"{flavor}/{program}" if program else None, flavor, "default"]
        return next((entries[c] for c in candidates if c and c in entries), None)


def _resolve(value: Any, camera: str, references: dict[str, Any]) -> Any:
    """A REF or range for one camera: per camera, per arm, from the calibration, or as is."""
    if isinstance(value, str) and value.startswith("calib:"):
        return references.get(value.removeprefix("calib:"))
    if isinstance(value, dict) and (camera in value or camera[0] in value):
        return value.get(camera, value.get(camera[0]))
    return value


def spec_from_document(doc: dict[str, Any], *, path: Path | None = None) -> SpecVersion:
    """A version from the JSON body of a threshold file (KeyError/ValueError if malformed)."""
    if not isinstance(doc.get("metrics"), dict):
        raise ValueError("metrics must be an object")
    return SpecVersion(
        version=str(doc["version"]),
        effective_night=int(doc["effective_night"]),
        author=str(doc.get("author", "")),
        note=str(doc.get("note", "")),
        metrics=doc["metrics"],
        path=path,
    )


def load_spec_versions(directory: Path | str) -> list[SpecVersion]:
    """Every threshold file of ``directory``, oldest first."""
    versions = []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            versions.append(spec_from_document(json.loads(path.read_text()), path=path))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a valid threshold file ({exc})") from exc
    return sorted(versions, key=lambda v: v.effective_night)


def spec_for_night(versions: list[SpecVersion], night: int) -> SpecVersion:
    """The version in force on ``night`` (YYYYMMDD)."""
    in_force = [v for v in versions if v.effective_night <= night]
    if not in_force:
        raise ValueError(f"no threshold file applies to night {night}")
    return in_force[-1]
