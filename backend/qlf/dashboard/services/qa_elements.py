"""Flattening one camera's QA document into graded metric elements (no database access)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from qlf.dashboard.errors import ApplicationError
from qlf.quicklook.grading import STATUSES, element_statuses

__all__ = ["QaElement", "qa_elements", "qa_reasons", "qa_validate"]

_CAMERA = re.compile(r"^[brz]\d\Z")
_NAME = re.compile(r"^[A-Za-z0-9_]{1,32}\Z")  # step names and metric keys (database columns)


@dataclass(frozen=True)
class QaElement:
    step: str
    key: str
    index: str
    value: float | None
    status: str


def qa_validate(qa: Any) -> None:
    """Raise ApplicationError unless ``qa`` has the shape of DESIGN.md 4.4."""
    if not isinstance(qa, dict):
        raise ApplicationError("QA document must be a JSON object")
    for key, kind in (("NIGHT", int), ("EXPID", int), ("CAMERA", str), ("FLAVOR", str)):
        if not isinstance(qa.get(key), kind) or isinstance(qa.get(key), bool):
            raise ApplicationError(f"QA {key} missing or not {kind.__name__}", extra={"field": key})
    if not _CAMERA.match(qa["CAMERA"]):
        raise ApplicationError(
            f"QA CAMERA {qa['CAMERA']!r} is not like b0", extra={"field": "CAMERA"}
        )
    if len(qa["FLAVOR"]) > 16 or not 19000101 <= qa["NIGHT"] <= 30000101 or qa["EXPID"] < 0:
        raise ApplicationError("QA FLAVOR, NIGHT or EXPID out of range", extra={"field": "NIGHT"})
    tasks = qa.get("TASKS")
    if not isinstance(tasks, dict) or not all(isinstance(t, dict) for t in tasks.values()):
        raise ApplicationError("QA TASKS must map step names to objects", extra={"field": "TASKS"})
    _status(qa.get("STATUS"), "STATUS")
    for step, task in tasks.items():
        if not _NAME.match(step):
            raise ApplicationError(
                f"QA step name {step[:40]!r} is not valid", extra={"field": "TASKS"}
            )
        _status(task.get("STATUS"), f"TASKS.{step}.STATUS")
        reasons = task.get("REASONS")
        if reasons is not None and not (
            isinstance(reasons, dict) and all(isinstance(v, str) for v in reasons.values())
        ):
            raise ApplicationError(f"QA {step} REASONS must map metric keys to sentences")
        metrics = {} if task.get("METRICS") is None else task["METRICS"]
        params = {} if task.get("PARAMS") is None else task["PARAMS"]
        if not isinstance(metrics, dict) or not isinstance(params, dict):
            raise ApplicationError(f"QA {step} METRICS and PARAMS must be objects")
        for key, value in metrics.items():
            if key.endswith("_STATUS"):
                _status(value, f"TASKS.{step}.METRICS.{key}")
                if not _NAME.match(key.removesuffix("_STATUS")):
                    raise ApplicationError(f"QA metric key {key[:40]!r} is not valid")


def qa_reasons(qa: dict) -> dict[str, str]:
    """Metric key → reason, over the steps' ``REASONS`` (why a metric is UNKNOWN, or an
    identity ALARM); empty when there are none."""
    found: dict[str, str] = {}
    for task in (qa.get("TASKS") or {}).values():
        reasons = task.get("REASONS") if isinstance(task, dict) else None
        if isinstance(reasons, dict):
            found.update({str(k): str(v) for k, v in reasons.items() if v is not None})
    return found


def _status(value: Any, field: str) -> None:
    if value is not None and value not in STATUSES:
        raise ApplicationError(f"QA {field} {value!r} is not a status", extra={"field": field})


def qa_elements(qa: dict, *, amp_keys: frozenset[str] = frozenset()) -> list[QaElement]:
    """Every element of every graded metric (a key with a ``_STATUS`` twin), with its status."""
    amps = [str(a) for a in qa.get("AMPS") or []]
    found: list[QaElement] = []
    for step, task in qa["TASKS"].items():
        metrics = task.get("METRICS") or {}
        params = task.get("PARAMS") or {}
        for key, value in metrics.items():
            status = metrics.get(f"{key}_STATUS")
            if key.endswith("_STATUS") or status is None:
                continue
            labelled = _labelled(value, amps if _per_amp(key, amp_keys) else None)
            statuses = _statuses(labelled, params, key, status)
            found.extend(
                QaElement(step, key, label[:16], _number(v), s)
                for (label, v), s in zip(labelled, statuses, strict=True)
            )
    return found


def _per_amp(key: str, amp_keys: frozenset[str]) -> bool:
    return key.endswith("_AMP") or key in amp_keys


def _labelled(value: Any, amps: list[str] | None) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items()]
    if isinstance(value, list):
        labels = amps if amps and len(amps) == len(value) else [str(i) for i in range(len(value))]
        return list(zip(labels, value, strict=True))
    return [("", value)]


def _statuses(labelled: list[tuple[str, Any]], params: dict, key: str, status: str) -> list[str]:
    """Per-element statuses by the shared grading rule; the metric's own status without specs."""
    ref = params.get(f"{key}_REF")
    normal, warn = params.get(f"{key}_NORMAL_RANGE"), params.get(f"{key}_WARN_RANGE")
    fallback = [status if _number(v) is not None else "UNKNOWN" for _, v in labelled]
    if ref is None or not _is_range(normal) or not _is_range(warn):
        return fallback
    values = [_number(v) for _, v in labelled]
    if isinstance(ref, dict):
        refs: Any = [_number(ref.get(label)) for label, _ in labelled]
    elif isinstance(ref, list):
        refs = [_number(r) for r in ref]
    else:
        refs = _number(ref)
    try:
        return list(element_statuses(values, refs, normal, warn))
    except (ValueError, TypeError):
        return fallback


def _is_range(value: Any) -> bool:
    return (
        isinstance(value, list) and len(value) == 2 and all(_number(v) is not None for v in value)
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None
