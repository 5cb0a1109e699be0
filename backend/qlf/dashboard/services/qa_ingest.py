"""Ingesting one camera's QA document: Job + StepRun + Metric rows in one transaction.

Idempotent: the document's digest is kept on the job and an identical document changes nothing.
Fast: one locked read of job and process, one multi-row statement each for steps, metric
elements and night statistics.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.db import connection, transaction

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Job, JobStatus, Process, StepRun, StepState
from qlf.dashboard.services.bulk_sql import insert_rows
from qlf.dashboard.services.exposures import parse_time
from qlf.dashboard.services.mask_statuses import job_apply_masks
from qlf.dashboard.services.metric_rows import metric_rows_replace
from qlf.dashboard.services.processes import process_refresh_qa
from qlf.dashboard.services.qa_elements import qa_reasons, qa_validate

__all__ = ["job_ingest_qa", "qa_digest"]


def qa_digest(qa: dict) -> str:
    """SHA-256 of the canonical JSON of ``qa`` (ApplicationError if it holds NaN or infinity,
    which the contract forbids and the database's JSON type refuses)."""
    try:
        text = json.dumps(qa, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except ValueError as exc:
        raise ApplicationError(f"QA of {qa.get('CAMERA')} holds NaN or infinity") from exc
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def job_ingest_qa(*, process_id: int, qa: dict, qa_path: str | Path = "") -> Job:
    """Store ``qa`` (one camera's QA JSON, DESIGN.md 4.4) as its job's result in the process."""
    qa_validate(qa)
    digest = qa_digest(qa)
    _relax_commit()
    job, process = _locked_job(process_id, qa["CAMERA"])
    if qa["EXPID"] != process.exposure_id:
        raise ApplicationError(f"QA of exposure {qa['EXPID']} given to process {process_id}")
    if job.qa_digest == digest:
        return job
    _update_job(job, qa, digest, qa_path)
    _store_steps(job, qa)
    job_apply_masks(job=job, qa=qa)  # known-bad elements: their statuses do not count
    metric_rows_replace(job=job, process=process, qa=qa)
    process_refresh_qa(process=process, camera=job.camera, qa_status=job.qa_status)
    return job


def _locked_job(process_id: int, camera: str) -> tuple[Job, Process]:
    """The job and its process (with the exposure), both rows locked, in one query; the job is
    created (under the process lock) if the process did not list the camera."""
    job = (
        Job.objects.select_for_update(of=("self", "process"))
        .select_related("process__exposure")
        .defer("qa")  # replaced, never read: a re-ingested job's old document is not decoded
        .filter(process_id=process_id, camera=camera)
        .first()
    )
    if job is not None:
        return job, job.process
    process = (
        Process.objects.select_for_update(of=("self",))
        .select_related("exposure")
        .filter(pk=process_id)
        .first()
    )
    if process is None:
        raise ApplicationError(f"process {process_id} does not exist", status_code=404)
    job, _ = Job.objects.get_or_create(process=process, camera=camera)
    return job, process


def _update_job(job: Job, qa: dict, digest: str, qa_path: str | Path) -> None:
    job.qa, job.qa_digest = qa, digest
    job.qa_status = qa.get("STATUS") or "UNKNOWN"
    job.qa_reasons = qa_reasons(qa)
    job.status = JobStatus.FAILED if qa.get("ERROR") else JobStatus.DONE
    job.error = str(qa.get("ERROR") or "")
    job.failed_step = str(qa.get("FAILED_STEP") or "")
    job.current_step = ""
    job.started = parse_time(qa.get("STARTED")) or job.started
    job.ended = parse_time(qa.get("FINISHED")) or job.ended
    job.duration_s = _float(qa.get("DURATION_S"), job.duration_s)
    if qa_path:
        path = Path(qa_path)
        job.qa_path = str(path)
        job.log_path = str(path.with_suffix(".log"))
    job.save()


def _store_steps(job: Job, qa: dict) -> None:
    """Upsert one step run per task: the daemon's start/end times of a step are kept."""
    rows = []
    for name, task in qa["TASKS"].items():
        failed = task.get("ERROR") or name == qa.get("FAILED_STEP")
        state = StepState.FAILED if failed else StepState.FINISHED
        duration = _float(task.get("DURATION_S"), None)
        rows.append((job.pk, name, state, task.get("STATUS") or "UNKNOWN", duration,
                     str(task.get("ERROR") or "")))  # fmt: skip
    q = connection.ops.quote_name
    update = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in ("state", "qa_status", "error"))
    keep = f"{q('duration_s')} = COALESCE(excluded.{q('duration_s')}, "
    keep += f"{q(StepRun._meta.db_table)}.{q('duration_s')})"
    insert_rows(
        StepRun._meta.db_table,
        ("job_id", "name", "state", "qa_status", "duration_s", "error"),
        ("bigint", "text", "text", "text", "float8", "text"),
        rows,
        on_conflict=f"ON CONFLICT ({q('job_id')}, {q('name')}) DO UPDATE SET {update}, {keep}",
    )


def _relax_commit() -> None:
    """Do not wait for this transaction's WAL flush (Postgres): a crash can lose the last
    fraction of a second of ingestions but never corrupts anything, and the QA files on disk
    are re-ingested on restart (DESIGN.md 10). Saves one disk flush per camera."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _float(value, default):
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default
    )
