"""The ql_mapping files of DESIGN.md 4.5, read from QLF_MAPPING_DIR."""

from __future__ import annotations

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.selectors.files import qlf_dir, read_json
from qlf.quicklook.mapping import FLAVORS

__all__ = ["FLAVORS", "mapping_amp_keys", "mapping_get", "mapping_list"]


def mapping_get(*, flavor: str) -> dict:
    """The mapping of one flavor; 404 for an unknown flavor or a missing file."""
    if flavor not in FLAVORS:
        raise ApplicationError(f"unknown flavor {flavor!r}", status_code=404)
    path = qlf_dir("MAPPING_DIR") / f"{flavor}.json"
    try:
        return read_json(path)
    except FileNotFoundError as exc:
        raise ApplicationError(f"no ql_mapping for {flavor}", status_code=404) from exc
    except ValueError as exc:
        raise ApplicationError(f"{path.name} is not valid JSON", status_code=500) from exc


def mapping_list() -> dict[str, dict]:
    """The mappings of every flavor that has a file, by flavor."""
    found = {}
    for flavor in FLAVORS:
        try:
            found[flavor] = mapping_get(flavor=flavor)
        except ApplicationError as exc:
            if exc.status_code != 404:
                raise
    return found


def mapping_amp_keys() -> frozenset[str]:
    """QA keys whose granularity is ``amp`` in any flavor (their list values are per amp)."""
    keys = set()
    for mapping in mapping_list().values():
        for step in mapping.get("steps", []):
            keys.update(q["key"] for q in step.get("qa", []) if q.get("granularity") == "amp")
    return frozenset(keys)
