"""QA of a process: per camera and step, every metric with its thresholds and element statuses.

Read from the QA documents kept on the jobs (the whole record, also for superseded processes),
graded element by element with the shared rule.
"""

from __future__ import annotations

from typing import Any

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Job, Process
from qlf.dashboard.selectors.mapping import mapping_amp_keys
from qlf.dashboard.selectors.masks import masks_on
from qlf.dashboard.services.qa_elements import qa_elements
from qlf.dashboard.services.qa_masking import qa_mask

__all__ = ["qa_of_process"]


def qa_of_process(
    *, process_id: int, camera: str | None = None, step: str | None = None
) -> list[dict[str, Any]]:
    """One entry per camera with QA; auxiliary (ungraded) data only when one camera is asked."""
    if not Process.objects.filter(pk=process_id).exists():
        raise ApplicationError(f"process {process_id} does not exist", status_code=404)
    jobs = Job.objects.filter(process_id=process_id, qa__isnull=False).order_by("camera")
    if camera:
        jobs = jobs.filter(camera=camera)
        if not jobs.exists():
            raise ApplicationError(
                f"no QA for camera {camera!r} in process {process_id}", status_code=404
            )
    amp_keys = mapping_amp_keys()
    return [_camera(job, step, amp_keys, auxiliary=bool(camera)) for job in jobs]


def _camera(job: Job, step: str | None, amp_keys, *, auxiliary: bool) -> dict[str, Any]:
    qa = job.qa
    tasks = qa.get("TASKS", {})
    if step and step not in tasks:
        raise ApplicationError(f"no step {step!r} in the QA of {job.camera}", status_code=404)
    masks = masks_on(camera=job.camera, night=qa.get("NIGHT", 0))
    masked = {
        (m.step, m.key, m.index): m.reason for m in qa_mask(qa, masks, amp_keys=amp_keys).masked
    }
    elements: dict[tuple[str, str], list[dict]] = {}
    for e in qa_elements(qa, amp_keys=amp_keys):
        elements.setdefault((e.step, e.key), []).append(
            {
                "index": e.index,
                "value": e.value,
                "status": e.status,
                "masked": masked.get((e.step, e.key, e.index)),  # the mask's reason
            }
        )
    steps = {}
    for name, task in tasks.items():
        if step and name != step:
            continue
        metrics, params = task.get("METRICS") or {}, task.get("PARAMS") or {}
        graded = [k for k in metrics if f"{k}_STATUS" in metrics and not k.endswith("_STATUS")]
        steps[name] = {
            "status": task.get("STATUS"),
            "duration_s": task.get("DURATION_S"),
            "error": task.get("ERROR"),
            "metrics": [
                _metric(k, metrics, params, elements.get((name, k), []), task.get("REASONS"))
                for k in graded
            ],
        }
        if auxiliary:
            steps[name]["auxiliary"] = {
                k: v for k, v in metrics.items() if k not in graded and not k.endswith("_STATUS")
            }
    return {
        "job_id": job.pk,
        "camera": job.camera,
        "status": qa.get("STATUS"),
        "effective_status": job.qa_status,  # after known-bad masks
        "masks": [
            {"id": m.pk, "target": m.target, "metrics": m.metrics, "reason": m.reason}
            for m in masks
        ],
        "error": qa.get("ERROR"),
        "failed_step": qa.get("FAILED_STEP"),
        "amps": qa.get("AMPS"),
        "spec_version": qa.get("SPEC_VERSION"),
        "steps": steps,
    }


def _metric(
    key: str, metrics: dict, params: dict, elements: list[dict], reasons: dict | None
) -> dict[str, Any]:
    return {
        "key": key,
        "value": metrics[key],
        "status": metrics[f"{key}_STATUS"],
        "reason": (reasons or {}).get(key),  # why it is UNKNOWN (or an identity ALARM)
        "ref": params.get(f"{key}_REF"),
        "normal_range": params.get(f"{key}_NORMAL_RANGE"),
        "warn_range": params.get(f"{key}_WARN_RANGE"),
        "elements": elements,
    }
