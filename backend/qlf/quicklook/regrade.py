"""Grading a stored QA document again against another threshold version (no pipeline run).

The metric values of the document are kept; every graded metric gets the status, REF and
ranges of the new version, then steps and the camera take the worst of their parts, as the
runner does. A REF the version takes from the calibration (``calib:bias``) is the value the
document recorded when its previous version named the same calibration quantity; otherwise it
is unknown and the metric UNKNOWN. ``REASONS`` follow: a metric UNKNOWN under the new version
says why, a reason its computation stated (an identity ALARM) stays while it is not NORMAL.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from qlf.quicklook.grading import NORMAL, UNKNOWN, element_statuses, metric_status, worst
from qlf.quicklook.specs import SpecVersion

__all__ = ["regrade_qa"]


def regrade_qa(qa: dict, spec: SpecVersion, *, previous: SpecVersion | None = None) -> dict:
    """A copy of ``qa`` (one camera, DESIGN.md 4.4) graded against ``spec``.

    ``previous``: the version that graded ``qa`` (its ``SPEC_VERSION``), for calibration REFs.
    """
    doc = copy.deepcopy(qa)
    flavor, program, camera = doc["FLAVOR"], doc.get("PROGRAM"), doc["CAMERA"]
    step_statuses = []
    for task in doc["TASKS"].values():
        metrics = task.get("METRICS") or {}
        params = task.get("PARAMS") or {}
        graded = [k for k in metrics if f"{k}_STATUS" in metrics and not k.endswith("_STATUS")]
        statuses = []
        reasons = dict(task.get("REASONS") or {})
        for key in graded:
            if metrics[key] is None:
                statuses.append(metrics[f"{key}_STATUS"])  # the metric failed: nothing to grade
                continue
            was_unknown = metrics[f"{key}_STATUS"] == UNKNOWN
            references = _references(key, params, previous, flavor, program, camera)
            threshold = spec.threshold(
                key, flavor=flavor, program=program, camera=camera, references=references
            )
            status = UNKNOWN
            why = f"no threshold for {key} ({flavor}/{program or '-'}) in specs {spec.version}"
            for suffix in ("_REF", "_NORMAL_RANGE", "_WARN_RANGE"):
                params.pop(f"{key}{suffix}", None)
            if threshold is not None:
                params[f"{key}_REF"] = threshold.ref
                params[f"{key}_NORMAL_RANGE"] = list(threshold.normal_range)
                params[f"{key}_WARN_RANGE"] = list(threshold.warn_range)
                ranges = (threshold.normal_range, threshold.warn_range)
                try:
                    status = metric_status(element_statuses(metrics[key], threshold.ref, *ranges))
                    why = f"{key} has no reference in specs {spec.version} for this camera"
                except (ValueError, TypeError) as exc:
                    status, why = UNKNOWN, f"{key} cannot be graded by specs {spec.version}: {exc}"
            metrics[f"{key}_STATUS"] = status
            statuses.append(status)
            if status == UNKNOWN:
                old = reasons.get(key) if was_unknown and threshold is not None else None
                # the runner's reason (e.g. the missing calibration file) stays more precise
                reasons[key] = old if old and not old.startswith("no threshold") else why
            elif status == NORMAL or was_unknown:
                reasons.pop(key, None)
        task["PARAMS"] = params
        if reasons:
            task["REASONS"] = reasons
        else:
            task.pop("REASONS", None)
        if graded:
            task["STATUS"] = worst(statuses)
        step_statuses.append(task.get("STATUS") or UNKNOWN)
    if step_statuses:
        doc["STATUS"] = worst(step_statuses)
    doc["REGRADED"] = {
        "FROM": qa.get("SPEC_VERSION"),
        "AT": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    doc["SPEC_VERSION"] = spec.version
    return doc


def _references(
    key: str, params: dict, previous: SpecVersion | None, flavor: str, program, camera: str
) -> dict[str, Any]:
    """``calib:<name>`` values this document recorded for ``key`` under its previous version."""
    if previous is None:
        return {}
    entries = previous.metrics.get(key) or {}
    candidates = [f"{flavor}/{program}" if program else None, flavor, "default"]
    entry = next((entries[c] for c in candidates if c and c in entries), None)
    ref = (entry or {}).get("REF")
    if isinstance(ref, str) and ref.startswith("calib:") and f"{key}_REF" in params:
        return {ref.removeprefix("calib:"): params[f"{key}_REF"]}
    return {}
