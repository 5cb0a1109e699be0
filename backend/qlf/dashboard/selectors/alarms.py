"""Alarms: the ``alert`` events of the journal with their acknowledgements.

An alert is **open** until an operator acknowledges it, or until a Reset (the ``pipeline.reset``
event) forgets the processing it was about: it is then **cleared**. An alert repeating one
already raised since the last Reset (same exposure, camera, level and text: a reprocess finding
the same thing again) is not raised again (:func:`alert_repeats`).
"""

from __future__ import annotations

import re
from typing import Any

from qlf.dashboard.models import AlertAck, Event, Exposure
from qlf.dashboard.selectors.notifications import notifications_by_alert
from qlf.dashboard.services.alert_acks import ack_payload

__all__ = [
    "ALARM_STATES",
    "RESET_EVENT",
    "alarm_list",
    "alarm_open_count",
    "alert_metrics",
    "alert_repeats",
    "last_reset_seq",
]

ALARM_STATES = ("all", "open", "acknowledged")
RESET_EVENT = "pipeline.reset"
_GRADED = re.compile(r": (?:WARNING|ALARM) in ([A-Za-z0-9_/, ]+)$")  # "in CHECK_CCDs/BIAS_AMP"


def last_reset_seq() -> int:
    """The journal's seq of the last Reset, 0 if there was none."""
    seq = Event.objects.filter(type=RESET_EVENT).order_by("-seq").values_list("seq", flat=True)
    return seq.first() or 0


def _open_alerts():
    acked = AlertAck.objects.values_list("alert_seq", flat=True)
    return Event.objects.filter(type="alert", seq__gt=last_reset_seq()).exclude(seq__in=acked)


def alarm_open_count() -> dict[str, int]:
    """How many alerts wait for an acknowledgement, in all and per level (every page shows
    it): ``{"open": 3, "ALARM": 1, "WARNING": 2}``."""
    levels = list(_open_alerts().values_list("payload__level", flat=True))
    return {
        "open": len(levels),
        "ALARM": sum(1 for level in levels if level == "ALARM"),
        "WARNING": sum(1 for level in levels if level == "WARNING"),
    }


def alert_metrics(payload: dict[str, Any]) -> list[str]:
    """The metric keys an alert is about (its runbooks): the payload's ``metrics``, else read
    from the text of alerts journalled before they carried it."""
    metrics = payload.get("metrics")
    if isinstance(metrics, list):
        return [str(m) for m in metrics]
    text = str(payload.get("text") or "")
    graded = _GRADED.search(text)
    if graded:
        keys = (k.strip().rpartition("/")[2] for k in graded.group(1).split(","))
        return [k for k in keys if k and k != "QA"]
    if payload.get("disk"):
        return ["DISK_FULL"]
    if " failed: " in text:
        return ["CAMERA_FAILED"]
    if "cannot be read" in text:
        return ["EXPOSURE_UNREADABLE"]
    return []


def alarm_list(*, state: str = "all", limit: int = 200) -> list[dict[str, Any]]:
    """The newest alerts first, each with its acknowledgement (or None), its metric keys, its
    exposure's flavor (which runbooks to show), the notifications sent about it and whether a
    Reset cleared it (``cleared``: not acknowledged, raised before the last Reset)."""
    reset = last_reset_seq()
    if state == "open":
        alerts = _open_alerts().order_by("-seq")
    else:
        alerts = Event.objects.filter(type="alert").order_by("-seq")
        if state == "acknowledged":
            alerts = alerts.filter(seq__in=AlertAck.objects.values_list("alert_seq", flat=True))
    found = list(alerts[:limit])
    acks = {
        a.alert_seq: a
        for a in AlertAck.objects.filter(alert_seq__in=[e.seq for e in found]).select_related(
            "author"
        )
    }
    expids = {e.payload.get("expid") for e in found} - {None}
    flavors = dict(Exposure.objects.filter(expid__in=expids).values_list("expid", "flavor"))
    notified = (
        notifications_by_alert([e.seq for e in found], since=min(e.time for e in found))
        if found
        else {}
    )
    return [
        {
            "seq": e.seq,
            "time": e.time.isoformat(),
            "level": e.payload.get("level"),
            "camera": e.payload.get("camera") or "",
            "expid": e.payload.get("expid"),
            "text": e.payload.get("text") or "",
            "metrics": alert_metrics(e.payload),
            "flavor": flavors.get(e.payload.get("expid")),  # which runbooks apply
            "ack": ack_payload(acks[e.seq]) if e.seq in acks else None,
            "notified": notified.get(e.seq, []),  # e-mail and webhook messages about it
            "cleared": e.seq not in acks and e.seq <= reset,
        }
        for e in found
    ]


def alert_repeats(alert: dict[str, Any]) -> bool:
    """Whether ``alert`` (an alert payload about an exposure) was raised since the last Reset,
    acknowledged or not: a reprocess finding the same problem does not raise it twice."""
    if alert.get("expid") is None:
        return False
    return Event.objects.filter(
        type="alert",
        seq__gt=last_reset_seq(),
        payload__expid=alert["expid"],
        payload__camera=alert.get("camera") or "",
        payload__level=alert.get("level"),
        payload__text=alert.get("text") or "",
    ).exists()
