"""The night summary: the shift hand-over document of one night, and the list of nights.

Everything is read from the existing tables: exposures and processes of the night, their
failed jobs, the ``alert`` events of the night's exposures (with their acknowledgements),
comments, readout-to-QA latency (:mod:`qlf.dashboard.selectors.latency`) and, for the key
metrics, per-night statistics of the last ``TREND_NIGHTS`` nights (``MetricNight``).
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models import Max as MaxOf
from django.db.models import Min as MinOf

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import (
    AlertAck,
    Event,
    Exposure,
    Job,
    JobStatus,
    MetricNight,
    Process,
    ProcessComment,
    ProcessStatus,
)
from qlf.dashboard.selectors.alarms import alert_metrics
from qlf.dashboard.selectors.drift import metric_nights_recent
from qlf.dashboard.selectors.efftime import night_tiles
from qlf.dashboard.selectors.latency import latency_seconds, process_latency_annotate
from qlf.dashboard.selectors.runbooks import runbooks_for
from qlf.dashboard.services.alert_acks import ack_payload

__all__ = ["KEY_METRICS", "TREND_NIGHTS", "night_list", "night_summary_get"]

KEY_METRICS = ("BIAS_AMP", "NOISE_AMP", "XWSIGMA", "NGOODFIB", "SKYCONT", "FIDSNR_TGT")
TREND_NIGHTS = 10
_ERROR_CHARS = 300


def night_list(*, night_from: int | None = None, night_to: int | None = None) -> QuerySet:
    """One row per night with exposures, newest first: counts of exposures by QA status."""
    exposures = Exposure.objects.all()
    if night_from is not None:
        exposures = exposures.filter(night__gte=night_from)
    if night_to is not None:
        exposures = exposures.filter(night__lte=night_to)
    return (
        exposures.values("night")
        .annotate(
            exposures=Count("expid"),
            science=Count("expid", filter=Q(flavor="science")),
            warning=Count("expid", filter=Q(qa_status="WARNING")),
            alarm=Count("expid", filter=Q(qa_status="ALARM")),
        )
        .order_by("-night")
    )


def night_summary_get(*, night: int) -> dict[str, Any]:
    exposures = list(Exposure.objects.filter(night=night).order_by("expid"))
    if not exposures:
        raise ApplicationError(f"no exposure on night {night}", status_code=404)
    expids = [e.expid for e in exposures]
    shown = Process.objects.filter(exposure_id__in=expids, held=False)  # no campaign's held ones
    processes = list(process_latency_annotate(shown).order_by("id"))
    return {
        "night": night,
        "counts": _counts(exposures, processes),
        "exposures": _exposure_rows(exposures, processes),
        "latency": _latency(processes),
        "failures": _failures(processes),
        "alarms": (alarms := _alarms(expids)),
        "runbooks": _runbooks(alarms, {e.expid: e.flavor for e in exposures}),
        "comments": _comments(processes),
        "trends": _trends(night),
        "tiles": night_tiles(night),
    }


def _counts(exposures: list[Exposure], processes: list[Process]) -> dict[str, Any]:
    by_kind = Counter((e.flavor, e.program or "") for e in exposures)
    return {
        "exposures": len(exposures),
        "processes": len(processes),
        "by_flavor": dict(sorted(Counter(e.flavor for e in exposures).items())),
        "by_flavor_program": [
            {"flavor": f, "program": p, "count": n} for (f, p), n in sorted(by_kind.items())
        ],
        "by_qa_status": dict(sorted(Counter(e.qa_status or "none" for e in exposures).items())),
    }


def _exposure_rows(exposures: list[Exposure], processes: list[Process]) -> list[dict[str, Any]]:
    first: dict[int, Process] = {}
    latest: dict[int, Process] = {}
    for p in processes:
        first.setdefault(p.exposure_id, p)
        latest[p.exposure_id] = p
    rows = []
    for e in exposures:
        last = latest.get(e.expid)
        rows.append(
            {
                "expid": e.expid,
                "flavor": e.flavor,
                "program": e.program,
                "tile": e.tile,
                "dateobs": e.dateobs,
                "qa_status": e.qa_status,
                "process_id": last.pk if last else None,
                "status": last.status if last else None,
                "processes": sum(p.exposure_id == e.expid for p in processes),
                **(latency_seconds(first[e.expid]) if e.expid in first else _NO_LATENCY),
            }
        )
    return rows


_NO_LATENCY = {"readout_to_qa_s": None, "budget_s": None, "over_budget": None}


def _latency(processes: list[Process]) -> dict[str, Any]:
    """The night's readout to QA: each exposure's first process (a reprocess is not a readout)."""
    first: dict[int, Process] = {}
    for p in processes:
        first.setdefault(p.exposure_id, p)
    measured = [latency_seconds(p) for p in first.values() if p.readout_to_qa is not None]
    seconds = [m["readout_to_qa_s"] for m in measured]
    return {
        "measured": len(measured),
        "median_s": statistics.median(seconds) if seconds else None,
        "max_s": max(seconds, default=None),
        "budget_s": statistics.median(m["budget_s"] for m in measured) if measured else None,
        "over_budget": sum(m["over_budget"] for m in measured),
    }


def _failures(processes: list[Process]) -> list[dict[str, Any]]:
    bad = [p for p in processes if p.status in (ProcessStatus.FAILED, ProcessStatus.ABORTED)]
    jobs = Job.objects.filter(process__in=bad, status=JobStatus.FAILED).order_by("camera")
    failed_jobs: dict[int, list[dict[str, Any]]] = {}
    for job in jobs.values("process_id", "camera", "failed_step", "error"):
        failed_jobs.setdefault(job.pop("process_id"), []).append(
            {**job, "error": job["error"][:_ERROR_CHARS]}
        )
    return [
        {
            "process_id": p.pk,
            "expid": p.exposure_id,
            "status": p.status,
            "jobs": failed_jobs.get(p.pk, []),
        }
        for p in bad
    ]


def _alarms(expids: list[int]) -> list[dict[str, Any]]:
    """The ``alert`` events of the night's exposures, each with its acknowledgement (or None),
    in the shape of the alarms API (``selectors/alarms.py``)."""
    events = list(Event.objects.filter(type="alert", payload__expid__in=expids).order_by("seq"))
    acks = AlertAck.objects.filter(alert_seq__in=[e.seq for e in events]).select_related("author")
    by_seq = {a.alert_seq: ack_payload(a) for a in acks}
    return [
        {
            "seq": e.seq,
            "time": e.time,
            "level": e.payload.get("level"),
            "camera": e.payload.get("camera") or "",
            "expid": e.payload.get("expid"),
            "text": e.payload.get("text") or "",
            "metrics": alert_metrics(e.payload),
            "ack": by_seq.get(e.seq),
        }
        for e in events
    ]


def _runbooks(alarms: list[dict[str, Any]], flavors: dict[int, str]) -> list[dict[str, Any]]:
    """The runbooks in force for the metrics of the night's alarms (one per key and scope)."""
    wanted = {(key, flavors.get(a["expid"])): None for a in alarms for key in a["metrics"]}
    found = {}
    for key, flavor in wanted:  # each key and flavor resolved once, however many alarms
        for runbook in runbooks_for([key], flavor=flavor):
            runbook.pop("history", None)
            found.setdefault((runbook["key"], runbook["scope"]), runbook)
    return list(found.values())


