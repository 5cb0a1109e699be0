"""Disk alerts: one alert per level crossing, not one per poll."""

from __future__ import annotations

from collections import namedtuple

from qlf.dashboard.services.disk_alerts import DiskWatch, disk_level

Usage = namedtuple("Usage", "total used free")


class Recorder:
    def __init__(self):
        self.sent = []

    def publish(self, type, payload):
        self.sent.append((type, payload))
        return {"type": type, "payload": payload}


def test_levels():
    assert disk_level(89.9, warn=90, alarm=97) is None
    assert disk_level(90, warn=90, alarm=97) == "WARNING"
    assert disk_level(97.5, warn=90, alarm=97) == "ALARM"


def test_one_alert_per_crossing(tmp_path):
    fill = {"percent": 50}

    def usage(path):
        return Usage(1000, fill["percent"] * 10, 1000 - fill["percent"] * 10)

    recorder = Recorder()
    # Two folders of one filesystem: one alert, not two.
    watch = DiskWatch(recorder, paths=[tmp_path, tmp_path], warn=90, alarm=97, usage=usage)
    levels = []
    for percent in (50, 91, 92, 98, 99, 93, 98, 80, 95):
        fill["percent"] = percent
        levels.append([alert["level"] for alert in watch.check()])
    assert levels == [[], ["WARNING"], [], ["ALARM"], [], [], ["ALARM"], [], ["WARNING"]]
    alert = recorder.sent[0][1]
    assert recorder.sent[0][0] == "alert" and alert["disk"] == str(tmp_path)
    assert alert["percent"] == 91.0 and "91.0 % full" in alert["text"]


def test_poll_checks_at_most_every_interval(tmp_path):
    calls = []

    def usage(path):
        calls.append(path)
        return Usage(100, 10, 90)

    watch = DiskWatch(Recorder(), paths=[tmp_path], every_s=3600, usage=usage)
    watch.poll()
    watch.poll()
    assert len(calls) == 1
