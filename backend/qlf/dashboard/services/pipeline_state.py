"""The pipeline daemon's state in the database: its queue, resuming, failing jobs, reset.

The queue is the processes with status ``queued`` (in id order) after those left ``running``
by a daemon that stopped or died, so it survives restarts with no table of its own. Campaign
processes are not in it: the campaign runner (``qlf.pipeline.campaigns``) runs them.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from qlf.dashboard.models import (
    Campaign,
    Event,
    Exposure,
    Job,
    JobStatus,
    MetricNight,
    Process,
    ProcessStatus,
)
from qlf.dashboard.selectors.alarms import alarm_open_count
from qlf.dashboard.services.jobs import job_finish

__all__ = [
    "job_fail",
    "pipeline_known_expids",
    "pipeline_queue",
    "pipeline_reset",
    "pipeline_reset_preview",
    "process_begin",
    "process_is_rerun",
    "process_unfinished_jobs",
]


def pipeline_queue() -> list[Process]:
    """Processes waiting to run: interrupted ones first, then queued ones, each in id order."""
    active = (ProcessStatus.RUNNING, ProcessStatus.QUEUED)
    processes = Process.objects.filter(status__in=active, campaign=None).order_by("id")
    return sorted(processes, key=lambda p: (p.status != ProcessStatus.RUNNING, p.pk))


def pipeline_known_expids() -> set[int]:
    return set(Exposure.objects.values_list("expid", flat=True))


@transaction.atomic
def process_begin(*, process_id: int, started: datetime | None = None) -> Process:
    """Mark a queued process running (an interrupted one keeps its start time)."""
    process = Process.objects.select_for_update().get(pk=process_id)
    if process.status == ProcessStatus.QUEUED or process.started is None:
        process.started = started or timezone.now()
    process.status = ProcessStatus.RUNNING
    process.ended, process.duration_s = None, None
    process.save(update_fields=["status", "started", "ended", "duration_s"])
    return process


def process_is_rerun(process: Process) -> bool:
    """Whether ``process`` runs an exposure again (an earlier process of it exists)."""
    return Process.objects.filter(exposure_id=process.exposure_id, pk__lt=process.pk).exists()


@transaction.atomic
def process_unfinished_jobs(*, process_id: int) -> list[Job]:
    """The jobs of a process still to run; jobs left running by a dead worker are queued again."""
    jobs = list(
        Job.objects.select_for_update()
        .filter(process_id=process_id)
        .exclude(status__in=(JobStatus.DONE, JobStatus.FAILED))
        .order_by("camera")
    )
    for job in jobs:
        if job.status != JobStatus.QUEUED:
            job.status, job.current_step = JobStatus.QUEUED, ""
            job.save(update_fields=["status", "current_step"])
    return jobs


@transaction.atomic
def job_fail(*, process_id: int, camera: str, error: str, log_path: str = "") -> Job:
    """Fail a job that could not report (its worker died or it timed out)."""
    job = job_finish(
        process_id=process_id,
        camera=camera,
        status=JobStatus.FAILED,
        error=error,
        failed_step=Job.objects.get(process_id=process_id, camera=camera).current_step,
    )
    if log_path:
        job.log_path = log_path
        job.save(update_fields=["log_path"])
    return job


def pipeline_reset_preview() -> dict[str, int]:
    """What :func:`pipeline_reset` would delete, and the open alarms it would clear."""
    return {
        "processes": Process.objects.count(),
        "exposures": Exposure.objects.count(),
        "alarms": alarm_open_count()["open"],
    }


@transaction.atomic
def pipeline_reset() -> dict[str, int]:
    """Forget all processing: exposures (re-registered when discovered again), processes,
    jobs, steps, metrics and their nightly statistics. The event journal is kept so that
    sequence numbers keep increasing; the caller journals a ``pipeline.reset`` event, which
    clears the open alarms (``selectors/alarms.py``). Raw data and QA files are not touched here.
    """
    counts = pipeline_reset_preview()
    MetricNight.objects.all().delete()
    Process.objects.all().delete()
    Campaign.objects.all().delete()
    Exposure.objects.all().delete()
    counts["events_kept"] = Event.objects.count()
    return counts