def _comments(processes: list[Process]) -> list[dict[str, Any]]:
    comments = (
        ProcessComment.objects.filter(process__in=processes)
        .select_related("author", "process")
        .order_by("created", "id")
    )
    return [
        {
            "process_id": c.process_id,
            "expid": c.process.exposure_id,
            "author": c.author.username if c.author else "",
            "text": c.text,
            "created": c.created,
        }
        for c in comments
    ]


def _trends(night: int) -> list[dict[str, Any]]:
    """Per key metric of the night: the mean, min and max over every camera and element on
    each of the last ``TREND_NIGHTS`` nights with metric statistics (the night last)."""
    nights = metric_nights_recent(night=night, count=TREND_NIGHTS)
    rows = (
        MetricNight.objects.filter(
            flavor=MetricNight.ALL_FLAVORS, key__in=KEY_METRICS, night__in=nights
        )
        .values("key", "night")
        .annotate(
            count=Sum("count"),
            total=Sum("total"),
            low=MinOf("min"),
            high=MaxOf("max"),
            n_alarm=Sum("n_alarm"),
        )
        .order_by("key", "-night")
    )
    per_key: dict[str, list[dict]] = {}
    for r in rows:
        points = per_key.setdefault(r["key"], [])
        if r["count"]:
            points.append(r)
    trends = []
    for key in KEY_METRICS:
        points = per_key.get(key, [])[::-1]
        if not points or points[-1]["night"] != night:
            continue  # not measured this night
        trends.append(
            {
                "key": key,
                "nights": [p["night"] for p in points],
                "mean": [p["total"] / p["count"] for p in points],
                "min": [p["low"] for p in points],
                "max": [p["high"] for p in points],
                "n_alarm": [p["n_alarm"] for p in points],
            }
        )
    return trends
