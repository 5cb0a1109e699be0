"""The campaign runner: campaigns' camera jobs on spare workers, never ahead of live data.

Part of the scheduler's loop (one thread, like everything there). Each turn the scheduler first
opens the next live exposure and submits its cameras; then :meth:`CampaignRunner.turn` hands
campaign cameras to the executor only while it has ``spare()`` capacity — on the local pool none
while a live camera waits, else its idle workers and one more waiting per worker, which the pool
hands out only when no live job waits (a live exposure that arrives waits at most for the
campaign cameras already running); on Celery a free slot of the campaign queue
(``QLF_CELERY_CAMPAIGN_QUEUE``, its own workers).

Campaign processes are held (they never change what is shown, docs/operations.md) and quiet:
no ``process.*``, ``job.*``, ``qa.ingested`` or ``alert`` events, only ``campaign.progress``.
Their QA files go to ``{scratch}/campaigns/{id}/{NIGHT}/{EXPID}/`` so the current result's
files stay in place until promotion. A campaign's state lives in the database (pause, resume,
cancel and promote are services), read again each second, so a daemon that restarts goes on
where it was: processes left running are resumed, their unfinished cameras run again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import CampaignState, Job, Process, ProcessStatus
from qlf.dashboard.selectors.campaigns import campaign_progress
from qlf.dashboard.selectors.history import exposure_list
from qlf.dashboard.selectors.thresholds import threshold_get
from qlf.dashboard.services.campaigns import (
    campaign_act,
    campaign_create,
    campaign_finish_if_complete,
    campaign_promote_some,
)
from qlf.dashboard.services.pipeline_state import process_unfinished_jobs
from qlf.pipeline import ingest
from qlf.pipeline.discovery import raw_summary
from qlf.pipeline.executors.job import camera_spec
from qlf.quicklook.io.qa_json import qa_json_path

__all__ = ["JOB_PREFIX", "PROGRESS_FIELDS", "CampaignRunner", "campaign_scratch"]

log = logging.getLogger("qlf.pipeline")
JOB_PREFIX = "campaign:"  # job ids: campaign:<process id>:<camera>:<attempt>
PROGRESS_FIELDS = ("state", "total", "done", "failed", "aborted", "running", "queued",
                   "remaining", "superseded", "promoted_exposures", "rate_per_hour",
                   "eta_s")  # fmt: skip
_SYNC_S = 1.0  # campaign states read again from the database
_PROGRESS_S = 1.0  # at most one campaign.progress a second per campaign (state changes at once)
_PROMOTE_SLICE = 5  # exposures promoted per turn: live work is never held up for long
_OPEN = (ProcessStatus.QUEUED, ProcessStatus.RUNNING)
Publish = Callable[[str, dict[str, Any]], None]


def campaign_scratch(scratch_dir: Path, campaign_id: int) -> Path:
    """Where a campaign's QA files and logs go (promotion leaves them there)."""
    return Path(scratch_dir) / "campaigns" / str(campaign_id)


@dataclass
class _Open:
    """A campaign process being run: cameras still to submit, cameras submitted."""

    process_id: int
    campaign_id: int
    expid: int
    night: int
    raw: Path
    spec: dict[str, Any] | None
    waiting: list[str]
    submitted: set[str] = field(default_factory=set)


