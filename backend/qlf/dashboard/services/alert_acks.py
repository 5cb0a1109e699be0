"""Acknowledging an alarm: the operator's note, recorded, audited and sent live."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import AlertAck, Event
from qlf.dashboard.services.audit import audit_record
from qlf.dashboard.services.live_events import live_publish

__all__ = ["ACK_EVENT", "alert_acknowledge"]

ACK_EVENT = "alert.acknowledged"


@transaction.atomic
def alert_acknowledge(*, seq: int, note: str, user) -> AlertAck:
    """Acknowledge the ``alert`` event ``seq``: 404 if there is none, 409 if done before."""
    note = note.strip()
    if not note:
        raise ApplicationError("an acknowledgement needs a note", extra={"field": "note"})
    alert = Event.objects.filter(seq=seq, type="alert").first()
    if alert is None:
        raise ApplicationError(f"no alert with seq {seq}", status_code=404)
    done = AlertAck.objects.filter(alert_seq=seq).select_related("author").first()
    if done is not None:
        raise ApplicationError(
            f"alert {seq} was acknowledged by {_name(done.author)}", status_code=409
        )
    payload = alert.payload or {}
    try:
        with transaction.atomic():
            ack = AlertAck.objects.create(
                alert_seq=seq,
                level=str(payload.get("level") or "")[:8],
                camera=str(payload.get("camera") or "")[:3],
                expid=payload.get("expid") if isinstance(payload.get("expid"), int) else None,
                text=str(payload.get("text") or ""),
                author=user,
                note=note,
            )
    except IntegrityError:  # acknowledged at the same moment by someone else
        raise ApplicationError(f"alert {seq} was acknowledged meanwhile", status_code=409) from None
    audit_record(
        user=user,
        action="alert.acknowledge",
        target=f"alert {seq}",
        detail={"note": note, "level": ack.level, "camera": ack.camera, "expid": ack.expid},
    )
    live_publish(type=ACK_EVENT, payload=ack_payload(ack))
    return ack


def ack_payload(ack: AlertAck) -> dict:
    """The acknowledgement as the live feed and the API show it."""
    return {
        "seq": ack.alert_seq,
        "level": ack.level,
        "camera": ack.camera,
        "expid": ack.expid,
        "author": _name(ack.author),
        "note": ack.note,
        "time": ack.created.isoformat(),
    }


def _name(user) -> str:
    return getattr(user, "username", "") or "(deleted user)"
