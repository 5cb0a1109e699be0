"""Ingesting QA JSON files from disk: one file, one exposure's folder, or the whole scratch tree.

The files are the source of truth (DESIGN.md 4.4): ``qa_rebuild`` recreates exposures, processes,
jobs, steps and metrics from them, and running it again changes nothing.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import (
    Exposure,
    Fibermap,
    Job,
    Metric,
    MetricNight,
    Process,
    ProcessComment,
    StepRun,
)
from qlf.dashboard.selectors.files import qlf_dir
from qlf.dashboard.services.exposures import (
    exposure_fields_from_header,
    exposure_register,
    parse_time,
)
from qlf.dashboard.services.processes import process_finish, process_start
from qlf.dashboard.services.qa_elements import qa_validate
from qlf.dashboard.services.qa_ingest import job_ingest_qa

__all__ = ["IngestReport", "qa_files_ingest", "qa_read", "qa_rebuild"]

QA_NAME = re.compile(r"^ql-[brz]\d-\d{8}\.json$")


@dataclass
class IngestReport:
    files: int = 0
    exposures: int = 0
    errors: list[str] = field(default_factory=list)


def qa_read(path: Path) -> dict:
    """The QA document of ``path``, validated (ApplicationError naming the file otherwise)."""
    try:
        qa = json.loads(Path(path).read_text(encoding="utf-8"))
        qa_validate(qa)
    except (OSError, ValueError) as exc:
        raise ApplicationError(f"{path}: cannot read QA JSON ({exc})") from exc
    except ApplicationError as exc:
        raise ApplicationError(f"{path}: {exc.message}", extra=exc.extra) from exc
    return qa


def qa_files_ingest(*, paths: Iterable[str | Path]) -> IngestReport:
    """Ingest QA files (or folders holding them) into the latest process of their exposure."""
    by_expid: dict[int, list[tuple[Path, dict]]] = defaultdict(list)
    report = IngestReport()
    for path in _expand(paths):
        try:
            qa = qa_read(path)
        except ApplicationError as exc:
            report.errors.append(exc.message)
            continue
        by_expid[qa["EXPID"]].append((path, qa))
    for expid in sorted(by_expid):
        try:
            _ingest_exposure(expid, by_expid[expid])
        except ApplicationError as exc:
            report.errors.append(f"exposure {expid}: {exc.message}")
            continue
        report.exposures += 1
        report.files += len(by_expid[expid])
    return report


def qa_rebuild(*, scratch_dir: str | Path | None = None, wipe: bool = False) -> IngestReport:
    """Rebuild the database from every QA file under the scratch directory."""
    root = Path(scratch_dir) if scratch_dir else qlf_dir("SCRATCH_DIR")
    if wipe:
        _wipe()
    return qa_files_ingest(paths=[root])


@transaction.atomic
def _wipe() -> None:
    """Delete every exposure and what hangs off it (not users, comments' authors or events).

    Plain DELETEs children first: the ORM's cascade would load millions of rows into memory.
    """
    models = (Metric, MetricNight, StepRun, ProcessComment, Job, Process, Fibermap, Exposure)
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {q(model._meta.db_table)}")


@transaction.atomic
def _ingest_exposure(expid: int, found: list[tuple[Path, dict]]) -> None:
    """Ingest into the exposure's latest process; a process is created (and closed) if none."""
    process = Process.objects.filter(exposure_id=expid, held=False).order_by("-id").first()
    created = process is None
    if created:
        first = found[0][1]
        fields = exposure_fields_from_header({**(first.get("GENERAL_INFO") or {}), **first})
        exposure_register(**fields)
        started = [t for t in (parse_time(qa.get("STARTED")) for _, qa in found) if t]
        process = process_start(
            expid=expid,
            cameras=[qa["CAMERA"] for _, qa in found],
            pipeline_version=str(first.get("PIPELINE_VERSION") or ""),
            spec_version=str(first.get("SPEC_VERSION") or ""),
            started=min(started, default=None),
        )
    for path, qa in found:
        job_ingest_qa(process_id=process.pk, qa=qa, qa_path=path)
    if created:
        ended = [t for t in (parse_time(qa.get("FINISHED")) for _, qa in found) if t]
        process_finish(process_id=process.pk, ended=max(ended, default=None))


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("ql-*.json"))
                if QA_NAME.match(p.name) and p.relative_to(path).parts[0] != "campaigns"
            )  # a campaign's files (qlf.pipeline.campaigns) are not the current results
        else:
            found.append(path)
    return found
