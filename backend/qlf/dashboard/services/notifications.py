"""Notifying unacknowledged ALARMs off site (docs/operations.md, "Notifications").

:class:`Notifier` runs in the pipeline daemon's loop (embedded or standalone), like the disk
watch: every few seconds it looks for ``alert`` events of level ALARM older than
``QLF_NOTIFY_AFTER_S`` that nobody acknowledged, groups them per exposure and sends one
message per exposure and channel (e-mail, chat webhook), at most ``QLF_NOTIFY_MAX_PER_HOUR``
per channel (the rest wait for a free slot and then go as one digest). Each message is a
``Notification`` row written by the loop's thread; the network calls run on one sender thread
so a slow SMTP server never holds the loop. A failed send is logged and retried with a growing
pause; a retry leaves out the alerts acknowledged meanwhile, and is cancelled if none is left.
With no channel configured the notifier does nothing at all.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from qlf.dashboard.models import AlertAck, Event, Exposure, Notification
from qlf.dashboard.selectors.alarms import alert_metrics
from qlf.dashboard.selectors.runbooks import runbooks_for
from qlf.dashboard.services.notify_channels import notify_channels
from qlf.dashboard.services.notify_messages import AlertItem, message_compose, messages_plan

__all__ = ["MAX_AGE_S", "MAX_ATTEMPTS", "Notifier"]

log = logging.getLogger("qlf.notify")
MAX_AGE_S = 12 * 3600  # older ALARMs are not notified (e.g. when notifications are first set up)
MAX_ATTEMPTS = 8
_HOUR = timedelta(hours=1)


class Notifier:
    def __init__(
        self,
        config=None,
        *,
        channels=None,
        every_s: float = 5.0,
        retry_s: float = 60.0,
        clock=timezone.now,
    ):
        self.config = config or settings.QLF.get("NOTIFY")  # NotifySettings (Env.notify)
        if channels is None:
            channels = notify_channels(self.config) if self.config is not None else {}
        self.channels = channels
        self.every_s = every_s
        self.retry_s = retry_s  # first pause after a failure; doubled each time, at most 1 h
        self.clock = clock
        self._next = 0.0
        self._sender: ThreadPoolExecutor | None = None
        self._flying: dict[int, Future] = {}  # notification id -> its send

    @property
    def enabled(self) -> bool:
        return bool(self.channels)

    def poll(self) -> None:
        """Called each turn of the daemon's loop: checks every ``every_s`` seconds; never
        raises (a notification problem must not stop the pipeline)."""
        if not self.enabled or time.monotonic() < self._next:
            return
        self._next = time.monotonic() + self.every_s
        try:
            self.check()
        except Exception:
            log.exception("notifications: check failed; trying again in %.0f s", self.every_s)

    def check(self) -> list[Notification]:
        """Record finished sends, retry failed ones that are due, start new ones; returns the
        notifications started now."""
        self._collect()
        if not self.enabled:
            return []
        now = self.clock()
        events = self._due_events(now)
        work = {}
        for channel in self.channels:
            waiting = list(
                Notification.objects.filter(channel=channel, status="pending")
                .filter(Q(next_try__lte=now) | Q(next_try=None))  # None: a send lost in a restart
                .exclude(pk__in=list(self._flying))
            )
            notified = _notified_seqs(channel, now)
            work[channel] = (waiting, [seq for seq in events if seq not in notified])
        needed = {s for waiting, fresh in work.values() for s in [*fresh, *_seqs(waiting)]}
        items = self._items([events[s] for s in sorted(needed) if s in events])
        started = []
        for channel, (waiting, fresh) in work.items():
            started += self._retry(waiting, items)
            slots = (
                self.config.max_per_hour
                - Notification.objects.filter(channel=channel, created__gt=now - _HOUR).count()
            )
            for group in messages_plan(_by_exposure([items[s] for s in fresh]), slots):
                note = Notification.objects.create(
                    channel=channel,
                    alert_seqs=[i.seq for i in group],
                    expids=sorted({i.expid for i in group if i.expid is not None}),
                    created=now,
                )
                self._send(note, group)
                started.append(note)
        return started

    def flush(self, timeout: float = 30.0) -> None:
        """Wait for the sends in flight and record them (tests; shutdown)."""
        deadline = time.monotonic() + timeout
        for future in list(self._flying.values()):
            future.exception(timeout=max(0.0, deadline - time.monotonic()))
        self._collect()

    def close(self, timeout: float = 5.0) -> None:
        """Record the sends that finish within ``timeout`` (so they are not sent again after a
        restart), then stop the sender thread."""
        try:
            self.flush(timeout)
        except Exception:  # a send still hanging, or the database gone: it is retried later
            log.warning("notifications: %d sends unrecorded at shutdown", len(self._flying))
        if self._sender is not None:
            self._sender.shutdown(wait=False, cancel_futures=True)
            self._sender = None

    # -- internals -------------------------------------------------------------------------

    def _due_events(self, now: datetime) -> dict[int, Event]:
        """Unacknowledged ALARMs older than the delay and younger than MAX_AGE_S, by seq."""
        events = Event.objects.filter(
            type="alert",
            payload__level="ALARM",
            time__lte=now - timedelta(seconds=self.config.after_s),
            time__gte=now - timedelta(seconds=MAX_AGE_S),
        ).order_by("seq")
        found = {e.seq: e for e in events}
        acked = AlertAck.objects.filter(alert_seq__in=list(found)).values_list("alert_seq")
        for (seq,) in acked:
            del found[seq]
        return found

    def _items(self, events: list[Event]) -> dict[int, AlertItem]:
        """The alerts as messages show them, each with the runbooks of its metrics."""
        expids = {e.payload.get("expid") for e in events} - {None}
        flavors = dict(Exposure.objects.filter(expid__in=expids).values_list("expid", "flavor"))
        runbooks = {}
        items = {}
        for e in events:
            expid = e.payload.get("expid") if isinstance(e.payload.get("expid"), int) else None
            keys = tuple(alert_metrics(e.payload))
            flavor = flavors.get(expid)
            if (keys, flavor) not in runbooks:
                runbooks[(keys, flavor)] = runbooks_for(list(keys), flavor=flavor)
            items[e.seq] = AlertItem(
                seq=e.seq,
                time=e.time,
                camera=str(e.payload.get("camera") or ""),
                expid=expid,
                text=str(e.payload.get("text") or ""),
                runbooks=runbooks[(keys, flavor)],
            )
        return items

    def _retry(self, waiting: list[Notification], items: dict[int, AlertItem]) -> list:
        retried = []
        for note in waiting:
            left = [items[s] for s in note.alert_seqs if s in items]
            if not left:  # acknowledged meanwhile (or too old): nothing left to say
                note.status = "cancelled"
                note.save(update_fields=["status"])
                log.info("notifications: %s about %s cancelled, acknowledged meanwhile",
                         note.channel, note.alert_seqs)  # fmt: skip
                continue
            self._send(note, left)
            retried.append(note)
        return retried

    def _send(self, note: Notification, items: list[AlertItem]) -> None:
        nights = dict(Exposure.objects.filter(expid__in=note.expids).values_list("expid", "night"))
        subject, text = message_compose(
            items, public_url=self.config.public_url, after_s=self.config.after_s, nights=nights
        )
        note.attempts += 1
        note.next_try = None
        note.save(update_fields=["attempts", "next_try"])
        if self._sender is None:
            self._sender = ThreadPoolExecutor(1, thread_name_prefix="qlf-notify")
        self._flying[note.pk] = self._sender.submit(self.channels[note.channel], subject, text)

    def _collect(self) -> None:
        for pk, future in list(self._flying.items()):
            if not future.done():
                continue
            del self._flying[pk]
            note = Notification.objects.filter(pk=pk).first()
            if note is None:
                continue
            error = future.exception() if not future.cancelled() else RuntimeError("cancelled")
            if error is None:
                note.status, note.sent, note.last_error = "sent", self.clock(), ""
                log.info("notifications: %s sent about alerts %s", note.channel, note.alert_seqs)
            else:
                note.last_error = f"{type(error).__name__}: {error}"[:1000]
                if note.attempts >= MAX_ATTEMPTS:
                    note.status = "failed"
                    log.error("notifications: %s gave up after %d attempts: %s",
                              note.channel, note.attempts, note.last_error)  # fmt: skip
                else:
                    pause = min(self.retry_s * 2 ** (note.attempts - 1), 3600.0)
                    note.next_try = self.clock() + timedelta(seconds=pause)
                    log.warning("notifications: %s failed (%s); retrying in %.0f s",
                                note.channel, note.last_error, pause)  # fmt: skip
            note.save(update_fields=["status", "sent", "last_error", "next_try"])


def _notified_seqs(channel: str, now: datetime) -> set[int]:
    recent = Notification.objects.filter(
        channel=channel, created__gte=now - timedelta(seconds=2 * MAX_AGE_S)
    ).values_list("alert_seqs", flat=True)
    return {seq for seqs in recent for seq in seqs}


def _seqs(notes: list[Notification]) -> list[int]:
    return [seq for note in notes for seq in note.alert_seqs]


def _by_exposure(items: list[AlertItem]) -> list[list[AlertItem]]:
    groups: dict[int | None, list[AlertItem]] = defaultdict(list)
    for item in items:
        groups[item.expid].append(item)
    return [groups[k] for k in sorted(groups, key=lambda k: (k is None, k or 0))]
