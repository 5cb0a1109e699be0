"""Grading a metric's value against its reference and ranges (DESIGN.md 5).

The deviation ``value − REF`` is taken element by element, keeping each element's identity
(amp, fiber class): inside NORMAL_RANGE → NORMAL, inside WARN_RANGE → WARNING, else ALARM; a
missing element (None/NaN) → UNKNOWN. A metric's status is the worst of its graded elements
(UNKNOWN only if none could be graded); steps and cameras take the worst of their parts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["NORMAL", "STATUSES", "UNKNOWN", "element_statuses", "metric_status", "worst"]

NORMAL, WARNING, ALARM, UNKNOWN = "NORMAL", "WARNING", "ALARM", "UNKNOWN"
STATUSES = (NORMAL, WARNING, ALARM, UNKNOWN)
_SEVERITY = {NORMAL: 0, UNKNOWN: 1, WARNING: 2, ALARM: 3}


def worst(statuses: Iterable[str]) -> str:
    """The most severe status: ALARM > WARNING > UNKNOWN > NORMAL (UNKNOWN if empty)."""
    return max(statuses, key=_SEVERITY.__getitem__, default=UNKNOWN)


def _grade(value: Any, ref: Any, normal: Sequence[float], warn: Sequence[float]) -> str:
    if value is None or ref is None:
        return UNKNOWN
    value, ref = float(value), float(ref)
    if math.isnan(value) or math.isnan(ref):
        return UNKNOWN
    deviation = value - ref
    if normal[0] <= deviation <= normal[1]:
        return NORMAL
    if warn[0] <= deviation <= warn[1]:
        return WARNING
    return ALARM


def element_statuses(
    value: Any, ref: Any, normal_range: Sequence[float], warn_range: Sequence[float]
):
    """Status of every element of ``value``, in its shape (scalar, list or label → value).

    ``ref`` is a scalar (applies to every element) or has the value's shape.
    """
    if isinstance(value, Mapping):
        return {
            label: _grade(
                v, ref.get(label) if isinstance(ref, Mapping) else ref, normal_range, warn_range
            )
            for label, v in value.items()
        }
    if isinstance(value, list | tuple):
        if isinstance(ref, list | tuple) and len(ref) != len(value):
            raise ValueError(f"REF has {len(ref)} elements, value has {len(value)}")
        refs = ref if isinstance(ref, list | tuple) else [ref] * len(value)
        return [_grade(v, r, normal_range, warn_range) for v, r in zip(value, refs, strict=True)]
    return _grade(value, ref, normal_range, warn_range)


def metric_status(statuses: Any) -> str:
    """A metric's status from its element statuses: the worst graded one."""
    if isinstance(statuses, Mapping):
        statuses = list(statuses.values())
    if isinstance(statuses, str):
        statuses = [statuses]
    graded = [s for s in statuses if s != UNKNOWN]
    return worst(graded) if graded else UNKNOWN
