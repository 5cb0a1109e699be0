"""``ql_mapping/<flavor>.json``: the steps of a flavor and the metrics in each (DESIGN.md 4.5).

The mapping is the one description of what runs; metric descriptions and units come from the
metric plugins, so :func:`load_mapping` returns the mapping enriched from the registry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qlf.paths import MAPPING_DIR
from qlf.quicklook.qa.registry import all_metrics

__all__ = ["DEFAULT_MAPPING_DIR", "FLAVORS", "MappingStep", "load_mapping", "mapping_document"]

DEFAULT_MAPPING_DIR = MAPPING_DIR
FLAVORS = ("zero", "dark", "flat", "arc", "science")


@dataclass(frozen=True)
class MappingStep:
    name: str
    display_name: str
    metrics: tuple[str, ...]  # registry names


def mapping_document(flavor: str, directory: Path | str | None = None) -> dict:
    """The mapping of ``flavor`` as served to clients, each QA entry with its description."""
    flavor = flavor.lower()
    if flavor not in FLAVORS:
        raise ValueError(f"unknown flavor {flavor!r} (expected one of {', '.join(FLAVORS)})")
    path = Path(directory or DEFAULT_MAPPING_DIR) / f"{flavor}.json"
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read the QL mapping ({exc})") from exc
    registry = all_metrics()
    for step in doc.get("steps", []):
        for entry in step.get("qa", []):
            metric = registry.get(entry.get("name"))
            if metric is None:
                raise ValueError(
                    f"{path}: step {step.get('name')} names unknown metric {entry.get('name')!r}"
                )
            if entry.get("key") != metric.key:
                raise ValueError(
                    f"{path}: metric {metric.name} has key {metric.key}, "
                    f"mapping says {entry.get('key')}"
                )
            entry.setdefault("granularity", metric.granularity)
            entry.setdefault("units", metric.units)
            entry.setdefault("description", metric.description)
    return doc


def load_mapping(flavor: str, directory: Path | str | None = None) -> list[MappingStep]:
    """The steps of ``flavor`` in order."""
    doc = mapping_document(flavor, directory)
    return [
        MappingStep(
            step["name"],
            step.get("display_name", step["name"]),
            tuple(q["name"] for q in step["qa"]),
        )
        for step in doc["steps"]
    ]
