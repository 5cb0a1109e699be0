"""Editing thresholds: each change is a new version, with its author, reason and first night."""

from __future__ import annotations

import copy
import re
import uuid
from pathlib import Path
from typing import Any

from django.db import transaction

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Process, ThresholdVersion
from qlf.dashboard.selectors.mapping import FLAVORS
from qlf.dashboard.selectors.thresholds import threshold_get, threshold_in_force
from qlf.dashboard.services.audit import audit_record
from qlf.quicklook.qa.registry import all_metrics
from qlf.quicklook.specs import SpecVersion

__all__ = ["process_threshold", "spec_document", "threshold_version_create"]

_KEY = re.compile(r"^[A-Z0-9_]{1,32}\Z")
_PROGRAMS = ("DARK", "GRAY", "BRIGHT")
_CALIB = ("bias", "readnoise", "nfiber")
_LABEL = re.compile(r"^([brz]\d?|[A-Z]{1,8})\Z")  # a camera, an arm, or a class label (ELG)


@transaction.atomic
def threshold_version_create(
    *,
    key: str,
    selector: str,
    ref: Any,
    normal_range: list[float],
    warn_range: list[float],
    effective_night: int,
    reason: str,
    user,
) -> ThresholdVersion:
    """A new version: the one in force on ``effective_night`` with ``key``/``selector`` set."""
    _check(key, selector, ref, normal_range, warn_range, reason)
    base = threshold_in_force(night=effective_night)
    if key not in base.metrics and key not in _metric_keys():
        raise ApplicationError(f"no QA metric has the key {key!r}", extra={"field": "key"})
    metrics = copy.deepcopy(base.metrics)
    before = metrics.get(key, {}).get(selector)
    after = {"REF": ref, "NORMAL_RANGE": list(normal_range), "WARN_RANGE": list(warn_range)}
    metrics.setdefault(key, {})[selector] = after
    change = {"key": key, "selector": selector, "before": before, "after": after}
    version = ThresholdVersion.objects.create(
        version=f"new-{uuid.uuid4().hex[:24]}",  # named below, from its id
        effective_night=effective_night,
        base_version=base.version,
        metrics=metrics,
        change=change,
        reason=reason.strip(),
        author=user,
    )
    n = str(effective_night)
    version.version = f"{n[:4]}-{n[4:6]}-{n[6:]}+db{version.pk}"
    version.save(update_fields=["version"])
    audit_record(
        user=user,
        action="threshold.create",
        target=f"threshold {version.version}",
        detail={**change, "effective_night": effective_night, "reason": version.reason,
                "base_version": base.version},
    )  # fmt: skip
    return version


def process_threshold(*, process: Process, specs_dir: Path | None = None) -> SpecVersion:
    """The version that grades ``process``: the one it names (chosen when reprocessing), else
    the one in force on its night, which it then records."""
    if process.spec_version:
        return threshold_get(version=process.spec_version, specs_dir=specs_dir)
    spec = threshold_in_force(night=process.night, specs_dir=specs_dir)
    Process.objects.filter(pk=process.pk).update(spec_version=spec.version)
    process.spec_version = spec.version
    return spec


def spec_document(spec: SpecVersion) -> dict[str, Any]:
    """A version as plain JSON (the body of a threshold file), for a camera job to carry."""
    return {
        "version": spec.version,
        "effective_night": spec.effective_night,
        "author": spec.author,
        "note": spec.note,
        "metrics": spec.metrics,
    }


def _check(key, selector, ref, normal_range, warn_range, reason) -> None:
    if not _KEY.match(key or ""):
        raise ApplicationError(f"{key!r} is not a metric key", extra={"field": "key"})
    flavor, _, program = selector.partition("/")
    if selector != "default" and (
        flavor not in FLAVORS or (program and (flavor != "science" or program not in _PROGRAMS))
    ):
        raise ApplicationError(
            "selector must be default, a flavor, or science/DARK|GRAY|BRIGHT",
            extra={"field": "selector"},
        )
    if not _valid_ref(ref):
        raise ApplicationError(
            "REF must be a number, a list of numbers, an object of numbers by camera, arm or "
            f"label, or one of {', '.join('calib:' + c for c in _CALIB)}",
            extra={"field": "ref"},
        )
    for name, bounds in (("normal_range", normal_range), ("warn_range", warn_range)):
        if not (len(bounds) == 2 and bounds[0] <= 0 <= bounds[1]):
            raise ApplicationError(f"{name} must be [low, high] around 0", extra={"field": name})
    if not (warn_range[0] <= normal_range[0] and normal_range[1] <= warn_range[1]):
        raise ApplicationError(
            "warn_range must contain normal_range", extra={"field": "warn_range"}
        )
    if not reason or not reason.strip():
        raise ApplicationError("a threshold change needs a reason", extra={"field": "reason"})


def _metric_keys() -> set[str]:
    return {metric.key for metric in all_metrics().values()}


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _valid_ref(ref) -> bool:
    if isinstance(ref, str):
        return ref.removeprefix("calib:") in _CALIB and ref.startswith("calib:")
    if isinstance(ref, list):
        return bool(ref) and all(_number(v) for v in ref)
    if isinstance(ref, dict):
        return bool(ref) and all(_LABEL.match(k) and _number(v) for k, v in ref.items())
    return _number(ref)
