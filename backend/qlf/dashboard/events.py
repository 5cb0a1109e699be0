"""Publishing live events (DESIGN.md 7): journal them, then send them to the ``monitor`` group.

Each event is stored as an :class:`~qlf.dashboard.models.Event` row, whose primary key is the
strictly increasing ``seq``, then sent to the Channels group once its row is committed, so a
client replaying ``?after=<seq>`` from the database and one listening live see the same stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

__all__ = ["GROUP", "EventPublisher", "Publisher", "event_message"]

GROUP = "monitor"
log = logging.getLogger("qlf.live")
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
    are then made on it, which an in-memory channel layer requires. Otherwise a private loop in
    a thread sends them. Either way one coroutine sends the messages one after the other, so the
    group receives them in ``seq`` order, and publishing never waits for the layer.
    """

    def __init__(self, *, channel_layer: Any = "default", loop=None):
        self._lock = threading.Lock()
        self._layer = _layer() if channel_layer == "default" else channel_layer
        self._loop = loop
        self._sender: _Sender | None = None
        self.listeners: list[Listener] = []

    def publish(self, type: str, payload: dict[str, Any]) -> dict[str, Any]:
        from qlf.dashboard.models import Event

        with self._lock:  # one writer at a time: seq order is publication order
            event = Event.objects.create(type=type, payload=payload, time=timezone.now())
        message = event_message(event)
        transaction.on_commit(lambda: self._deliver(message))
        return message

    def close(self) -> None:
        """Send what is pending and stop the private sending loop, if any."""
        if self._sender is not None:
            self._sender.close()
            self._sender = None

    def _deliver(self, message: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            try:
                listener(message)
            except Exception:  # a broken listener must not stop the pipeline
                log.exception("event listener failed on %s", message["type"])
        if self._layer is None:
            return
        if self._sender is None:
            self._sender = _Sender(self._layer, self._loop)
        self._sender.send({"type": "monitor.event", "event": message})


class _Sender:
    """Sends group messages in order from one coroutine on ``loop`` (or a private one).

    Never waits for ``loop``: a server loop busy for seconds (start-up on a loaded machine) only
    delays the sends; messages queue in order meanwhile.
    """

    def __init__(self, layer, loop=None):
        self.layer = layer
        self.thread: threading.Thread | None = None
        if loop is None:
            loop = asyncio.new_event_loop()
            self.thread = threading.Thread(target=loop.run_forever, name="qlf-events", daemon=True)
            self.thread.start()
        self.loop = loop
        self.queue: asyncio.Queue = asyncio.Queue()  # bound to ``loop`` at its first use there
        self.task: asyncio.Task | None = None
        loop.call_soon_threadsafe(self._start)  # before any send's put: FIFO callbacks

    def _start(self) -> None:
        self.task = self.loop.create_task(self._drain(self.queue))

    async def _drain(self, queue: asyncio.Queue) -> None:
        while True:
            message = await queue.get()
            if message is None:
                return
            try:
                await self.layer.group_send(GROUP, message)
            except Exception as exc:  # the journal has it; a client catches up with ?after=
                log.warning("channel layer send of event %s failed: %s", message, exc)

    def send(self, message: dict[str, Any]) -> None:
        self.loop.call_soon_threadsafe(self.queue.put_nowait, message)

    def close(self) -> None:
        self.send(None)
        if self.thread is not None:

            async def finish():
                if self.task is not None:
                    await self.task

            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(finish(), self.loop).result(5)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
            self.loop.close()


def _layer():
    try:
        from channels.layers import get_channel_layer

        return get_channel_layer()
    except Exception as exc:
        log.warning("no channel layer: %s", exc)
        return None
