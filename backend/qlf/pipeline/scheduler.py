"""The pipeline's loop: discover, queue, run one exposure's camera jobs, ingest, publish.

Everything here runs in one thread (the daemon's loop), so database writes and event sequence
numbers are serialised without locks. States (``pipeline.status``):

- ``stopped``: neither discovering nor processing (the operator stopped it, or never started);
- ``idle``: started, discovering, nothing to process;
- ``running``: processing an exposure, still discovering (new exposures are queued);
- ``stopping``: stop requested; jobs not yet started were withdrawn, running ones finish.

A process interrupted by a stop or by the daemon's death stays ``running`` in the database and
is resumed first at the next start: its unfinished cameras run again, except those whose QA file
of this run is already on disk, which are ingested from it (ingestion is idempotent).
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import InterfaceError, OperationalError, close_old_connections, transaction

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.events import EventPublisher, Publisher
from qlf.dashboard.models import Exposure, JobStatus, Process
from qlf.dashboard.selectors.alarms import RESET_EVENT, alert_repeats
from qlf.dashboard.selectors.thresholds import threshold_get
from qlf.dashboard.services.exposures import parse_time
from qlf.dashboard.services.pipeline_state import (
    pipeline_known_expids,
    pipeline_queue,
    pipeline_reset,
    pipeline_reset_preview,
    process_is_rerun,
    process_unfinished_jobs,
)
from qlf.dashboard.services.processes import process_start
from qlf.dashboard.services.qa_elements import qa_reasons
from qlf.pipeline import ingest
from qlf.pipeline.campaigns import JOB_PREFIX, CampaignRunner
from qlf.pipeline.discovery import Discovery, cameras_to_run, raw_summary
from qlf.pipeline.executors import Executor, make_executor
from qlf.pipeline.executors.job import DEFAULT_JOB, camera_spec
from qlf.quicklook.io.atomic import write_text_atomic
from qlf.quicklook.io.qa_json import qa_json_path
from qlf.quicklook.specs import DEFAULT_SPECS_DIR

__all__ = ["STATES", "Scheduler"]

log = logging.getLogger("qlf.pipeline")
STATES = ("idle", "running", "stopping", "stopped")
_ALERT_LEVELS = ("WARNING", "ALARM")
_DB_CHECK_S = 60.0  # how often idle or broken database connections are dropped


@dataclass
class _Job:
    camera: str
    status: str = JobStatus.QUEUED
    step: str = ""


@dataclass
class _Active:
    process_id: int
    expid: int
    night: int
    raw_path: Path
    raw_mtime: float | None
    t0: float
    attempt: int  # stale reports of an earlier attempt at the same process are ignored
    jobs: dict[str, _Job] = field(default_factory=dict)
    last_ingest: float | None = None
    withdrawn: bool = False
    timed_from: float | None = None  # readout to QA counts from here (default: raw_mtime)

    def open_jobs(self) -> list[_Job]:
        return [j for j in self.jobs.values() if j.status not in (JobStatus.DONE, JobStatus.FAILED)]


class Scheduler:
    def __init__(
        self,
        config,
        *,
        executor: Executor | None = None,
        publisher: Publisher | None = None,
        job_function: str = DEFAULT_JOB,
    ):
        self.config = config
        self.executor = executor or make_executor(config, job_function=job_function)
        self.publisher = publisher or EventPublisher()
        self.discovery = _discovery(config)
        self.state = "stopped"
        self.current: _Active | None = None
        self.queue: list[int] = []
        self.last: dict[str, Any] = {}
        self._next_scan = 0.0
        self._executor_started = False
        self._attempts = 0
        self._next_db_check = 0.0
        self._published: dict[str, Any] | None = None
        self.campaigns = CampaignRunner(
            config, self.executor, self._publish, raw_path=_raw_path, specs_dir=_specs_dir(config)
        )
        self._disk_held = False

    # -- control ---------------------------------------------------------------------------

    def start(self) -> dict[str, Any]:
        if self.state == "stopping":
            self.state = "running"  # withdrawn jobs run when the process is resumed, next
        if self.state == "stopped":
            self.discovery.known = ingest.db_retry(pipeline_known_expids)
            if not self._executor_started:
                self.executor.start()
                self._executor_started = True
            self.state = "idle"
            self._next_scan = 0.0
        self._refresh_queue()
        return self.status()

    def stop(self) -> dict[str, Any]:
        if self.current is None:
            self.state = "stopped"
        elif self.state != "stopped":
            self.state = "stopping"
            for job_id in self._live_jobs(self.executor.cancel_pending()):
                camera = job_id.split(":")[1]
                self.current.jobs.pop(camera, None)  # stays queued in the database
                self.current.withdrawn = True
            self._close_if_done()
        self._publish_status()
        return self.status()

    def reset(self) -> dict[str, Any]:
        """Stop, kill running jobs, forget all processing and delete the scratch products."""
        self.executor.cancel_pending()
        if self._executor_started:
            self.executor.shutdown()  # kills running jobs; restarted on the next start
            self._executor_started = False
        self.current, self.state = None, "stopped"
        self.campaigns.forget()
        counts = ingest.db_retry(pipeline_reset)
        counts["scratch_removed"] = _clear_scratch(self.config)
        self.discovery = _discovery(self.config)
        self.last = {}
        # Every Monitor forgets the exposures and clears the open alarms at once.
        self._publish(RESET_EVENT, {"processes": counts["processes"], "alarms": counts["alarms"]})
        self._refresh_queue()
        return {"reset": True, **counts, **self.status()}

    def reset_preview(self) -> str:
        """What a Reset would delete, in words for the operator's confirmation."""
        counts = ingest.db_retry(pipeline_reset_preview)
        return (
            f"Reset deletes {counts['processes']} processes of {counts['exposures']} exposures "
            "(their QA results and scratch products) and clears "
            f"{counts['alarms']} open alarms; the pipeline stops."
        )

    def reprocess(self, expid: int, spec_version: str | None = None) -> dict[str, Any]:
        """Queue a new process of ``expid``, graded by ``spec_version`` (default: in force)."""
        exposure = Exposure.objects.filter(pk=expid).first()
        if exposure is None:
            raise ApplicationError(f"exposure {expid} is not registered", status_code=404)
        raw = _raw_path(self.config.data_dir, exposure.night, expid)
        if not raw.exists():
            raise ApplicationError(f"raw file of exposure {expid} not found: {raw}")
        cameras = list(cameras_to_run(raw_summary(raw).cameras, self.config))
        if spec_version:
            threshold_get(version=spec_version, specs_dir=_specs_dir(self.config))  # 404 if none
        process = process_start(
            expid=expid, cameras=cameras, status="queued", pipeline_version=_version(),
            spec_version=spec_version or "",
        )  # fmt: skip
        self._refresh_queue()
        return {"queued": expid, "process_id": process.pk, **self.status()}

    def recover(self) -> None:
        """After an unexpected error: drop the exposure in hand; it stays running in the
        database and is resumed by the next turn (cameras done are not run again)."""
        self.executor.cancel_pending()
        self.campaigns.forget()
        if self.current is not None:
            self.current = None
            self.state = "stopped" if self.state == "stopping" else "idle"

    def status(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "queue": list(self.queue),
            "current": self.current.expid if self.current else None,
        }

    # -- the loop --------------------------------------------------------------------------

    def tick(self, timeout: float) -> bool:
        """One turn of the loop; False when there is nothing to wait for but time."""
        if time.monotonic() >= self._next_db_check:
            # Not every turn: with CONN_MAX_AGE 0 this closes the connection, and reopening a
            # SQLite database (a WAL checkpoint on close) costs more than the turn's writes.
            close_old_connections()
            self._next_db_check = time.monotonic() + _DB_CHECK_S
        if self.state in ("idle", "running") and time.monotonic() >= self._next_scan:
            self._discover()
            self._next_scan = time.monotonic() + self.config.poll_s
            if self.discovery.next_due is not None:  # a file completes before the next poll
                soon = time.monotonic() + max(0.01, self.discovery.next_due - time.time())
                self._next_scan = min(self._next_scan, soon)
        if self.current is None and self.state in ("idle", "running"):
            self._begin_next()
        self.campaigns.turn(may_start=self.state in ("idle", "running"))  # after live jobs
        if self.current is None and not self.campaigns.busy():
            self._publish_status()
            return False
        wait = min(timeout, max(0.0, self._next_scan - time.monotonic()))
        self._handle_batch(self.executor.poll(wait))
        self._close_if_done()
        self._publish_status()
        return True

    def seconds_to_next_scan(self) -> float:
        if self.state not in ("idle", "running"):
            return self.config.poll_s
        return max(0.0, self._next_scan - time.monotonic())

    # -- discovery and queue ---------------------------------------------------------------

    def _discover(self) -> None:
        for raw in self.discovery.scan():
            t0 = time.perf_counter()
            try:
                registered = ingest.exposure_enqueue(raw.path, self.config)
            except (ValueError, ApplicationError) as exc:
                message = getattr(exc, "message", None) or str(exc)
                log.error("exposure %d not registered: %s", raw.expid, message)
                self.discovery.reject(raw)
                self._alert(
                    {
                        "level": "ALARM",
                        "camera": "",
                        "expid": raw.expid,
                        "text": f"exposure {raw.expid} cannot be read: {message}",
                        "metrics": ["EXPOSURE_UNREADABLE"],
                    },
                )
                continue
            self.discovery.known.add(raw.expid)
            log.info(
                "exposure %d discovered %.2f s after its file was written, registered in %.2f s",
                raw.expid, time.time() - raw.mtime, time.perf_counter() - t0,
            )  # fmt: skip
            self._publish(
                "exposure.discovered",
                {"expid": registered.expid, "night": registered.night, "flavor": registered.flavor},
            )
            self.queue.append(registered.expid)
            if registered.cut:  # the cut camera is unknown: the file is named instead
                text = f"exposure {raw.expid}: {registered.cut}; cameras after it are missing"
                self._publish(
                    "alert", {"level": "ALARM", "camera": "", "expid": raw.expid, "text": text}
                )

    def _refresh_queue(self) -> None:
        waiting = ingest.db_retry(pipeline_queue)
        current = self.current.process_id if self.current else None
        self.queue = [p.exposure_id for p in waiting if p.pk != current]
        self._publish_status()

    def _begin_next(self) -> None:
        waiting = ingest.db_retry(pipeline_queue)
        if not waiting:
            self.state, self.queue = "idle", []
            return
        if self._held_for_disk(waiting[0].exposure_id):
            self.state, self.queue = "idle", [p.exposure_id for p in waiting]
            return
        process = ingest.process_open(waiting[0].pk)
        raw = _raw_path(self.config.data_dir, process.night, process.exposure_id)
        try:
            mtime = raw.stat().st_mtime
        except OSError:
            mtime = None
        self._attempts += 1
        active = _Active(
            process.pk, process.exposure_id, process.night, raw, mtime, time.time(), self._attempts
        )
        if ingest.db_retry(lambda: process_is_rerun(process)) and process.started:
            active.timed_from = process.started.timestamp()  # a reprocess: from its start
        self.current, self.state = active, "running"
        self.queue = [p.exposure_id for p in waiting[1:]]
        spec = ingest.process_spec(process, _specs_dir(self.config))
        self._publish(
            "process.started",
            {
                "process_id": process.pk,
                "expid": process.exposure_id,
                "status": process.status,
                "duration_s": None,
            },
        )
        for job in ingest.db_retry(lambda: process_unfinished_jobs(process_id=process.pk)):
            active.jobs[job.camera] = _Job(job.camera)
            qa_path = qa_json_path(
                self.config.scratch_dir, process.night, process.exposure_id, job.camera
            )
            if _written_by(qa_path, process):
                log.info("%s of %d: QA on disk, ingesting it", job.camera, process.exposure_id)
                self._ingest(active, job.camera, {"qa_path": str(qa_path)})
                continue
            self.executor.submit(
                f"{process.pk}:{job.camera}:{active.attempt}",
                camera_spec(raw, job.camera, self.config, spec=spec),
            )

    def free_bytes(self) -> int:
        """Free bytes on the scratch disk (unknown: plenty)."""
        try:
            return shutil.disk_usage(self.config.scratch_dir).free
        except OSError:
            return 2**62

    def _held_for_disk(self, expid: int) -> bool:
        """True while the scratch disk has less than ``disk_min_free_mb`` free: every camera of
        an exposure started now would fail at once, so the queue waits (one ALARM when it
        starts waiting, one WARNING when it resumes)."""
        free, need = self.free_bytes(), self.config.disk_min_free_mb * 2**20
        where = f"the scratch disk ({self.config.scratch_dir})"
        if free < need:
            if not self._disk_held:
                self._disk_held = True
                text = (f"processing held: {where} has {free / 2**20:.0f} MB free, less than "
                        f"QLF_DISK_MIN_FREE_MB={self.config.disk_min_free_mb:g}; "
                        "free space to resume")  # fmt: skip
                log.error(text)
                self._publish("alert", {"level": "ALARM", "camera": "", "expid": expid,
                                        "text": text, "metrics": ["DISK_FULL"]})  # fmt: skip
            return True
        if self._disk_held:
            self._disk_held = False
            text = f"processing resumed: {where} has {free / 2**20:.0f} MB free"
            log.info(text)
            self._publish("alert", {"level": "WARNING", "camera": "", "expid": expid,
                                    "text": text, "metrics": ["DISK_FULL"]})  # fmt: skip
        return False

    # -- worker reports --------------------------------------------------------------------

    def _handle_batch(self, messages: list[dict[str, Any]]) -> None:
        """Handle the reports of one poll in one transaction (one commit, not one per write).

        Should the database fail meanwhile, nothing of the batch was committed or delivered
        (events are sent on commit), and it is handled again report by report, with retries.
        """
        messages = self.campaigns.take(messages)
        if not messages:
            return
        active = self.current
        saved = {c: (j.status, j.step) for c, j in active.jobs.items()} if active else {}
        try:
            with transaction.atomic():
                for message in messages:
                    self._handle(message)
        except (OperationalError, InterfaceError) as exc:
            log.warning("database error in a batch of %d reports (%s)", len(messages), exc)
            close_old_connections()
            for camera, (status, step) in saved.items():  # as before the rolled-back batch
                if camera in active.jobs:
                    active.jobs[camera].status, active.jobs[camera].step = status, step
            for message in messages:
                self._handle(message)

    def _handle(self, message: dict[str, Any]) -> None:
        active = self.current
        process_id, camera, attempt = message["job"].split(":")
        if (
            active is None
            or (int(process_id), int(attempt)) != (active.process_id, active.attempt)
            or camera not in active.jobs
            or active.jobs[camera].status in (JobStatus.DONE, JobStatus.FAILED)
        ):
            return  # a report of a job withdrawn (stop, reset) or of an earlier attempt
        job = active.jobs[camera]
        kind = message["kind"]
        if kind == "started":
            job.status = JobStatus.RUNNING
            ingest.job_started(active.process_id, camera)
        elif kind == "event":
            self._event(active, job, message["event"])
        elif kind == "result":
            self._ingest(active, camera, message["result"])
        elif kind == "failed":
            self._fail(active, job, message["error"])

    def _event(self, active: _Active, job: _Job, event: dict[str, Any]) -> None:
        if event.get("type") == "step":
            job.step = event["step"] if event["state"] == "started" else job.step
            ingest.job_stepped(active.process_id, job.camera, event)
            self._publish(
                "job.step",
                {
                    "process_id": active.process_id,
                    "camera": job.camera,
                    "step": event["step"],
                    "state": event["state"],
                    "duration_s": event.get("duration_s"),
                },
            )
        elif event.get("type") == "log":
            self._publish(
                "job.log",
                {"process_id": active.process_id, "camera": job.camera, "lines": event["lines"]},
            )

    def _ingest(self, active: _Active, camera: str, result: dict[str, Any]) -> None:
        job = active.jobs[camera]
        try:
            qa = ingest.job_ingest(active.process_id, result["qa_path"])
        except ApplicationError as exc:
            self._fail(active, job, result.get("error") or exc.message)
            return
        job.status = JobStatus.FAILED if qa.get("ERROR") else JobStatus.DONE
        active.last_ingest = time.time()
        grade = ingest.qa_effective(qa)  # statuses once known-bad elements are masked
        status, steps = grade.status, grade.steps
        self._publish(
            "qa.ingested",
            {
                "process_id": active.process_id, "camera": camera, "status": status,
                "steps": steps, "reasons": qa_reasons(qa),
            },
        )  # fmt: skip
        if qa.get("ERROR"):  # the camera could not be processed: as loud as a dead worker
            text = f"{camera} of {active.expid} failed: {qa['ERROR']}"
            alert = {"level": "ALARM", "camera": camera, "expid": active.expid, "text": text,
                     "metrics": ["CAMERA_FAILED"]}  # fmt: skip
            self._alert(alert)
        if status in _ALERT_LEVELS:
            self._alert(
                {
                    "level": status,
                    "camera": camera,
                    "expid": active.expid,
                    "text": _alert_text(camera, active.expid, status, grade.keys_at(status)),
                    "metrics": [k.rpartition("/")[2] for k in grade.keys_at(status)],
                },
            )

    def _fail(self, active: _Active, job: _Job, error: str) -> None:
        log.error("%s of %d failed: %s", job.camera, active.expid, error)
        job.status = JobStatus.FAILED
        log_path = qa_json_path(self.config.scratch_dir, active.night, active.expid, job.camera)
        ingest.job_failed(active.process_id, job.camera, error, log_path.with_suffix(".log"))
        base = {"process_id": active.process_id, "camera": job.camera}
        if job.step:
            failed = {"step": job.step, "state": "failed", "duration_s": None}
            self._publish("job.step", {**base, **failed})
        self._publish("job.log", {**base, "lines": [f"ERROR {error}"]})
        text = f"{job.camera} of {active.expid} failed: {error}"
        alert = {"level": "ALARM", "camera": job.camera, "expid": active.expid, "text": text,
                 "metrics": ["CAMERA_FAILED"]}  # fmt: skip
        self._alert(alert)

    def _alert(self, alert: dict[str, Any]) -> None:
        """Raise ``alert`` unless it was raised since the last Reset (a reprocess finding the
        same problem again: its alarm stays acknowledged, or open, once)."""
        if ingest.db_retry(lambda: alert_repeats(alert)):
            log.info("alert not raised again: %s", alert["text"])
            return
        self._publish("alert", alert)

    def _close_if_done(self) -> None:
        active = self.current
        if active is None or active.open_jobs():
            return
        if active.withdrawn:  # stopped: the process stays running in the database, resumed later
            self.current = None
            self.state = "stopped" if self.state == "stopping" else "idle"  # idle: started again
            self._refresh_queue()
            return
        process = ingest.process_close(active.process_id)
        timed_from = active.timed_from or active.raw_mtime
        latency = active.last_ingest - timed_from if active.last_ingest and timed_from else None
        self.last = {
            "expid": active.expid,
            "process_id": active.process_id,
            "status": process.status,
            "qa_status": process.qa_status,
            "duration_s": process.duration_s,
            "readout_to_qa_s": latency,
        }
        self._record_timings(active, process, latency)
        log.info(
            "exposure %d %s (QA %s) in %.2f s, readout to QA %s s",
            active.expid, process.status, process.qa_status or "-", process.duration_s or 0,
            f"{latency:.2f}" if latency is not None else "?",
        )  # fmt: skip
        self._publish(
            "process.finished",
            {
                "process_id": process.pk,
                "expid": active.expid,
                "status": process.status,
                "duration_s": process.duration_s,
            },
        )
        self.current = None
        self.state = "stopped" if self.state == "stopping" else "idle"
        self._refresh_queue()

    def _record_timings(self, active: _Active, process: Process, latency: float | None) -> None:
        """Keep the process's timings beside its QA files: ``process-{ID}.json``."""
        discovered = (
            Exposure.objects.filter(pk=active.expid).values_list("discovered_at", flat=True).first()
        )
        folder = Path(self.config.scratch_dir) / str(active.night) / f"{active.expid:08d}"
        doc = {
            "PROCESS_ID": process.pk,
            "EXPID": active.expid,
            "NIGHT": active.night,
            "STATUS": process.status,
            "QA_STATUS": process.qa_status,
            "RAW_MTIME": _iso(active.raw_mtime),
            "DISCOVERED": discovered.isoformat() if discovered else None,
            "STARTED": process.started.isoformat() if process.started else None,
            "FINISHED": process.ended.isoformat() if process.ended else None,
            "DURATION_S": process.duration_s,
            "READOUT_TO_QA_S": latency,
        }
        try:
            write_text_atomic(folder / f"process-{process.pk}.json", json.dumps(doc, indent=1))
        except OSError as exc:  # a full disk must not stop the night
            log.error("timings of process %d not written: %s", process.pk, exc)

    # -- events ----------------------------------------------------------------------------

    def _publish(self, type: str, payload: dict[str, Any]) -> None:
        ingest.db_retry(lambda: self.publisher.publish(type, payload))

    def _live_jobs(self, job_ids: list[str]) -> list[str]:
        """``job_ids`` of the live exposure; campaign ones go back to the campaign runner."""
        self.campaigns.withdrawn([j for j in job_ids if j.startswith(JOB_PREFIX)])
        return [j for j in job_ids if not j.startswith(JOB_PREFIX)]

    def _publish_status(self) -> None:
        status = self.status()
        if status != self._published:
            self._published = status
            self._publish("pipeline.status", status)


