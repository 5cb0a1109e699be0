"""Live events published by the web server itself (DESIGN.md 7), e.g. ``alert.acknowledged``.

Journalled like the daemon's events (an :class:`~qlf.dashboard.models.Event` row gives the
``seq``) and sent to the ``monitor`` group once committed. From a view running under the ASGI
server, ``async_to_sync`` sends on the server's event loop (what the in-memory layer of the
embedded mode needs); a consumer that sees a gap in ``seq`` fills it from the journal.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from django.db import transaction
from django.utils import timezone

from qlf.dashboard.models import Event
from qlf.pipeline.events import GROUP, event_message

__all__ = ["live_publish"]

log = logging.getLogger("qlf.live")


def live_publish(*, type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Journal one event now and deliver it to the live feed after the commit."""
    event = Event.objects.create(type=type, payload=payload, time=timezone.now())
    message = event_message(event)
    transaction.on_commit(lambda: _deliver(message))
    return message


def _deliver(message: dict[str, Any]) -> None:
    try:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(GROUP, {"type": "monitor.event", "event": message})
    except Exception as exc:  # the journal has it: clients catch up with ?after=
        log.warning("live event %s not sent: %s", message["type"], exc)
