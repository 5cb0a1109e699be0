"""Campaigns as the screens and the command see them: progress, rate, time left, grade changes.

**Progress**: the campaign's processes by status — done, failed, aborted (cancelled before they
ran), running and queued (the last two are *remaining*). **Rate**: exposures finished (done or
failed) per hour of running time (pauses do not count); **time left**: remaining / rate.

**Grade changes** (:func:`campaign_diff`): for each exposure, the campaign's process against the
exposure's current process other than it (before promotion: what is shown; after: what was
shown), camera by camera, with the effective QA status of each (masks included, as shown
everywhere). Only cameras whose grade differs are listed; the element by element comparison of
one exposure is :func:`qlf.dashboard.selectors.compare.process_compare` of the two processes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import (
    Campaign,
    CampaignState,
    Job,
    Process,
    ProcessStatus,
    worst_status,
)
from qlf.dashboard.selectors.compare import process_compare

__all__ = [
    "campaign_diff",
    "campaign_exposure_compare",
    "campaign_get",
    "campaign_list",
    "campaign_progress",
]


def campaign_get(*, campaign_id: int) -> Campaign:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise ApplicationError(f"campaign {campaign_id} does not exist", status_code=404)
    return campaign


def campaign_list(*, limit: int = 100) -> list[dict[str, Any]]:
    """The newest campaigns with their progress (one aggregate query for all)."""
    campaigns = list(Campaign.objects.order_by("-id")[:limit])
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = (
        Process.objects.filter(campaign__in=campaigns)
        .values("campaign_id", "status", "held")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["campaign_id"]][(row["status"], row["held"])] = row["n"]
    return [_progress(c, counts[c.pk]) for c in campaigns]


def campaign_progress(*, campaign_id: int, now: datetime | None = None) -> dict[str, Any]:
    campaign = campaign_get(campaign_id=campaign_id)
    rows = campaign.processes.values("status", "held").annotate(n=Count("id"))
    return _progress(campaign, Counter({(r["status"], r["held"]): r["n"] for r in rows}), now)


def campaign_diff(*, campaign_id: int) -> dict[str, Any]:
    """The exposures and cameras whose grade the campaign changes, against the current one."""
    campaign = campaign_get(campaign_id=campaign_id)
    mine = {
        p["exposure_id"]: p
        for p in campaign.processes.filter(
            status__in=(ProcessStatus.DONE, ProcessStatus.FAILED)
        ).values("id", "exposure_id", "night", "flavor", "qa_status")
    }
    baseline_ids = (
        Process.objects.filter(exposure_id__in=list(mine), held=False)
        .exclude(campaign=campaign)
        .values("exposure_id")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )
    baseline = {
        p["exposure_id"]: p
        for p in Process.objects.filter(pk__in=list(baseline_ids)).values(
            "id", "exposure_id", "qa_status"
        )
    }
    grades: dict[int, dict[str, str]] = defaultdict(dict)
    process_ids = [p["id"] for p in mine.values()] + [p["id"] for p in baseline.values()]
    for job in Job.objects.filter(process_id__in=process_ids).values(
        "process_id", "camera", "qa_status"
    ):
        grades[job["process_id"]][job["camera"]] = job["qa_status"] or ""
    changed = []
    for expid in sorted(mine):
        new, old = mine[expid], baseline.get(expid)
        after = grades[new["id"]]
        before = grades[old["id"]] if old else {}
        cameras = [
            {"camera": camera, "before": before.get(camera, ""), "after": after.get(camera, "")}
            for camera in sorted(before.keys() | after.keys())
            if before.get(camera, "") != after.get(camera, "")
        ]
        if cameras:
            changed.append(
                {
                    "expid": expid,
                    "night": new["night"],
                    "flavor": new["flavor"],
                    "current_process_id": old["id"] if old else None,
                    "campaign_process_id": new["id"],
                    "before": old["qa_status"] if old else "",
                    "after": new["qa_status"] or worst_status(after.values()),
                    "cameras": cameras,
                }
            )
    return {
        "campaign_id": campaign.pk,
        "state": campaign.state,
        "spec_version": campaign.spec_version,
        "exposures": len(mine),
        "cameras": sum(len(grades[p["id"]]) for p in mine.values()),
        "changed_exposures": len(changed),
        "changed_cameras": sum(len(c["cameras"]) for c in changed),
        "changed": changed,
    }


def campaign_exposure_compare(*, campaign_id: int, expid: int) -> dict[str, Any]:
    """The element by element comparison (docs/operations.md, Side-by-side comparison) of one
    exposure: its current process (a) against the campaign's (b)."""
    for row in campaign_diff(campaign_id=campaign_id)["changed"]:
        if row["expid"] == expid and row["current_process_id"]:
            return process_compare(a=row["current_process_id"], b=row["campaign_process_id"])
    mine = Process.objects.filter(campaign_id=campaign_id, exposure_id=expid).first()
    current = (
        Process.objects.filter(exposure_id=expid, held=False)
        .exclude(campaign_id=campaign_id)
        .order_by("-id")
        .first()
    )
    if mine is None or current is None:
        raise ApplicationError(
            f"campaign {campaign_id} has no result to compare for exposure {expid}",
            extra={"field": "expid"},
            status_code=404,
        )
    return process_compare(a=current.pk, b=mine.pk)


def _progress(campaign: Campaign, counts: Counter, now: datetime | None = None) -> dict[str, Any]:
    """``counts``: the campaign's processes by (status, held)."""
    now = now or timezone.now()
    statuses: Counter = Counter()
    for (status, _), n in counts.items():
        statuses[status] += n
    done, failed = statuses[ProcessStatus.DONE], statuses[ProcessStatus.FAILED]
    running, queued = statuses[ProcessStatus.RUNNING], statuses[ProcessStatus.QUEUED]
    active_s = campaign.active_s
    if campaign.state == CampaignState.RUNNING and campaign.resumed is not None:
        active_s += max(0.0, (now - campaign.resumed).total_seconds())
    finished = done + failed
    rate = finished * 3600.0 / active_s if finished and active_s > 0 else None
    remaining = running + queued
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "state": campaign.state,
        "filters": campaign.filters,
        "spec_version": campaign.spec_version,
        "pipeline_version": campaign.pipeline_version,
        "created_by": campaign.created_by,
        "created": campaign.created,
        "ended": campaign.ended,
        "promoted": campaign.promoted,
        "promoted_by": campaign.promoted_by,
        "total": sum(statuses.values()),
        "done": done,
        "failed": failed,
        "aborted": statuses[ProcessStatus.ABORTED],
        "running": running,
        "queued": queued,
        "remaining": remaining,
        "superseded": campaign.superseded,
        "promoted_exposures": sum(n for (_, held), n in counts.items() if not held),
        "active_s": round(active_s, 3),
        "rate_per_hour": None if rate is None else round(rate, 2),
        "eta_s": round(remaining * 3600.0 / rate, 1) if rate and remaining else None,
    }
