"""Alerts for filling disks (DESIGN.md 10: a full disk gives an alert, not a crash).

:class:`DiskWatch` looks at the filesystems of the data and scratch directories every
``every_s`` seconds and publishes one ``alert`` event each time a filesystem's fill level rises
past ``QLF_DISK_WARN`` (WARNING, default 90 %) or ``QLF_DISK_ALARM`` (ALARM, default 97 %);
falling back below a level re-arms it.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings

__all__ = ["DiskWatch", "disk_level"]

log = logging.getLogger("qlf.pipeline")
_RANK = {None: 0, "WARNING": 1, "ALARM": 2}


def disk_level(percent: float, *, warn: float, alarm: float) -> str | None:
    """``"ALARM"``, ``"WARNING"`` or ``None`` for a filesystem ``percent`` full."""
    if percent >= alarm:
        return "ALARM"
    return "WARNING" if percent >= warn else None


class DiskWatch:
    def __init__(
        self,
        publisher,
        *,
        paths: Iterable[Path | str] | None = None,
        warn: float | None = None,
        alarm: float | None = None,
        every_s: float = 30.0,
        usage: Callable = shutil.disk_usage,
    ):
        qlf = settings.QLF
        self.publisher = publisher
        self.paths = list(paths or (qlf["DATA_DIR"], qlf["SCRATCH_DIR"]))
        self.warn = qlf.get("DISK_WARN_PCT", 90.0) if warn is None else warn
        self.alarm = qlf.get("DISK_ALARM_PCT", 97.0) if alarm is None else alarm
        self.every_s = every_s
        self.usage = usage
        self.levels: dict[int | str, str | None] = {}  # by filesystem: its last level
        self._next = 0.0

    def poll(self) -> None:
        """Check now if ``every_s`` has passed since the last check."""
        if time.monotonic() >= self._next:
            self._next = time.monotonic() + self.every_s
            self.check()

    def check(self) -> list[dict]:
        """Publish an alert for each filesystem whose level rose; return the alerts."""
        alerts, seen = [], set()
        for path in self.paths:
            try:
                usage = self.usage(path)
                key = os.stat(path).st_dev if os.path.exists(path) else str(path)
            except OSError:
                continue  # a missing folder is the daemon's error to report, not a disk alert
            if key in seen or usage.total <= 0:
                continue  # data and scratch on one filesystem: one alert
            seen.add(key)
            percent = 100.0 * usage.used / usage.total
            level = disk_level(percent, warn=self.warn, alarm=self.alarm)
            before = self.levels.get(key)
            self.levels[key] = level
            if _RANK[level] > _RANK[before]:
                alert = {
                    "level": level,
                    "camera": "",
                    "expid": None,
                    "disk": str(path),
                    "percent": round(percent, 1),
                    "text": f"disk of {path} is {percent:.1f} % full",
                    "metrics": ["DISK_FULL"],
                }
                log.warning(alert["text"])
                self.publisher.publish("alert", alert)
                alerts.append(alert)
        return alerts
