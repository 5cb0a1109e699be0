"""What a notification says: the unacknowledged ALARMs of one exposure, each with the first
lines of its runbook and the link that opens it on the Alarms page to acknowledge it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["AlertItem", "alert_link", "message_compose", "messages_plan"]


@dataclass(frozen=True)
class AlertItem:
    seq: int
    time: datetime
    camera: str
    expid: int | None
    text: str
    runbooks: list[dict[str, Any]] = field(default_factory=list)  # of its metric keys


def alert_link(public_url: str, seq: int) -> str:
    """The Alarms page with the alert selected (its acknowledge form open)."""
    return f"{public_url}/alarms?alert={seq}"


def messages_plan(groups: Sequence[list[AlertItem]], slots: int) -> list[list[AlertItem]]:
    """The messages to send now for ``groups`` (one per exposure) when ``slots`` messages are
    left in the hour: one per exposure while they fit, the rest folded into one digest."""
    if slots <= 0 or not groups:
        return []
    if len(groups) <= slots:
        return [list(g) for g in groups]
    folded = [item for group in groups[slots - 1 :] for item in group]
    return [list(g) for g in groups[: slots - 1]] + [folded]


def message_compose(
    items: Sequence[AlertItem], *, public_url: str, after_s: float, nights: dict[int, int]
) -> tuple[str, str]:
    """``(subject, text)`` of one notification."""
    expids = sorted({i.expid for i in items if i.expid is not None})
    n = len(items)
    plural = "s" if n > 1 else ""
    if len(expids) == 1:
        night = nights.get(expids[0])
        where = f"exposure {expids[0]}" + (f" (night {night})" if night else "")
    elif expids:
        where = f"exposures {', '.join(map(str, expids))}"
    else:
        where = "the pipeline"
    subject = f"QLF: {n} unacknowledged ALARM{plural} on {where}"
    lines = [f"{n} ALARM{plural} on {where} not acknowledged within {_duration(after_s)}:", ""]
    for item in sorted(items, key=lambda i: i.seq):
        lines.append(f"- {item.time:%Y-%m-%d %H:%M:%S} UTC  {item.text}")
        for runbook in item.runbooks:
            lines.append(f"  {runbook['key']}: {_first_sentence(runbook['alarm'])}")
            lines.append(f"  Check first: {_first_line(runbook['check_first'])}")
            lines.append(f"  Call: {runbook['contact']}")
        link = alert_link(public_url, item.seq)
        lines.append(f"  Acknowledge: {link}")
        lines.append("")
    if not public_url:
        lines.append("(Links are relative: set QLF_PUBLIC_URL to the address of QLF.)")
    return subject, "\n".join(lines).rstrip() + "\n"


def _duration(seconds: float) -> str:
    return f"{seconds:g} s" if seconds < 120 else f"{round(seconds / 60)} min"


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + dot.strip() if dot else text


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].removeprefix("1. ")
