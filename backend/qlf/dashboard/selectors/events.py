"""The live feed's journal (DESIGN.md 7): events after a sequence number, the last status."""

from __future__ import annotations

from typing import Any

from qlf.dashboard.models import Event

__all__ = ["event_last_seq", "event_list_after", "pipeline_status_journal"]


def event_last_seq() -> int:
    """The highest ``seq`` in the journal (0 when it is empty)."""
    last = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


def event_list_after(*, after: int, until: int | None = None, limit: int = 500) -> list[Event]:
    """Events with ``after < seq`` (and ``seq < until``), in ``seq`` order, at most ``limit``."""
    events = Event.objects.filter(seq__gt=after)
    if until is not None:
        events = events.filter(seq__lt=until)
    return list(events.order_by("seq")[:limit])


def pipeline_status_journal() -> dict[str, Any] | None:
    """The last ``pipeline.status`` the daemon published, with its ``seq`` and ``time``."""
    event = Event.objects.filter(type="pipeline.status").order_by("-seq").first()
    if event is None:
        return None
    return {**event.payload, "seq": event.seq, "time": event.time.isoformat()}
