"""Live events of the web server itself (DESIGN.md 7), e.g. ``alert.acknowledged``.

The event journal has one writer, the pipeline daemon's loop, so events commit in ``seq``
order (a consumer that fills a hole from the journal never passes over an event still being
committed). Once the caller's transaction commits, the event is handed to the daemon
(:func:`~qlf.dashboard.services.pipeline_control.pipeline_publish`: in-process when embedded,
else over Pyro4); only when no daemon answers does the server journal it itself and send it to
the ``monitor`` group (``async_to_sync`` runs on the ASGI server's loop, which the in-memory
layer of the embedded mode needs).
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from django.db import transaction
from django.utils import timezone

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.events import GROUP, event_message
from qlf.dashboard.models import Event
from qlf.dashboard.services.pipeline_control import pipeline_publish

__all__ = ["live_publish"]

log = logging.getLogger("qlf.live")


def live_publish(*, type: str, payload: dict[str, Any]) -> None:
    """Publish one event once the current transaction commits."""
    transaction.on_commit(lambda: _publish(type, payload))


def _publish(type: str, payload: dict[str, Any]) -> None:
    try:
        pipeline_publish(type=type, payload=payload)
        return
    except ApplicationError as exc:
        log.info("live event %s journalled by the server: %s", type, exc.extra.get("reason"))
    message = event_message(Event.objects.create(type=type, payload=payload, time=timezone.now()))
    try:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(GROUP, {"type": "monitor.event", "event": message})
    except Exception as exc:  # the journal has it: clients catch up with ?after=
        log.warning("live event %s not sent: %s", message["type"], exc)