def _discovery(config) -> Discovery:
    """Discovery of ``config``'s data directory; refused files are remembered in ``var/``."""
    rejections = config.var_dir / "rejected-raw.json" if config.var_dir else None
    return Discovery(config.data_dir, settle_s=config.settle_s, rejections=rejections)


def _raw_path(data_dir: Path, night: int, expid: int) -> Path:
    return Path(data_dir) / str(night) / f"{expid:08d}" / f"desi-{expid:08d}.fits.fz"


def _written_by(qa_path: Path, process: Process) -> bool:
    """Whether ``qa_path`` exists and was started during ``process`` (not an older run)."""
    if not qa_path.exists() or process.started is None:
        return False
    try:
        started = parse_time(json.loads(qa_path.read_text()).get("STARTED"))
    except (OSError, ValueError):
        return False
    return started is not None and started >= process.started


def _iso(epoch: float | None) -> str | None:
    return datetime.fromtimestamp(epoch, UTC).isoformat() if epoch else None


def _alert_text(camera: str, expid: int, status: str, keys: list[str]) -> str:
    return f"{camera} of {expid}: {status} in {', '.join(keys) or 'QA'}"


def _clear_scratch(config) -> int:
    """Delete the night folders of the scratch directory (never the data directory)."""
    scratch, data = Path(config.scratch_dir).resolve(), Path(config.data_dir).resolve()
    if scratch == data or data.is_relative_to(scratch) or scratch.is_relative_to(data):
        log.error("scratch %s overlaps data %s: scratch products not removed", scratch, data)
        return 0
    removed = 0
    shutil.rmtree(scratch / "campaigns", ignore_errors=True)  # qlf.pipeline.campaigns
    for night in scratch.glob("[0-9]" * 8):
        if night.is_dir():
            shutil.rmtree(night, ignore_errors=True)
            removed += 1
    return removed


def _specs_dir(config) -> Path:
    return Path(config.specs_dir) if config.specs_dir else DEFAULT_SPECS_DIR


def _version() -> str:
    from qlf import __version__

    return __version__
