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

MAX_EXPOSURES = 150  # per request (about a night): applying costs one ingestion per camera
log = logging.getLogger("qlf.dashboard")


@dataclass
class _Regraded:
    job: Job
    document: dict
    after: str


def regrade_preview(*, version: str, night_from: int, night_to: int | None = None) -> dict:
    """What re-grading the nights with ``version`` would change (nothing is written)."""
    report = _Report(version, night_from, night_to)
    for process, regraded in _plan(version, night_from, night_to):
        report.add(process, regraded)
    return report.answer()


def regrade_apply(*, version: str, night_from: int, night_to: int | None = None, user) -> dict:
    """Re-grade the nights with ``version``: QA files, jobs, metric rows, statuses.

    One transaction per exposure (its cameras and its process's version), its QA files
    rewritten once it committed; one exposure at a time in memory.
    """
    report = _Report(version, night_from, night_to)
    for process, regraded in _plan(version, night_from, night_to):
        with transaction.atomic():
            for r in regraded:
                job_ingest_qa(process_id=process.pk, qa=r.document, qa_path=r.job.qa_path)
            Process.objects.filter(pk=process.pk).update(spec_version=version)
        for r in regraded:
            _write_file(r)
        report.add(process, regraded)
    answer = report.answer()
    audit_record(
        user=user,
        action="regrade.apply",
        target=f"threshold {version}",
        detail={k: answer[k] for k in ("night_from", "night_to", "exposures", "cameras")}
        | {"changed_exposures": len(answer["changed"])},
    )
    return answer


def _plan(version: str, night_from: int, night_to: int | None) -> Iterator[tuple[Process, list]]:
    """The latest process of each exposure of the nights, with its re-graded documents (lazily:
    one exposure at a time)."""
    spec = threshold_get(version=version)
    versions = {v.version: v for v in threshold_versions()}
    latest = Process.objects.filter(night__gte=night_from, held=False)
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


class _Report:
    """The answer: how many exposures and cameras, and those whose effective status changes."""

    def __init__(self, version: str, night_from: int, night_to: int | None):
        self.version, self.night_from, self.night_to = version, night_from, night_to
        self.exposures = self.cameras = 0
        self.changed: list[dict] = []

    def add(self, process: Process, regraded: list[_Regraded]) -> None:
        self.exposures += 1
        self.cameras += len(regraded)
        cameras = [
            {"camera": r.job.camera, "before": r.job.qa_status, "after": r.after}
            for r in regraded
            if r.after != r.job.qa_status
        ]
        if not cameras:
            return
        after = {**process.qa_summary, **{c["camera"]: c["after"] for c in cameras}}
        self.changed.append(
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

    def answer(self) -> dict:
        return {
            "version": self.version,
            "night_from": self.night_from,
            "night_to": self.night_to,
            "exposures": self.exposures,
            "cameras": self.cameras,
            "changed": self.changed,
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
