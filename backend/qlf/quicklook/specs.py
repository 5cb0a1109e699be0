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
nfiber), so one file serves every camera of any instrument size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_SPECS_DIR",
    "SpecVersion",
    "Threshold",
    "load_spec_versions",
    "spec_for_night",
]

DEFAULT_SPECS_DIR = Path(__file__).resolve().parents[2] / "specs"


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
        entries = self.metrics.get(key)
        if not entries:
            return None
        candidates = [f"{flavor}/{program}" if program else None, flavor, "default"]
        entry = next((entries[c] for c in candidates if c and c in entries), None)
        if entry is None:
            return None
        return Threshold(
            ref=_resolve_ref(entry["REF"], camera, references or {}),
            normal_range=tuple(entry["NORMAL_RANGE"]),
            warn_range=tuple(entry["WARN_RANGE"]),
        )


def _resolve_ref(ref: Any, camera: str, references: dict[str, Any]) -> Any:
    if isinstance(ref, str) and ref.startswith("calib:"):
        return references.get(ref.removeprefix("calib:"))
    if isinstance(ref, dict) and (camera in ref or camera[0] in ref):
        return ref.get(camera, ref.get(camera[0]))
    return ref


def load_spec_versions(directory: Path | str) -> list[SpecVersion]:
    """Every threshold file of ``directory``, oldest first."""
    versions = []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            doc = json.loads(path.read_text())
            versions.append(
                SpecVersion(
                    version=str(doc["version"]),
                    effective_night=int(doc["effective_night"]),
                    author=str(doc.get("author", "")),
                    note=str(doc.get("note", "")),
                    metrics=doc["metrics"],
                    path=path,
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a valid threshold file ({exc})") from exc
    return sorted(versions, key=lambda v: v.effective_night)


def spec_for_night(versions: list[SpecVersion], night: int) -> SpecVersion:
    """The version in force on ``night`` (YYYYMMDD)."""
    in_force = [v for v in versions if v.effective_night <= night]
    if not in_force:
        raise ValueError(f"no threshold file applies to night {night}")
    return in_force[-1]
