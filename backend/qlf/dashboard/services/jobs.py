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
) -> None:
    """Record a step event: ``state`` is started, finished or failed.

    The daemon records six a camera while both cores run cameras, so this is a few statements:
    the job's row locked, one UPDATE of the step's run (or one INSERT for its first event) and,
    when a step starts, the job's current step.
    """
    if state not in StepState.values:
        raise ApplicationError(f"unknown step state {state!r}", extra={"field": "state"})
    job_id = _job_id(process_id, camera)
    time = time or timezone.now()
    runs = StepRun.objects.filter(job_id=job_id, name=step)
    if state == StepState.STARTED:
        fields = {"state": state, "started": time, "ended": None, "duration_s": None}
    else:
        if duration_s is None:  # from its start, if it was recorded (else a run of no time)
            started = list(runs.values_list("started", flat=True)[:1])
            duration_s = _seconds(started[0], time) if started else 0.0
        fields = {"state": state, "ended": time, "error": error, "duration_s": duration_s}
    if not runs.update(**fields):
        StepRun.objects.create(job_id=job_id, name=step, **{"started": time, **fields})
    if state == StepState.STARTED:
        Job.objects.filter(pk=job_id).update(current_step=step)


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


def _job_id(process_id: int, camera: str) -> int:
    """The job's primary key, its row locked until the end of the transaction."""
    jobs = Job.objects.select_for_update().filter(process_id=process_id, camera=camera)
    job_id = jobs.values_list("pk", flat=True).first()
    if job_id is None:
        raise ApplicationError(f"process {process_id} has no job for {camera}", status_code=404)
    return job_id


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else max(0.0, (end - start).total_seconds())
