"""The statuses of one camera's QA once known-bad elements are masked (no database access).

A masked element keeps its value and its own graded status (shown with a "masked" mark) but
does not count: a metric's effective status is the worst of its unmasked elements (NORMAL when
every element is masked), a step's the worst of its metrics, the camera's the worst of its
steps. Nothing is recomputed for a step or camera without masked elements: their statuses are
the ones of the document.

Masks act by target (:class:`~qlf.dashboard.models.Mask`): a camera masks every element of its
metrics; an amp masks the elements of per-amp metrics with that amp's label; a fiber masks the
fibers of per-fiber good/bad counts (``NGOODFIB`` counts a masked bad fiber as good, then is
graded again with the document's thresholds). ``metrics`` restricts a mask to those keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qlf.dashboard.services.qa_elements import qa_elements
from qlf.quicklook.grading import NORMAL, element_statuses, metric_status, worst

__all__ = ["FIBER_COUNTS", "MaskedElement", "MaskedGrade", "qa_mask"]

# Per-fiber counts: the graded key → its per-fiber 0/1 flags (1 = good) in the same METRICS.
FIBER_COUNTS = {"NGOODFIB": "GOOD_FIBERS"}


@dataclass(frozen=True)
class MaskedElement:
    step: str
    key: str
    index: str
    mask_id: int
    reason: str


@dataclass
class MaskedGrade:
    """Effective statuses: the camera's, per step and per (step, key) metric."""

    status: str
    steps: dict[str, str]
    metrics: dict[tuple[str, str], str]
    masked: list[MaskedElement] = field(default_factory=list)

    def keys_at(self, status: str) -> list[str]:
        """``STEP/KEY`` of the metrics whose effective status is ``status`` (for alert texts)."""
        return [f"{step}/{key}" for (step, key), s in self.metrics.items() if s == status]


def qa_mask(qa: dict, masks: Sequence[Any], *, amp_keys: frozenset[str]) -> MaskedGrade:
    """The effective statuses of ``qa`` under ``masks`` (those of its camera and night)."""
    recorded = {
        (step, key[: -len("_STATUS")]): status
        for step, task in qa["TASKS"].items()
        for key, status in (task.get("METRICS") or {}).items()
        if key.endswith("_STATUS")
    }
    steps = {step: task.get("STATUS") or "UNKNOWN" for step, task in qa["TASKS"].items()}
    grade = MaskedGrade(qa.get("STATUS") or "UNKNOWN", steps, dict(recorded))
    if not masks:
        return grade
    elements: dict[tuple[str, str], list] = {}
    for e in qa_elements(qa, amp_keys=amp_keys):
        elements.setdefault((e.step, e.key), []).append(e)
    changed_steps = set()
    for (step, key), status in recorded.items():
        applying = [m for m in masks if not m.metrics or key in m.metrics]
        if not applying:
            continue
        task = qa["TASKS"][step]
        if key in FIBER_COUNTS:
            found = _fiber_count(step, key, task, applying)
        else:
            found = _element_masks(step, key, elements.get((step, key), []), applying, amp_keys)
        if found is None:
            continue
        effective, masked = found
        grade.masked.extend(masked)
        if effective != status:
            grade.metrics[(step, key)] = effective
            changed_steps.add(step)
    for step in changed_steps:
        grade.steps[step] = worst(s for (st, _), s in grade.metrics.items() if st == step)
    if changed_steps:
        grade.status = worst(grade.steps.values())
    return grade


def _element_masks(step, key, elements, masks, amp_keys):
    """(effective status, masked elements) of a metric, or None when no element is masked."""
    masked, kept = [], []
    per_amp = key.endswith("_AMP") or key in amp_keys
    for e in elements:
        mask = next((m for m in masks if _covers(m, e.index, per_amp)), None)
        if mask is None:
            kept.append(e.status)
        else:
            masked.append(MaskedElement(step, key, e.index, mask.pk, mask.reason))
    if not masked:
        return None
    return (metric_status(kept) if kept else NORMAL), masked


def _covers(mask, index: str, per_amp: bool) -> bool:
    if mask.fiber is not None:
        return False
    if mask.amp:
        return per_amp and index == mask.amp
    return True


def _fiber_count(step, key, task, masks):
    """A count of good fibers graded again with the masked bad fibers counted as good."""
    metrics, params = task.get("METRICS") or {}, task.get("PARAMS") or {}
    camera_mask = next((m for m in masks if m.fiber is None and not m.amp), None)
    if camera_mask is not None:
        return NORMAL, [MaskedElement(step, key, "", camera_mask.pk, camera_mask.reason)]
    flags = metrics.get(FIBER_COUNTS[key])
    value = metrics.get(key)
    fiber_masks = [m for m in masks if m.fiber is not None]
    if not isinstance(flags, list) or not isinstance(value, int | float) or not fiber_masks:
        return None
    bad = [m for m in fiber_masks if 0 <= m.fiber < len(flags) and not flags[m.fiber]]
    if not bad:
        return None
    masked = [MaskedElement(step, key, str(m.fiber), m.pk, m.reason) for m in bad]
    ref = params.get(f"{key}_REF")
    normal, warn = params.get(f"{key}_NORMAL_RANGE"), params.get(f"{key}_WARN_RANGE")
    if ref is None or not normal or not warn:
        return None
    try:
        status = element_statuses(value + len(bad), ref, normal, warn)
    except (TypeError, ValueError):
        return None
    return metric_status(status), masked
