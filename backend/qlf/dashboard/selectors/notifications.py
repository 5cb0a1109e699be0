"""What was sent off site about alerts: the ``Notification`` rows, by alert."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from qlf.dashboard.models import Notification

__all__ = ["notifications_by_alert"]


def notifications_by_alert(seqs: Iterable[int], *, since: datetime) -> dict[int, list[dict]]:
    """For each alert ``seq``, its notifications made since ``since`` (the oldest alert's
    time): channel, status (pending, sent, cancelled, failed), attempts and time."""
    wanted = set(seqs)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for note in Notification.objects.filter(created__gte=since).order_by("created", "id"):
        for seq in wanted.intersection(note.alert_seqs):
            found[seq].append(
                {
                    "channel": note.channel,
                    "status": note.status,
                    "attempts": note.attempts,
                    "time": (note.sent or note.created).isoformat(),
                }
            )
    return dict(found)
