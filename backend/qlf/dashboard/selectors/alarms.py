"""Alarms: the ``alert`` events of the journal with their acknowledgements."""

from __future__ import annotations

from typing import Any

from qlf.dashboard.models import AlertAck, Event
from qlf.dashboard.services.alert_acks import ack_payload

__all__ = ["ALARM_STATES", "alarm_list"]

ALARM_STATES = ("all", "open", "acknowledged")


def alarm_list(*, state: str = "all", limit: int = 200) -> list[dict[str, Any]]:
    """The newest alerts first, each with its acknowledgement (or None)."""
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
    return [
        {
            "seq": e.seq,
            "time": e.time.isoformat(),
            "level": e.payload.get("level"),
            "camera": e.payload.get("camera") or "",
            "expid": e.payload.get("expid"),
            "text": e.payload.get("text") or "",
            "ack": ack_payload(acks[e.seq]) if e.seq in acks else None,
        }
        for e in found
    ]
