"""Alarms: the ``alert`` events of the journal with their acknowledgements."""

from __future__ import annotations

import re
from typing import Any

from qlf.dashboard.models import AlertAck, Event, Exposure
from qlf.dashboard.selectors.notifications import notifications_by_alert
from qlf.dashboard.services.alert_acks import ack_payload

__all__ = ["ALARM_STATES", "alarm_list", "alert_metrics"]

ALARM_STATES = ("all", "open", "acknowledged")
_GRADED = re.compile(r": (?:WARNING|ALARM) in ([A-Za-z0-9_/, ]+)$")  # "in CHECK_CCDs/BIAS_AMP"


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
    exposure's flavor (which runbooks to show) and the notifications sent about it."""
    alerts = Event.objects.filter(type="alert").order_by("-seq")
    acked = AlertAck.objects.values_list("alert_seq", flat=True)
    if state == "open":
        alerts = alerts.exclude(seq__in=acked)
    elif state == "acknowledged":
        alerts = alerts.filter(seq__in=acked)
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
        }
        for e in found
    ]
