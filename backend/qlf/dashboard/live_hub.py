"""One member of the ``monitor`` group per server process, fanning events out to its sockets.

With a group member per websocket, every event costs each client a channel-layer message, a
dispatch and a JSON encoding; the hub receives each event once, encodes it once and hands the
text to every consumer of the process (:meth:`MonitorConsumer.offer`), which sends it at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Protocol

from django.core.serializers.json import DjangoJSONEncoder

from qlf.dashboard.events import GROUP

__all__ = ["Listener", "hub_join", "hub_leave"]

log = logging.getLogger("qlf.live")
_REJOIN_S = 3600.0  # channel layers forget group members after a day (group_expiry)


class Listener(Protocol):
    async def offer(self, event: dict[str, Any], text: str) -> None: ...


class _Hub:
    def __init__(self, layer):
        self.layer = layer
        self.listeners: set[Listener] = set()
        self.channel: str | None = None
        self.tasks: list[asyncio.Task] = []

    async def join(self, listener: Listener) -> None:
        self.listeners.add(listener)
        if self.channel is None:
            self.channel = await self.layer.new_channel()
            await self.layer.group_add(GROUP, self.channel)
            loop = asyncio.get_running_loop()
            self.tasks = [loop.create_task(self._run()), loop.create_task(self._rejoin())]

    async def _rejoin(self) -> None:
        while True:
            await asyncio.sleep(_REJOIN_S)
            try:
                await self.layer.group_add(GROUP, self.channel)
            except Exception:
                log.exception("live feed: cannot rejoin the %s group", GROUP)

    async def _run(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # a lost Redis: the journal fills the hole later
                log.exception("live feed: channel layer receive failed")
                await asyncio.sleep(1)
                continue
            event = message.get("event")
            if message.get("type") != "monitor.event" or not event:
                continue
            text = json.dumps(event, cls=DjangoJSONEncoder)
            for listener in list(self.listeners):
                try:
                    await listener.offer(event, text)
                except Exception:  # one broken socket must not stop the others
                    log.exception("live feed: delivery of event %s failed", event.get("seq"))


_hubs: dict[asyncio.AbstractEventLoop, _Hub] = {}


async def hub_join(listener: Listener, layer) -> None:
    """Deliver the events of the group to ``listener`` from now on (once this returns)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = _Hub(layer)
    await hub.join(listener)


def hub_leave(listener: Listener) -> None:
    hub = _hubs.get(asyncio.get_running_loop())
    if hub is not None:
        hub.listeners.discard(listener)
