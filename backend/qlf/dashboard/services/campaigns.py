"""Campaigns: create one, pause, resume, cancel, and promote its results (docs/operations.md).

A campaign holds one process per chosen exposure (``Process.campaign``), created ``queued`` and
``held``; the pipeline daemon's campaign runner runs them on spare workers. Promotion releases
the held processes that finished ``done``: each becomes its exposure's current result (exposure
status, trend rows and night statistics follow), one exposure per transaction, so the daemon
promotes a large campaign a slice at a time between its live work (:func:`campaign_promote_some`).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import (
    Campaign,
    CampaignState,
    Exposure,
    Job,
    Process,
    ProcessStatus,
)
from qlf.dashboard.selectors.files import qlf_dir
from qlf.dashboard.services.audit import audit_record
from qlf.dashboard.services.metric_rows import metric_rows_replace
from qlf.dashboard.services.processes import process_refresh_qa
from qlf.quicklook.io.products_file import products_path
from qlf.quicklook.io.qa_json import qa_json_path

__all__ = [
    "ACTIONS",
    "MAX_EXPOSURES",
    "campaign_act",
    "campaign_create",
    "campaign_finish_if_complete",
    "campaign_promote_some",
]

MAX_EXPOSURES = 20_000  # one campaign: about a survey year of exposures
ACTIONS = ("pause", "resume", "cancel", "promote")
_OPEN = (ProcessStatus.QUEUED, ProcessStatus.RUNNING)
log = logging.getLogger("qlf.dashboard")
# What each action may act on, and the state it leads to.
_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "pause": ((CampaignState.RUNNING,), CampaignState.PAUSED),
    "resume": ((CampaignState.PAUSED,), CampaignState.RUNNING),
    "cancel": ((CampaignState.RUNNING, CampaignState.PAUSED), CampaignState.CANCELLED),
    "promote": ((CampaignState.DONE, CampaignState.CANCELLED), CampaignState.PROMOTING),
}


@transaction.atomic
def campaign_create(
    *,
    filters: Mapping[str, Any],
    plan: Mapping[int, Sequence[str]],
    spec_version: str = "",
    pipeline_version: str = "",
    name: str = "",
    author: str = "",
) -> Campaign:
    """A running campaign with one queued, held process per exposure of ``plan``
    (expid -> cameras), graded by ``spec_version`` ('' = the version in force on each night)."""
    if not plan:
        raise ApplicationError("no exposure to reprocess matches these filters")
    if len(plan) > MAX_EXPOSURES:
        raise ApplicationError(
            f"{len(plan)} exposures match: a campaign takes at most {MAX_EXPOSURES}",
            extra={"field": "night_to"},
        )
    campaign = Campaign.objects.create(
        name=name,
        filters=dict(filters),
        spec_version=spec_version,
        pipeline_version=pipeline_version,
        created_by=author,
        resumed=timezone.now(),
    )
    exposures = Exposure.objects.in_bulk(list(plan))
    missing = sorted(set(plan) - set(exposures))
    if missing:
        raise ApplicationError(f"exposures not registered: {missing[:10]}", status_code=404)
    now = timezone.now()
    common = {
        "status": ProcessStatus.QUEUED, "started": now, "campaign": campaign, "held": True,
        "pipeline_version": pipeline_version, "spec_version": spec_version,
    }  # fmt: skip
    processes = Process.objects.bulk_create(
        [
            Process(
                exposure=e, night=e.night, flavor=e.flavor, program=e.program, tile=e.tile, **common
            )
            for _, e in sorted(exposures.items())
        ]
    )
    Job.objects.bulk_create(
        [Job(process=p, camera=c) for p in processes for c in sorted(set(plan[p.exposure_id]))],
        batch_size=2000,
    )
    audit_record(
        user=author,
        action="campaign.start",
        target=f"campaign {campaign.pk}",
        detail={"filters": dict(filters), "spec_version": spec_version,
                "pipeline_version": pipeline_version, "exposures": len(processes)},
    )  # fmt: skip
    return campaign


@transaction.atomic
def campaign_act(*, campaign_id: int, action: str, author: str = "") -> Campaign:
    """Pause, resume, cancel or promote (promotion itself then proceeds in slices)."""
    if action not in _TRANSITIONS:
        raise ApplicationError(f"unknown campaign action {action!r}", extra={"field": "action"})
    campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None:
        raise ApplicationError(f"campaign {campaign_id} does not exist", status_code=404)
    allowed, target = _TRANSITIONS[action]
    if campaign.state not in allowed:
        raise ApplicationError(
            f"campaign {campaign_id} is {campaign.state}: cannot {action} it "
            f"(only when {' or '.join(allowed)})",
            status_code=409,
        )
    now = timezone.now()
    _account_active_time(campaign, now)
    campaign.state = target
    if target == CampaignState.RUNNING:
        campaign.resumed = now
    if action == "cancel":
        campaign.ended = now
        campaign.processes.filter(status__in=_OPEN).update(status=ProcessStatus.ABORTED, ended=now)
    if action == "promote":
        campaign.promoted_by = author
    campaign.save()
    audit_record(user=author, action=f"campaign.{action}", target=f"campaign {campaign_id}",
                 detail={"state": campaign.state})  # fmt: skip
    return campaign


def campaign_finish_if_complete(*, campaign_id: int) -> bool:
    """Mark a running campaign done once none of its processes is queued or running."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.state != CampaignState.RUNNING:
            return False
        if campaign.processes.filter(status__in=_OPEN).exists():
            return False
        now = timezone.now()
        _account_active_time(campaign, now)
        campaign.state, campaign.ended = CampaignState.DONE, now
        campaign.save(update_fields=["state", "ended", "active_s", "resumed"])
        return True


