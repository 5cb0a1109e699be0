"""Alarms through reprocess and Reset (issue 16): an acknowledged alarm is not raised again by
a reprocess finding the same problem, Reset clears the open ones at once (a ``pipeline.reset``
event every Monitor reacts to), and a reprocess is timed from its own start."""

from __future__ import annotations

import time

from qlf.dashboard.models import AlertAck, Event
from qlf.dashboard.selectors.alarms import alarm_list, alarm_open_count
from tests.pipeline.rawfiles import write_raw

CAMERAS = ("b0", "r0")


def _alerts(recorder):
    return [e["payload"] for e in recorder.of("alert") if e["payload"]["camera"] == "r0"]


def test_reprocess_does_not_raise_an_acknowledged_alarm_again_and_reset_clears(dirs, make_daemon):
    write_raw(dirs["data"], expid=1, cameras=CAMERAS, mtime=time.time() - 120)
    daemon, recorder = make_daemon(job_function="tests.pipeline.jobs:failing_r0")
    daemon.run(until=lambda: len(recorder.of("process.finished")) == 1, timeout=120)
    [alarm] = _alerts(recorder)
    assert alarm["level"] == "ALARM" and "r0 amplifier unreadable" in alarm["text"]
    assert daemon.scheduler.last["readout_to_qa_s"] >= 120  # from the readout, 2 minutes ago
    seq = Event.objects.get(type="alert", payload__camera="r0").seq
    AlertAck.objects.create(alert_seq=seq, level="ALARM", camera="r0", expid=1, note="known")
    assert alarm_open_count() == {"open": 0, "ALARM": 0, "WARNING": 0}

    assert daemon.reprocess(1)["queued"] == 1
    daemon.run(until=lambda: len(recorder.of("process.finished")) == 2, timeout=120)
    assert len(_alerts(recorder)) == 1  # the same finding: not a new, unacknowledged alarm
    assert Event.objects.filter(type="alert", payload__camera="r0").count() == 1
    assert daemon.scheduler.last["readout_to_qa_s"] < 60  # from the reprocess's start

    # An open alarm (never acknowledged) is cleared by Reset, at once and for every Monitor.
    Event.objects.create(
        type="alert",
        payload={"level": "WARNING", "camera": "b0", "expid": 1, "text": "b0 WARNING"},
        time=Event.objects.latest("seq").time,
    )
    assert alarm_open_count() == {"open": 1, "ALARM": 0, "WARNING": 1}
    preview = daemon.reset()
    assert preview["reset"] is False
    assert preview["detail"] == (
        "Reset deletes 2 processes of 1 exposures (their QA results and scratch products) "
        "and clears 1 open alarms; the pipeline stops."
    )
    assert daemon.reset(confirm=True)["reset"] is True
    [reset] = Event.objects.filter(type="pipeline.reset")
    assert reset.payload == {"processes": 2, "alarms": 1}
    assert alarm_open_count()["open"] == 0
    listed = {a["camera"]: a for a in alarm_list(state="all")}
    assert listed["b0"]["cleared"] is True and listed["b0"]["ack"] is None
    assert listed["r0"]["cleared"] is False and listed["r0"]["ack"]["note"] == "known"
    assert alarm_list(state="open") == []

    # After a Reset the night is processed afresh: the same problem alarms again.
    daemon.start()
    daemon.run(until=lambda: len(recorder.of("process.finished")) == 3, timeout=120)
    assert len(_alerts(recorder)) == 2
    assert [a["camera"] for a in alarm_list(state="open")] == ["r0"]
