"""Two processes of one exposure side by side, metric element by metric element.

Read from the QA documents kept on the jobs (:func:`qa_of_process`), so a superseded process
compares as well as the latest one. A row is one element (camera × step × metric × amp, class
or index) present in either process; it has changed when its status differs or its value
differs by more than ``REL_TOLERANCE`` of the larger magnitude (float noise is not a change).
"""

from __future__ import annotations

import math
from typing import Any

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Process
from qlf.dashboard.selectors.qa import qa_of_process

__all__ = ["REL_TOLERANCE", "process_compare"]

REL_TOLERANCE = 1e-9


def process_compare(*, a: int, b: int) -> dict[str, Any]:
    """Header of both processes, one row per element (sorted) and counts of changes."""
    processes = {p.pk: p for p in Process.objects.filter(pk__in=(a, b))}
    for pid in (a, b):
        if pid not in processes:
            raise ApplicationError(f"process {pid} does not exist", status_code=404)
    if processes[a].exposure_id != processes[b].exposure_id:
        raise ApplicationError(
            f"processes {a} and {b} are of different exposures "
            f"({processes[a].exposure_id} and {processes[b].exposure_id})",
            extra={"field": "b"},
        )
    left, right = _elements(a), _elements(b)
    rows = [_row(key, left.get(key), right.get(key)) for key in sorted(left.keys() | right.keys())]
    return {
        "expid": processes[a].exposure_id,
        "a": _header(processes[a]),
        "b": _header(processes[b]),
        "rows": rows,
        "counts": {
            "elements": len(rows),
            "changed": sum(r["changed"] for r in rows),
            "status_changed": sum(r["status_changed"] for r in rows),
        },
    }


def _header(process: Process) -> dict[str, Any]:
    """What ran and what graded: ``spec_version`` is the threshold version (docs/operations.md)."""
    return {
        "id": process.pk,
        "status": process.status,
        "qa_status": process.qa_status,
        "started": process.started,
        "ended": process.ended,
        "pipeline_version": process.pipeline_version,
        "spec_version": process.spec_version,
    }


def _elements(process_id: int) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    found = {}
    for camera in qa_of_process(process_id=process_id):
        for step, task in camera["steps"].items():
            for metric in task["metrics"]:
                for element in metric["elements"]:
                    key = (camera["camera"], step, metric["key"], element["index"])
                    found[key] = element
    return found


def _row(key: tuple[str, str, str, str], a: dict | None, b: dict | None) -> dict[str, Any]:
    value_a, value_b = (a or {}).get("value"), (b or {}).get("value")
    status_a, status_b = (a or {}).get("status"), (b or {}).get("status")
    numbers = isinstance(value_a, int | float) and isinstance(value_b, int | float)
    difference = value_b - value_a if numbers else None
    if numbers:
        value_changed = not math.isclose(value_a, value_b, rel_tol=REL_TOLERANCE)
    else:
        value_changed = value_a != value_b
    status_changed = status_a != status_b
    camera, step, metric, index = key
    return {
        "camera": camera,
        "step": step,
        "key": metric,
        "index": index,
        "value_a": value_a,
        "value_b": value_b,
        "difference": difference,
        "status_a": status_a,
        "status_b": status_b,
        "status_changed": status_changed,
        "changed": status_changed or value_changed,
    }
