"""Progress of one camera job, as reported by the pipeline's workers."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Job, JobStatus, StepRun, StepState

__all__ = ["job_finish", "job_start", "job_step"]


@transaction.atomic
def job_start(*, process_id: int, camera: str, started: datetime | None = None) -> Job:
    """Mark a camera job as running (created if the process did not list the camera)."""
    job, _ = Job.objects.select_for_update().get_or_create(process_id=process_id, camera=camera)
    job.status = JobStatus.RUNNING
    job.started = started or timezone.now()
    job.save(update_fields=["status", "started"])
    return job


@transaction.atomic
def job_step(
    *,
    process_id: int,
    camera: str,
    step: str,
    state: str,
    time: datetime | None = None,
    duration_s: float | None = None,
    error: str = "",
) -> StepRun:
    """Record a step event: ``state`` is started, finished or failed."""
    if state not in StepState.values:
        raise ApplicationError(f"unknown step state {state!r}", extra={"field": "state"})
    job = _job(process_id, camera)
    time = time or timezone.now()
    run, _ = StepRun.objects.get_or_create(job=job, name=step, defaults={"started": time})
    run.state = state
    if state == StepState.STARTED:
        run.started, run.ended, run.duration_s = time, None, None
    else:
        run.ended, run.error = time, error
        run.duration_s = duration_s if duration_s is not None else _seconds(run.started, time)
    run.save()
    job.current_step = step if state == StepState.STARTED else job.current_step
    job.save(update_fields=["current_step"])
    return run


@transaction.atomic
def job_finish(
    *,
    process_id: int,
    camera: str,
    status: str = JobStatus.DONE,
    error: str = "",
    failed_step: str = "",
    ended: datetime | None = None,
) -> Job:
    """Close a camera job as done or failed (a worker killed mid-camera is failed, with why)."""
    if status not in (JobStatus.DONE, JobStatus.FAILED):
        raise ApplicationError(f"a job finishes done or failed, not {status!r}")
    job = _job(process_id, camera)
    job.status = status
    job.ended = ended or timezone.now()
    job.duration_s = _seconds(job.started, job.ended)
    job.error, job.failed_step, job.current_step = error, failed_step, ""
    job.save()
    return job


def _job(process_id: int, camera: str) -> Job:
    job = Job.objects.select_for_update().filter(process_id=process_id, camera=camera).first()
    if job is None:
        raise ApplicationError(f"process {process_id} has no job for {camera}", status_code=404)
    return job


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else max(0.0, (end - start).total_seconds())