class CampaignRunner:
    """``raw_path(data_dir, night, expid)`` and ``specs_dir`` as the scheduler resolves them."""

    def __init__(
        self,
        config,
        executor,
        publish: Publish,
        *,
        raw_path: Callable[[Path, int, int], Path],
        specs_dir: Path,
    ):
        self.config = config
        self.executor = executor
        self.publish = publish
        self.raw_path = raw_path
        self.specs_dir = specs_dir
        self.open: dict[int, _Open] = {}
        self.jobs: dict[str, tuple[int, str]] = {}  # in flight: job id -> process id, camera
        self.states: dict[int, str] = {}  # campaigns not finished: id -> state
        self._attempts = 0
        self._next_sync = 0.0
        self._exhausted = False  # no process to open until the next sync
        self._progress_due: dict[int, float] = {}  # campaign -> when its progress may be sent

    # -- control (the loop's thread, through the daemon) -----------------------------------

    def start(
        self,
        *,
        filters: dict[str, Any],
        spec_version: str = "",
        name: str = "",
        author: str = "",
        pipeline_version: str = "",
    ) -> dict[str, Any]:
        """Create a campaign over the registered exposures matching ``filters``."""
        if not any(filters.get(k) is not None for k in ("night", "night_from", "night_to")):
            raise ApplicationError(
                "a campaign needs a night or a night range", extra={"field": "night"}
            )
        if spec_version:
            threshold_get(version=spec_version, specs_dir=self.specs_dir)  # 404 if none
        plan, skipped = self._plan(filters)
        campaign = campaign_create(
            filters=filters, plan=plan, spec_version=spec_version, name=name, author=author,
            pipeline_version=pipeline_version,
        )  # fmt: skip
        self._next_sync = 0.0
        self._send_progress(campaign.pk, force=True)
        return {**campaign_progress(campaign_id=campaign.pk), "skipped": skipped}

    def act(self, *, campaign_id: int, action: str, author: str = "") -> dict[str, Any]:
        """pause, resume, cancel or promote; takes effect in this turn."""
        campaign_act(campaign_id=campaign_id, action=action, author=author)
        self._sync()
        self._send_progress(campaign_id, force=True)
        return campaign_progress(campaign_id=campaign_id)

    def withdrawn(self, job_ids: list[str]) -> None:
        """Jobs taken back from the executor (the pipeline stopped): run them later."""
        for job_id in job_ids:
            process_id, camera = self.jobs.pop(job_id, (None, ""))
            opened = self.open.get(process_id)
            if opened is not None:
                opened.submitted.discard(camera)
                opened.waiting.insert(0, camera)

    def forget(self) -> None:
        """Drop what is in hand (reset, or an unexpected error): the database has the rest."""
        self.open.clear()
        self.jobs.clear()
        self._next_sync = 0.0

    def busy(self) -> bool:
        return bool(self.jobs) or CampaignState.PROMOTING in self.states.values()

    def status(self) -> dict[str, Any]:
        return {"jobs": len(self.jobs), "processes": sorted(self.open), "states": self.states}

    # -- the loop --------------------------------------------------------------------------

    def turn(self, *, may_start: bool) -> None:
        """Between two polls: read the states, promote a slice, fill spare capacity."""
        if time.monotonic() >= self._next_sync:
            self._sync()
        for campaign_id, state in list(self.states.items()):
            if state == CampaignState.PROMOTING:
                self._promote(campaign_id)
        if may_start:
            self._fill()
        elif self.jobs:  # the pipeline stopped: what has not started waits for the next start
            self.withdrawn(self.executor.cancel_pending(set(self.jobs)))

    def take(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Handle the campaign jobs' reports; return the others (the live exposure's)."""
        others = []
        for message in messages:
            if str(message.get("job", "")).startswith(JOB_PREFIX):
                self._handle(message)
            else:
                others.append(message)
        return others

    # -- internals -------------------------------------------------------------------------

    def _sync(self) -> None:
        from qlf.dashboard.models import Campaign

        unfinished = (CampaignState.RUNNING, CampaignState.PAUSED, CampaignState.PROMOTING)
        self.states = dict(
            ingest.db_retry(
                lambda: list(
                    Campaign.objects.filter(state__in=unfinished).values_list("id", "state")
                )
            )
        )
        self._next_sync = time.monotonic() + _SYNC_S
        self._exhausted = False
        stopped = {o.campaign_id for o in self.open.values()} - {
            c for c, s in self.states.items() if s == CampaignState.RUNNING
        }
        if not stopped:
            return
        mine = {j for j, (p, _) in self.jobs.items() if self.open[p].campaign_id in stopped}
        self.withdrawn(self.executor.cancel_pending(mine))  # not started: back to waiting
        for process_id, opened in list(self.open.items()):
            if opened.campaign_id in self.states:
                continue  # paused: what runs finishes, the rest waits for resume
            del self.open[process_id]  # cancelled (the service aborted it): reports ignored
            self.jobs = {j: v for j, v in self.jobs.items() if v[0] != process_id}

    def _fill(self) -> None:
        spare = self.executor.spare()
        while spare > 0:
            chosen = self._next_camera()
            if chosen is None:
                return
            opened, camera = chosen
            self._attempts += 1
            job_id = f"{JOB_PREFIX}{opened.process_id}:{camera}:{self._attempts}"
            spec = camera_spec(opened.raw, camera, self.config, spec=opened.spec)
            spec["scratch_dir"] = str(campaign_scratch(self.config.scratch_dir, opened.campaign_id))
            self.jobs[job_id] = (opened.process_id, camera)
            opened.submitted.add(camera)
            self.executor.submit(job_id, spec, low_priority=True)
            spare -= 1

    def _next_camera(self) -> tuple[_Open, str] | None:
        running = {c for c, s in self.states.items() if s == CampaignState.RUNNING}
        for opened in self.open.values():
            if opened.campaign_id in running and opened.waiting:
                return opened, opened.waiting.pop(0)
        while not self._exhausted:
            opened = self._open_next(running)
            if opened is not None and opened.waiting:
                return opened, opened.waiting.pop(0)
        return None

    def _open_next(self, running: set[int]) -> _Open | None:
        """Open the next process of a running campaign (interrupted ones first)."""
        candidates = Process.objects.filter(campaign_id__in=running, status__in=_OPEN)
        process = ingest.db_retry(
            lambda: candidates.exclude(pk__in=list(self.open)).order_by("-status", "id").first()
        )  # "running" sorts after "queued": descending puts interrupted processes first
        if process is None:
            self._exhausted = True
            for campaign_id in running - {o.campaign_id for o in self.open.values()}:
                self._finish_if_complete(campaign_id)
            return None
        process = ingest.process_open(process.pk)
        jobs = ingest.db_retry(lambda: process_unfinished_jobs(process_id=process.pk))
        raw = self.raw_path(self.config.data_dir, process.night, process.exposure_id)
        opened = _Open(
            process.pk, process.campaign_id, process.exposure_id, process.night, raw,
            spec=None, waiting=[j.camera for j in jobs],
        )  # fmt: skip
        self.open[process.pk] = opened
        if not raw.exists():
            for camera in opened.waiting:
                self._fail(opened, camera, f"raw file of exposure {process.exposure_id} not found")
            opened.waiting = []
        else:
            opened.spec = ingest.process_spec(process, self.specs_dir)
        self._close_if_done(opened)
        return opened

    def _handle(self, message: dict[str, Any]) -> None:
        entry = self.jobs.get(message["job"])
        if entry is None:
            return  # withdrawn, cancelled, or of an attempt before a restart
        process_id, camera = entry
        opened = self.open[process_id]
        kind = message["kind"]
        if kind == "started":
            ingest.job_started(process_id, camera)
        elif kind == "result":
            del self.jobs[message["job"]]
            result = message["result"]
            try:
                qa = ingest.job_ingest(process_id, result["qa_path"])
            except ApplicationError as exc:
                self._fail(opened, camera, result.get("error") or exc.message)
            else:
                opened.submitted.discard(camera)
                if qa.get("ERROR"):
                    log.warning("campaign: %s of %d failed: %s", camera, opened.expid, qa["ERROR"])
        elif kind == "failed":
            del self.jobs[message["job"]]
            self._fail(opened, camera, message["error"])
        self._close_if_done(opened)

    def _fail(self, opened: _Open, camera: str, error: str) -> None:
        log.error("campaign: %s of %d failed: %s", camera, opened.expid, error)
        opened.submitted.discard(camera)
        scratch = campaign_scratch(self.config.scratch_dir, opened.campaign_id)
        log_path = qa_json_path(scratch, opened.night, opened.expid, camera).with_suffix(".log")
        ingest.job_failed(opened.process_id, camera, error, log_path)

    def _close_if_done(self, opened: _Open) -> None:
        if opened.waiting or opened.submitted or opened.process_id not in self.open:
            return
        del self.open[opened.process_id]
        ingest.process_close(opened.process_id)
        self._send_progress(opened.campaign_id)
        self._finish_if_complete(opened.campaign_id)

    def _finish_if_complete(self, campaign_id: int) -> None:
        if any(o.campaign_id == campaign_id for o in self.open.values()):
            return
        if ingest.db_retry(lambda: campaign_finish_if_complete(campaign_id=campaign_id)):
            self.states.pop(campaign_id, None)
            log.info("campaign %d done", campaign_id)
            self._send_progress(campaign_id, force=True)

    def _promote(self, campaign_id: int) -> None:
        answer = ingest.db_retry(lambda: campaign_promote_some(campaign_id=campaign_id,
                                                               limit=_PROMOTE_SLICE))  # fmt: skip
        if answer["left"] == 0:
            self.states.pop(campaign_id, None)
            log.info("campaign %d promoted", campaign_id)
            self._send_progress(campaign_id, force=True)
        else:
            self._send_progress(campaign_id)

    def _send_progress(self, campaign_id: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now < self._progress_due.get(campaign_id, 0.0):
            return
        self._progress_due[campaign_id] = now + _PROGRESS_S
        progress = ingest.db_retry(lambda: campaign_progress(campaign_id=campaign_id))
        payload = {"campaign_id": campaign_id, **{k: progress[k] for k in PROGRESS_FIELDS}}
        self.publish("campaign.progress", payload)

    def _plan(self, filters: dict[str, Any]) -> tuple[dict[int, list[str]], list[dict]]:
        """expid -> cameras for the matching exposures: the cameras its current process ran
        (the raw file's, selected by QLF_ARMS/QLF_SPECTROGRAPHS, when it has none); exposures
        whose raw file is gone are skipped, with why."""
        exposures = list(exposure_list(filters=filters, ordering="expid").values_list(
            "expid", "night"))  # fmt: skip
        ran: dict[int, set[str]] = {}
        jobs = Job.objects.filter(
            process__exposure_id__in=[e for e, _ in exposures], process__held=False
        ).values_list("process__exposure_id", "process_id", "camera")
        latest: dict[int, int] = {}
        for expid, process_id, camera in jobs.order_by("process_id"):
            if latest.get(expid) != process_id:
                latest[expid], ran[expid] = process_id, set()
            ran[expid].add(camera)
        plan: dict[int, list[str]] = {}
        skipped: list[dict] = []
        for expid, night in exposures:
            raw = self.raw_path(self.config.data_dir, night, expid)
            if not raw.exists():
                skipped.append({"expid": expid, "reason": f"raw file not found: {raw}"})
                continue
            cameras = ran.get(expid) or set(raw_summary(raw)[1])
            cameras = sorted(c for c in cameras if self.config.wants(c))
            if cameras:
                plan[expid] = cameras
            else:
                skipped.append({"expid": expid, "reason": "no camera selected"})
        return plan, skipped
