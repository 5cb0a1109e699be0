"""The live monitor feed at ``/ws/monitor/`` (DESIGN.md 7; protocol in docs/live.md).

A thin wrapper over the journal selectors and the pipeline control services. On connect the
consumer joins the process's :mod:`~qlf.dashboard.live_hub` (the ``monitor`` group's member)
*before* it reads the journal, so an event committed while it replays ``?after=<seq>`` arrives
live too and waits until the replay ends; every event whose ``seq`` is not above the last one
handled is dropped (no duplicate), and a hole in the live ``seq`` numbers (a message the layer
lost) is filled from the journal (no gap).

``job.log`` events reach only the clients that subscribed to that camera's log.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from autobahn.exception import Disconnected
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.events import event_message
from qlf.dashboard.live_hub import hub_join, hub_leave
from qlf.dashboard.models import Job
from qlf.dashboard.permissions import roles
from qlf.dashboard.selectors.events import (
    event_last_seq,
    event_list_after,
    pipeline_status_journal,
)
from qlf.dashboard.selectors.logs import job_log
from qlf.dashboard.services.pipeline_control import pipeline_action, pipeline_status

__all__ = ["LOG_TAIL", "MAX_REPLAY", "MonitorConsumer"]

log = logging.getLogger("qlf.live")

MAX_REPLAY = 20_000  # further behind than this, a client reloads from the REST API
LOG_TAIL = 1000  # lines of a job's log file sent when a client subscribes to it
_CHUNK = 500
_CAMERA = re.compile(r"^[a-z][0-9]$")


class MonitorConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        self.roles = await database_sync_to_async(roles)(user)
        if "viewer" not in self.roles:
            await self.close()  # before accept: the handshake is refused with 403
            return
        self.logs: set[tuple[int, str]] = set()
        self.gone = False  # the client left while something was sent to it
        self.cursor, self.pending, self.busy = 0, [], True  # events wait until the replay ends
        await self.accept()
        await hub_join(self, self.channel_layer)  # before reading the journal: no gap
        last = await database_sync_to_async(event_last_seq)()
        after = _after(self.scope)
        self.cursor = last if after is None else min(after, last)
        await self.send_json(
            {"type": "hello", "user": user.username, "roles": self.roles, "last_seq": last}
        )
        await self.send_json(await _status_message())
        if self.cursor < last:
            if last - self.cursor > MAX_REPLAY:
                await self.send_json({"type": "resync", "last_seq": last})
                self.cursor = last
            else:
                await self._replay(until=None)
        await self._drain()

    async def disconnect(self, code) -> None:
        hub_leave(self)

    async def send(self, text_data=None, bytes_data=None, close=False) -> None:
        """Send, unless the client has gone: a client that disconnects while something is sent
        to it (daphne raises ``Disconnected``) is left with one log line, not a traceback."""
        if getattr(self, "gone", False):
            return
        try:
            await super().send(text_data=text_data, bytes_data=bytes_data, close=close)
        except Disconnected:
            self.gone = True
            hub_leave(self)
            user = getattr(self.scope.get("user"), "username", None)
            log.info("live feed: client %s disconnected during a delivery (cursor %s); dropped",
                     user, getattr(self, "cursor", None))  # fmt: skip

    # -- from the channel layer (through the hub) ----------------------------------------------

    async def offer(self, event: dict[str, Any], text: str) -> None:
        """An event from the group, already encoded; called in the hub's task."""
        if self.busy:
            self.pending.append((event, text))
        elif event["seq"] <= self.cursor + 1:
            await self._take(event, text)  # the usual case: never waits
        else:  # a hole (a message the layer lost): fill it from the journal, in a task
            self.busy = True
            self.pending.append((event, text))
            asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self.pending:
                event, text = self.pending.pop(0)
                if event["seq"] > self.cursor + 1:
                    await self._replay(until=event["seq"])
                await self._take(event, text)
        finally:
            self.busy = False

    # -- from the client -----------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None) -> None:
        try:
            content = json.loads(text_data if text_data is not None else bytes_data)
        except (TypeError, ValueError, UnicodeDecodeError):
            return await self._error("malformed message: send one JSON object")
        if not isinstance(content, dict):
            return await self._error("malformed message: send one JSON object")
        if "action" in content:
            return await self._action(content)
        if "subscribe" in content or "unsubscribe" in content:
            return await self._subscription(content)
        if content.get("type") == "ping":
            return await self.send_json({"type": "pong", "last_seq": self.cursor})
        return await self._error("unknown message: expected action, subscribe or unsubscribe")

    async def _action(self, content: dict[str, Any]) -> None:
        action = content.get("action")
        if "operator" not in self.roles:
            return await self._error("operators only", action=action)
        try:
            result = await sync_to_async(pipeline_action, thread_sensitive=False)(
                action=str(action), confirm=content.get("confirm") is True
            )
        except ApplicationError as exc:
            return await self._error(exc.message, action=action, **exc.extra)
        await self.send_json({"type": "action", "action": action, "result": result})

    async def _subscription(self, content: dict[str, Any]) -> None:
        subscribe = "subscribe" in content
        kind = content.get("subscribe" if subscribe else "unsubscribe")
        process_id, camera = content.get("process_id"), content.get("camera")
        if kind != "log":
            return await self._error("only the log stream can be subscribed to")
        if not isinstance(process_id, int) or not isinstance(camera, str):
            return await self._error("a log subscription needs process_id and camera")
        if not _CAMERA.match(camera):
            return await self._error(f"bad camera {camera!r}")
        key = (process_id, camera)
        if not subscribe:
            self.logs.discard(key)
            return await self.send_json({"type": "unsubscribed", "process_id": process_id,
                                         "camera": camera})  # fmt: skip
        # Subscribed before the file is read: a line written meanwhile comes live (and maybe in
        # the file too), never in neither (e.g. on re-subscribing after a reconnect).
        self.logs.add(key)
        try:
            lines = await database_sync_to_async(_log_lines)(process_id=process_id, camera=camera)
        except ApplicationError as exc:
            self.logs.discard(key)
            return await self._error(exc.message, process_id=process_id, camera=camera)
        await self.send_json(
            {
                "type": "log.lines",
                "process_id": process_id,
                "camera": camera,
                "lines": lines,
                "last_seq": self.cursor,
            }
        )

    # -- helpers -------------------------------------------------------------------------------

    async def _replay(self, *, until: int | None) -> None:
        while True:
            events = await database_sync_to_async(event_list_after)(
                after=self.cursor, until=until, limit=_CHUNK
            )
            for event in events:
                await self._forward(event_message(event))
            if len(events) < _CHUNK:
                return

    async def _forward(self, event: dict[str, Any]) -> None:
        await self._take(event, None)

    async def _take(self, event: dict[str, Any], text: str | None) -> None:
        """Send ``event`` unless already sent, or a log line of a camera not subscribed to."""
        if event["seq"] <= self.cursor:
            return
        self.cursor = event["seq"]
        if event["type"] == "job.log":
            payload = event["payload"]
            if (payload.get("process_id"), payload.get("camera")) not in self.logs:
                return
        if text is None:
            await self.send_json(event)
        else:
            await self.send(text_data=text)

    async def _error(self, detail: str, **extra) -> None:
        await self.send_json({"type": "error", "detail": detail, **extra})

    @classmethod
    async def encode_json(cls, content) -> str:
        return json.dumps(content, cls=DjangoJSONEncoder)


def _after(scope) -> int | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    try:
        return max(0, int(query["after"][0]))
    except (KeyError, ValueError):
        return None


async def _status_message() -> dict[str, Any]:
    """``pipeline.status`` as the daemon answers it now, else as it last published it."""
    try:
        status = await sync_to_async(pipeline_status, thread_sensitive=False)()
        payload = {**status, "source": "daemon"}
    except ApplicationError as exc:
        journal = await database_sync_to_async(pipeline_status_journal)()
        empty = {"state": None, "queue": [], "current": None}
        payload = {**(journal or empty), "source": "journal" if journal else "none"}
        payload["unreachable"] = exc.extra.get("reason", exc.message)
    return {"seq": None, "type": "pipeline.status", "time": timezone.now().isoformat(),
            "payload": payload}  # fmt: skip


def _log_lines(*, process_id: int, camera: str) -> list[str]:
    job = Job.objects.filter(process_id=process_id, camera=camera).only("pk").first()
    if job is None:
        raise ApplicationError(f"no job for camera {camera} in process {process_id}")
    try:
        return job_log(job_id=job.pk, tail=LOG_TAIL)["lines"]
    except ApplicationError as exc:
        if exc.status_code == 404:  # no log file yet: its lines come live
            return []
        raise
