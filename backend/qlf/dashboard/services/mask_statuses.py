"""Applying masks to stored QA: the statuses of jobs, steps, processes and exposures.

The QA document on a job (and its file) keeps the statuses the thresholds gave; the status
columns (job, step run, process summary, exposure) hold the effective ones, after masks. They
are set at ingestion and set again for the nights a mask covers whenever it changes.
"""

from __future__ import annotations

from qlf.dashboard.models import Job, Process, StepRun
from qlf.dashboard.selectors.mapping import mapping_amp_keys
from qlf.dashboard.selectors.masks import masks_on
from qlf.dashboard.services.processes import process_refresh_qa
from qlf.dashboard.services.qa_masking import MaskedGrade, qa_mask

__all__ = ["job_apply_masks", "masks_reapply", "qa_graded"]


def qa_graded(*, qa: dict) -> MaskedGrade:
    """The effective statuses of one camera's QA under the masks of its camera and night."""
    masks = masks_on(camera=qa["CAMERA"], night=qa["NIGHT"])
    return qa_mask(qa, masks, amp_keys=mapping_amp_keys() if masks else frozenset())


def job_apply_masks(*, job: Job, qa: dict) -> None:
    """At ingestion, once the job and its steps hold the document's statuses: mask them."""
    grade = qa_graded(qa=qa)
    if grade.masked:
        _store(job, grade)


def masks_reapply(*, camera: str, night_from: int, night_to: int | None) -> int:
    """Set again the effective statuses of ``camera`` on the nights given; the number of
    processes whose statuses changed."""
    jobs = Job.objects.filter(
        camera=camera, qa__isnull=False, process__night__gte=night_from
    ).select_related("process")
    if night_to is not None:
        jobs = jobs.filter(process__night__lte=night_to)
    changed_processes: set[int] = set()
    for job in jobs:
        if _store(job, qa_graded(qa=job.qa)):
            changed_processes.add(job.process_id)
    for process in Process.objects.select_for_update().filter(pk__in=changed_processes):
        process_refresh_qa(process=process)
    return len(changed_processes)


def _store(job: Job, grade: MaskedGrade) -> bool:
    changed = False
    if job.qa_status != grade.status:
        job.qa_status = grade.status
        job.save(update_fields=["qa_status"])
        changed = True
    for step in StepRun.objects.filter(job=job):
        status = grade.steps.get(step.name)
        if status and status != step.qa_status:
            StepRun.objects.filter(pk=step.pk).update(qa_status=status)
            changed = True
    return changed