def campaign_promote_some(*, campaign_id: int, limit: int = 5) -> dict[str, int]:
    """Promote up to ``limit`` exposures of a promoting campaign; marks it promoted when none
    is left. Only processes that finished done are promoted; an exposure processed again after
    the campaign's process (a newer process, not held) keeps that newer result.

    Returns ``{"promoted": n, "superseded": n, "left": n}`` for this slice.
    """
    campaign = Campaign.objects.filter(pk=campaign_id, state=CampaignState.PROMOTING).first()
    if campaign is None:
        return {"promoted": 0, "superseded": 0, "left": 0}
    held = campaign.processes.filter(held=True, status=ProcessStatus.DONE)
    promoted = superseded = 0
    upto = campaign.promoted_upto
    for process in held.filter(pk__gt=upto).order_by("id")[:limit]:
        moved: list[tuple[Path, Path]] = []
        with transaction.atomic():
            newer = Process.objects.filter(
                exposure_id=process.exposure_id, held=False, pk__gt=process.pk
            ).exists()
            if newer:
                superseded += 1
            else:
                moved = _make_current(process)
                promoted += 1
            upto = process.pk
            Campaign.objects.filter(pk=campaign_id).update(
                promoted_upto=upto, superseded=F("superseded") + int(newer)
            )
        _copy_files(moved)
    left = held.filter(pk__gt=upto).count()
    if left == 0:
        with transaction.atomic():
            counts = {
                "promoted": campaign.processes.filter(held=False).count(),
                "kept_held": campaign.processes.filter(held=True).count(),
            }
            Campaign.objects.filter(pk=campaign_id).update(
                state=CampaignState.PROMOTED, promoted=timezone.now()
            )
            audit_record(user=campaign.promoted_by, action="campaign.promoted",
                         target=f"campaign {campaign_id}", detail=counts)  # fmt: skip
    return {"promoted": promoted, "superseded": superseded, "left": left}


def _make_current(process: Process) -> list[tuple[Path, Path]]:
    """Release ``process``: its jobs' QA becomes the exposure's trend rows, its status the
    exposure's (the same services as an ingestion), and its files, once copied to the
    exposure's folder of the scratch directory, the source of truth again (``qlf ingest
    --rebuild``). Returns the (campaign file, exposure file) pairs to copy after the commit."""
    process.held = False
    process.save(update_fields=["held"])
    scratch = qlf_dir("SCRATCH_DIR")
    moves = []
    for job in Job.objects.filter(process=process, qa__isnull=False).order_by("camera"):
        metric_rows_replace(job=job, process=process, qa=job.qa)
        if job.qa_path:
            target = qa_json_path(scratch, process.night, process.exposure_id, job.camera)
            source = Path(job.qa_path)
            moves += [(source, target), (source.with_suffix(".log"), target.with_suffix(".log"))]
            moves.append((products_path(source), products_path(target)))
            job.qa_path, job.log_path = str(target), str(target.with_suffix(".log"))
            job.save(update_fields=["qa_path", "log_path"])
    process_refresh_qa(process=process)
    return moves


def _copy_files(moves: list[tuple[Path, Path]]) -> None:
    """Copy each existing file over its target (through a temporary name: readers never see
    half a file). A failure is logged: the database has the promoted results."""
    for source, target in moves:
        if not source.is_file():
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(source, tmp)
            tmp.replace(target)
        except OSError as exc:
            log.error("promoted file %s not copied to %s: %s", source, target, exc)


def _account_active_time(campaign: Campaign, now) -> None:
    """Add the running time since the last resume to ``active_s`` (before a state change)."""
    if campaign.state == CampaignState.RUNNING and campaign.resumed is not None:
        campaign.active_s += max(0.0, (now - campaign.resumed).total_seconds())
    campaign.resumed = None
