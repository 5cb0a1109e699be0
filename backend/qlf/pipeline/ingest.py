"""The daemon's writes: thin calls to the backend's services, retried while the database is down.

Every function here is one service call (one transaction). A database that is unreachable for a
while (DESIGN.md 10) delays the pipeline instead of losing a report: the call is retried with
back-off until ``retry_s`` has passed.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.db import InterfaceError, OperationalError, close_old_connections, connection

from qlf import __version__
from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import ProcessStatus
from qlf.dashboard.services.exposures import (
    exposure_fields_from_header,
    exposure_register,
    fibermap_store,
)
from qlf.dashboard.services.jobs import job_start, job_step
from qlf.dashboard.services.mask_statuses import qa_graded
from qlf.dashboard.services.pipeline_state import job_fail, process_begin
from qlf.dashboard.services.processes import process_finish, process_start
from qlf.dashboard.services.qa_files import qa_read
from qlf.dashboard.services.qa_ingest import job_ingest_qa
from qlf.dashboard.services.qa_masking import MaskedGrade
from qlf.dashboard.services.thresholds import process_threshold, spec_document
from qlf.pipeline.discovery import cameras_to_run, parse_raw_path, raw_summary
from qlf.quicklook.io.fibermap import fibermap_path, read_fibermap

__all__ = [
    "Registered",
    "db_retry",
    "exposure_enqueue",
    "job_failed",
    "job_ingest",
    "job_started",
    "job_stepped",
    "process_close",
    "process_open",
    "process_spec",
    "qa_effective",
]

log = logging.getLogger("qlf.pipeline")
T = TypeVar("T")


@dataclass(frozen=True)
class Registered:
    process_id: int
    expid: int
    night: int
    flavor: str
    cameras: tuple[str, ...]
    cut: str | None = None  # the file ends inside an unnamed header (cameras may be missing)


def db_retry(call: Callable[[], T], *, retry_s: float = 60.0) -> T:
    """``call()``, retried with back-off while the database is unreachable."""
    deadline, delay = time.monotonic() + retry_s, 0.2
    while True:
        try:
            return call()
        except (OperationalError, InterfaceError) as exc:
            if time.monotonic() > deadline or connection.in_atomic_block:
                raise  # inside a transaction: its owner retries the whole of it
            log.warning("database unavailable (%s); retrying in %.1f s", exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
            close_old_connections()


def exposure_enqueue(raw_path: Path, config) -> Registered:
    """Register the exposure of ``raw_path`` (and its fibermap) and queue a process for it.

    The exposure is the one the path names (DESIGN.md 4.3): a file whose headers name another
    exposure is registered, processed and filed under its path's EXPID and NIGHT, never over the
    exposure its headers name; its cameras grade the disagreement (CHECKHDUS). The cameras run
    are those in the file and those the instrument has (:func:`cameras_to_run`): a camera
    missing from the file is run, and graded ALARM, rather than passed over in silence.
    Raises ValueError naming the file when its headers cannot be read.
    """
    header, present, cut = raw_summary(raw_path)
    fields = exposure_fields_from_header(header)
    cameras = cameras_to_run(present, config)
    night, expid = parse_raw_path(Path(raw_path)) or (int(fields["night"]), int(fields["expid"]))
    if (night, expid) != (int(fields["night"]), int(fields["expid"])):
        log.error(
            "%s: the path names exposure %d of night %d, the SPEC header %s of night %s; "
            "registered under the path's",
            raw_path, expid, night, fields["expid"], fields["night"],
        )  # fmt: skip
    fields.update(expid=expid, night=night)
    columns, tile = _fibermap(config.data_dir, fields["night"], fields["expid"])

    def write():
        exposure_register(**fields)
        if columns is not None:
            fibermap_store(expid=fields["expid"], columns=columns, tile=tile)
        return process_start(
            expid=fields["expid"],
            cameras=cameras,
            pipeline_version=__version__,
            status=ProcessStatus.QUEUED,
        )

    process = db_retry(write)
    return Registered(process.pk, fields["expid"], fields["night"], fields["flavor"], cameras, cut)


def process_open(process_id: int):
    return db_retry(lambda: process_begin(process_id=process_id))


def job_started(process_id: int, camera: str) -> None:
    db_retry(lambda: job_start(process_id=process_id, camera=camera))


def job_stepped(process_id: int, camera: str, event: dict[str, Any]) -> None:
    db_retry(
        lambda: job_step(
            process_id=process_id,
            camera=camera,
            step=event["step"],
            state=event["state"],
            duration_s=event.get("duration_s"),
        )
    )


def job_ingest(process_id: int, qa_path: str | Path) -> dict[str, Any]:
    """Ingest one camera's QA file into its job; returns the QA document."""
    qa = qa_read(Path(qa_path))
    db_retry(lambda: job_ingest_qa(process_id=process_id, qa=qa, qa_path=qa_path))
    return qa


def qa_effective(qa: dict[str, Any]) -> MaskedGrade:
    """The statuses of an ingested QA document under the masks of its camera and night."""
    return db_retry(lambda: qa_graded(qa=qa))


def process_spec(process, specs_dir: Path) -> dict[str, Any] | None:
    """The threshold document that grades ``process`` (files of ``specs_dir`` and database
    versions), resolved here and sent with each camera job: a worker needs no database.
    None when no version applies (the runner then fails each camera with that error)."""
    try:
        return spec_document(
            db_retry(lambda: process_threshold(process=process, specs_dir=specs_dir))
        )
    except ApplicationError as exc:
        log.error("process %d: %s", process.pk, exc.message)
        return None


def job_failed(process_id: int, camera: str, error: str, log_path: Path | None = None) -> None:
    """Record the job failed; with ``log_path``, first append the error to the camera's log (the
    log the screens show), so the failure reads there too."""
    if log_path is not None:
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with log_path.open("a") as handle:
                handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} ERROR {error}\n")
        except OSError as exc:  # a full disk: the database still records the failure
            log.error("cannot write %s: %s", log_path, exc)
    path = str(log_path) if log_path is not None else ""
    db_retry(lambda: job_fail(process_id=process_id, camera=camera, error=error, log_path=path))


def process_close(process_id: int):
    return db_retry(lambda: process_finish(process_id=process_id))


def _fibermap(data_dir: Path, night: int, expid: int) -> tuple[dict | None, int | None]:
    path = fibermap_path(data_dir, night, expid)
    if not path.exists():
        return None, None
    try:
        table = read_fibermap(path)
    except ValueError as exc:
        log.error("fibermap not stored: %s", exc)
        return None, None
    columns = {name: [_plain(v) for v in table[name].tolist()] for name in table.colnames}
    tile = table.meta.get("TILEID")
    return columns, int(tile) if tile is not None else None


def _plain(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bytes):
        return value.decode("ascii", "replace")
    return value
