"""Re-grading history against a threshold version, without running the pipeline again.

The QA documents of the latest process of each exposure of the chosen nights are graded again
(:func:`qlf.quicklook.regrade.regrade_qa`); the preview tells which exposures and cameras would
change effective status (masks included), applying it stores the new documents (files and
database, through the ingestion service) and records the version on the processes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Job, Process, worst_status
from qlf.dashboard.selectors.files import qlf_dir
from qlf.dashboard.selectors.thresholds import threshold_get, threshold_versions
from qlf.dashboard.services.audit import audit_record
from qlf.dashboard.services.mask_statuses import qa_graded
from qlf.dashboard.services.qa_ingest import job_ingest_qa
from qlf.quicklook.io.qa_json import write_qa_json
from qlf.quicklook.regrade import regrade_qa

__all__ = ["MAX_EXPOSURES", "regrade_apply", "regrade_preview"]

MAX_EXPOSURES = 2000  # one request; a longer history is re-graded range by range
log = logging.getLogger("qlf.dashboard")


@dataclass
class _Regraded:
    job: Job
    document: dict
    after: str


def regrade_preview(*, version: str, night_from: int, night_to: int | None = None) -> dict:
    """What re-grading the nights with ``version`` would change (nothing is written)."""
    plan = list(_plan(version, night_from, night_to))
    return _report(version, night_from, night_to, plan)


def regrade_apply(*, version: str, night_from: int, night_to: int | None = None, user) -> dict:
    """Re-grade the nights with ``version``: QA files, jobs, metric rows, statuses."""
    plan = list(_plan(version, night_from, night_to))
    report = _report(version, night_from, night_to, plan)
    with transaction.atomic():
        for process, regraded in plan:
            for r in regraded:
                job_ingest_qa(process_id=process.pk, qa=r.document, qa_path=r.job.qa_path)
            Process.objects.filter(pk=process.pk).update(spec_version=version)
        audit_record(
            user=user,
            action="regrade.apply",
            target=f"threshold {version}",
            detail={k: report[k] for k in ("night_from", "night_to", "exposures", "cameras")}
            | {"changed_exposures": len(report["changed"])},
        )
    for _, regraded in plan:  # the files follow the database once it committed
        for r in regraded:
            _write_file(r)
    return report


def _plan(version: str, night_from: int, night_to: int | None) -> Iterator[tuple[Process, list]]:
    spec = threshold_get(version=version)
    versions = {v.version: v for v in threshold_versions()}
    latest = Process.objects.filter(night__gte=night_from)
    if night_to is not None:
        latest = latest.filter(night__lte=night_to)
    ids = list(latest.values("exposure_id").annotate(last=Max("id")).values_list("last", flat=True))
    if len(ids) > MAX_EXPOSURES:
        raise ApplicationError(
            f"{len(ids)} exposures in these nights: re-grade at most {MAX_EXPOSURES} at once",
            extra={"field": "night_to"},
        )
    for process in Process.objects.filter(pk__in=ids).order_by("night", "exposure_id"):
        regraded = []
        for job in Job.objects.filter(process=process, qa__isnull=False).order_by("camera"):
            previous = versions.get(job.qa.get("SPEC_VERSION"))
            document = regrade_qa(job.qa, spec, previous=previous)
            regraded.append(_Regraded(job, document, qa_graded(qa=document).status))
        yield process, regraded


def _report(version, night_from, night_to, plan) -> dict:
    changed = []
    for process, regraded in plan:
        cameras = [
            {"camera": r.job.camera, "before": r.job.qa_status, "after": r.after}
            for r in regraded
            if r.after != r.job.qa_status
        ]
        if not cameras:
            continue
        after = {**process.qa_summary, **{c["camera"]: c["after"] for c in cameras}}
        changed.append(
            {
                "expid": process.exposure_id,
                "night": process.night,
                "flavor": process.flavor,
                "process_id": process.pk,
                "before": process.qa_status,
                "after": worst_status(after.values()),
                "cameras": cameras,
            }
        )
    return {
        "version": version,
        "night_from": night_from,
        "night_to": night_to,
        "exposures": len(plan),
        "cameras": sum(len(r) for _, r in plan),
        "changed": changed,
    }


def _write_file(r: _Regraded) -> None:
    """Rewrite the QA file (the source of truth) if it lies in the scratch folder."""
    if not r.job.qa_path:
        return
    path, scratch = Path(r.job.qa_path).resolve(), qlf_dir("SCRATCH_DIR").resolve()
    if not path.is_relative_to(scratch) or not path.exists():
        return
    try:
        write_qa_json(path, r.document)
    except OSError as exc:  # the database has it; a rebuild from files would lose the re-grade
        log.error("re-graded QA not written to %s: %s", path, exc)
