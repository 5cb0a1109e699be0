"""Publishing live events (DESIGN.md 7): journal them, then send them to the ``monitor`` group.

Each event is stored as an :class:`~qlf.dashboard.models.Event` row, whose primary key is the
strictly increasing ``seq``, then sent to the Channels group once its row is committed, so a
client replaying ``?after=<seq>`` from the database and one listening live see the same stream.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

__all__ = ["GROUP", "EventPublisher", "Publisher", "event_message"]

GROUP = "monitor"
log = logging.getLogger("qlf.pipeline")
Listener = Callable[[dict[str, Any]], None]


class Publisher(Protocol):
    def publish(self, type: str, payload: dict[str, Any]) -> dict[str, Any]: ...


def event_message(event) -> dict[str, Any]:
    """The JSON message of an Event row: ``{seq, type, time, payload}``."""
    return {
        "seq": event.seq,
        "type": event.type,
        "time": event.time.isoformat(),
        "payload": event.payload,
    }


class EventPublisher:
    """Journal + channel layer + in-process listeners.

    ``loop``: the event loop of an ASGI server running in this process (embedded mode); sends
    are then scheduled on it thread-safely, which an in-memory channel layer requires.
    """

    def __init__(self, *, channel_layer: Any = "default", loop=None):
        self._lock = threading.Lock()
        self._layer = _layer() if channel_layer == "default" else channel_layer
        self._loop = loop
        self.listeners: list[Listener] = []

    def publish(self, type: str, payload: dict[str, Any]) -> dict[str, Any]:
        from qlf.dashboard.models import Event

        with self._lock:  # one writer at a time: seq order is publication order
            event = Event.objects.create(type=type, payload=payload, time=timezone.now())
        message = event_message(event)
        transaction.on_commit(lambda: self._deliver(message))
        return message

    def _deliver(self, message: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            try:
                listener(message)
            except Exception:  # a broken listener must not stop the pipeline
                log.exception("event listener failed on %s", message["type"])
        if self._layer is None:
            return
        send = {"type": "monitor.event", "event": message}
        try:
            if self._loop is not None and self._loop.is_running():
                import asyncio

                asyncio.run_coroutine_threadsafe(self._layer.group_send(GROUP, send), self._loop)
            else:
                from asgiref.sync import async_to_sync

                async_to_sync(self._layer.group_send)(GROUP, send)
        except Exception as exc:  # the journal has it; a client catches up with ?after=
            log.warning("channel layer send of event %s failed: %s", message["seq"], exc)


def _layer():
    try:
        from channels.layers import get_channel_layer

        return get_channel_layer()
    except Exception as exc:
        log.warning("no channel layer: %s", exc)
        return None
