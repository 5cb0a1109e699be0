"""A process: one run of the pipeline over one exposure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import (
    Exposure,
    Job,
    JobStatus,
    Process,
    ProcessStatus,
    worst_status,
)

__all__ = ["process_finish", "process_refresh_qa", "process_start"]


@transaction.atomic
def process_start(
    *,
    expid: int,
    cameras: Iterable[str],
    pipeline_version: str = "",
    spec_version: str = "",
    started: datetime | None = None,
    status: str = ProcessStatus.RUNNING,
) -> Process:
    """Open a process of exposure ``expid`` (registered before) with one queued job per camera."""
    exposure = Exposure.objects.filter(pk=expid).first()
    if exposure is None:
        raise ApplicationError(f"exposure {expid} is not registered", status_code=404)
    process = Process.objects.create(
        exposure=exposure,
        night=exposure.night,
        flavor=exposure.flavor,
        program=exposure.program,
        tile=exposure.tile,
        status=status,
        started=started or timezone.now(),
        pipeline_version=pipeline_version,
        spec_version=spec_version,
    )
    Job.objects.bulk_create([Job(process=process, camera=c) for c in sorted(set(cameras))])
    return process


@transaction.atomic
def process_finish(
    *, process_id: int, status: str | None = None, ended: datetime | None = None
) -> Process:
    """Close a process: ``status`` given (e.g. aborted) or failed if a job failed, else done."""
    process = _locked(process_id)
    if status is None:
        failed = process.jobs.filter(status=JobStatus.FAILED).exists()
        status = ProcessStatus.FAILED if failed else ProcessStatus.DONE
    if status not in ProcessStatus.values:
        raise ApplicationError(f"unknown process status {status!r}", extra={"field": "status"})
    process.status = status
    process.ended = ended or timezone.now()
    if process.started:
        process.duration_s = max(0.0, (process.ended - process.started).total_seconds())
    process.save(update_fields=["status", "ended", "duration_s"])
    process_refresh_qa(process=process)
    return process


def process_refresh_qa(
    *, process: Process, camera: str | None = None, qa_status: str | None = None
) -> None:
    """Update the per-camera QA summary and worst status of ``process``: with one camera's
    new status, or (without ``camera``) recomputed from all its jobs.

    Callers hold the process row lock, so concurrent camera ingestions do not lose updates.
    """
    if camera is None:
        summary = dict(process.jobs.exclude(qa_status="").values_list("camera", "qa_status"))
    else:
        summary = {**process.qa_summary, camera: qa_status}
    process.qa_summary = dict(sorted(summary.items()))
    process.qa_status = worst_status(summary.values())
    process.save(update_fields=["qa_summary", "qa_status"])
    if process.held:  # a campaign's result: the exposure shows its current process's until promoted
        return
    known = process.exposure if Process.exposure.is_cached(process) else None
    if known is not None and known.qa_status == process.qa_status:
        return  # the usual case while an exposure's cameras arrive: nothing to write
    newer = Process.objects.filter(exposure_id=OuterRef("pk"), pk__gt=process.pk, held=False)
    Exposure.objects.filter(pk=process.exposure_id).exclude(Exists(newer)).update(
        qa_status=process.qa_status
    )


def _locked(process_id: int) -> Process:
    process = Process.objects.select_for_update().filter(pk=process_id).first()
    if process is None:
        raise ApplicationError(f"process {process_id} does not exist", status_code=404)
    return process
