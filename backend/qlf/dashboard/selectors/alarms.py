"""Alarms: the ``alert`` events of the journal with their acknowledgements.

An alert is **open** until an operator acknowledges it, or until a Reset (the ``pipeline.reset``
event) forgets the processing it was about: it is then **cleared**. An alert repeating one
already raised since the last Reset (same exposure, camera, level and text: a reprocess finding
the same thing again) is not raised again (:func:`alert_repeats`).
"""

from __future__ import annotations

from typing import Any

from qlf.dashboard.models import AlertAck, Event
from qlf.dashboard.services.alert_acks import ack_payload

__all__ = [
    "ALARM_STATES",
    "RESET_EVENT",
    "alarm_list",
    "alarm_open_count",
    "alert_repeats",
    "last_reset_seq",
]

ALARM_STATES = ("all", "open", "acknowledged")
RESET_EVENT = "pipeline.reset"


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


def alarm_list(*, state: str = "all", limit: int = 200) -> list[dict[str, Any]]:
    """The newest alerts first, each with its acknowledgement (or None) and whether a Reset
    cleared it (``cleared``: not acknowledged, raised before the last Reset)."""
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
    return [
        {
            "seq": e.seq,
            "time": e.time.isoformat(),
            "level": e.payload.get("level"),
            "camera": e.payload.get("camera") or "",
            "expid": e.payload.get("expid"),
            "text": e.payload.get("text") or "",
            "ack": ack_payload(acks[e.seq]) if e.seq in acks else None,
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
