"""Acknowledging alarms: recorded with author, time and note, audited, sent live."""
# ruff: noqa: F811  (pytest fixtures imported from tests.operations.ops_fixtures)

from __future__ import annotations

import pytest
from django.utils import timezone

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import AlertAck, AuditEntry, Event
from qlf.dashboard.services.alert_acks import alert_acknowledge
from qlf.dashboard.services.pipeline_control import pipeline_attach
from qlf.pipeline.daemon import PipelineService
from tests.operations.ops_fixtures import clients, users  # noqa: F401
from tests.pipeline.conftest import config, dirs, make_daemon, wait_for  # noqa: F401

pytestmark = pytest.mark.django_db


def _alert(camera: str = "r3", level: str = "ALARM", expid: int = 42) -> Event:
    payload = {"level": level, "camera": camera, "expid": expid, "text": f"{camera}: {level}"}
    return Event.objects.create(type="alert", payload=payload, time=timezone.now())


def test_acknowledging_records_audits_and_publishes(users, django_capture_on_commit_callbacks):
    alert = _alert()
    with django_capture_on_commit_callbacks(execute=True):
        ack = alert_acknowledge(
            seq=alert.seq, note="  known, bias being fixed ", user=users["operator"]
        )
    assert (ack.note, ack.author, ack.level, ack.camera, ack.expid) == (
        "known, bias being fixed", users["operator"], "ALARM", "r3", 42,
    )  # fmt: skip
    event = Event.objects.filter(type="alert.acknowledged").get()
    assert event.seq > alert.seq
    assert event.payload | {"time": None} == {
        "seq": alert.seq, "level": "ALARM", "camera": "r3", "expid": 42, "author": "otto",
        "note": "known, bias being fixed", "time": None,
    }  # fmt: skip
    audit = AuditEntry.objects.get()
    assert (audit.action, audit.target, audit.author) == (
        "alert.acknowledge",
        f"alert {alert.seq}",
        "otto",
    )


def test_the_daemon_publishes_the_acknowledgement_when_it_runs(
    users, django_capture_on_commit_callbacks
):
    """The journal keeps one writer (the daemon's loop) whenever a daemon answers."""
    published = []

    class Daemon:
        def publish(self, type, payload):
            published.append((type, payload["seq"], payload["note"]))
            return {"seq": 99, "type": type, "payload": payload}

    alert = _alert()
    pipeline_attach(Daemon())
    try:
        with django_capture_on_commit_callbacks(execute=True):
            alert_acknowledge(seq=alert.seq, note="seen", user=users["operator"])
    finally:
        pipeline_attach(None)
    assert published == [("alert.acknowledged", alert.seq, "seen")]
    assert not Event.objects.filter(type="alert.acknowledged").exists()  # not journalled twice


def test_the_daemon_loop_journals_and_sends_a_web_event(make_daemon):
    daemon, recorder = make_daemon(autostart=False)
    daemon.start_background()
    message = daemon.publish("alert.acknowledged", {"seq": 3, "note": "seen"})  # from this thread
    assert Event.objects.get(seq=message["seq"]).type == "alert.acknowledged"
    wait_for(lambda: recorder.of("alert.acknowledged"))
    assert recorder.of("alert.acknowledged")[0]["payload"] == {"seq": 3, "note": "seen"}


def test_over_pyro_the_web_may_publish_acknowledgements_only():
    class Daemon:
        def publish(self, type, payload):
            return {"seq": 7, "type": type, "payload": payload}

    service = PipelineService(Daemon())
    assert service.publish("alert.acknowledged", {"seq": 3})["seq"] == 7
    refused = service.publish("pipeline.status", {"state": "stopped"})
    assert refused["seq"] is None and "alert.acknowledged" in refused["detail"]


def test_acknowledging_twice_or_a_non_alert_fails(users):
    alert = _alert()
    alert_acknowledge(seq=alert.seq, note="seen", user=users["operator"])
    with pytest.raises(ApplicationError) as twice:
        alert_acknowledge(seq=alert.seq, note="again", user=users["admin"])
    assert twice.value.status_code == 409 and "otto" in twice.value.message
    status = Event.objects.create(type="pipeline.status", payload={}, time=timezone.now())
    with pytest.raises(ApplicationError) as other:
        alert_acknowledge(seq=status.seq, note="no", user=users["operator"])
    assert other.value.status_code == 404
    with pytest.raises(ApplicationError):
        alert_acknowledge(seq=_alert().seq, note="   ", user=users["operator"])
    assert AlertAck.objects.count() == 1


def test_alarm_api_lists_acknowledges_and_filters(clients):
    first, second = _alert("b0", "WARNING", 7), _alert("r3", "ALARM", 8)
    url = f"/api/alarms/{second.seq}/ack/"
    assert clients["anonymous"].post(url, {"note": "x"}).status_code in (401, 403)
    assert clients["viewer"].post(url, {"note": "x"}).status_code == 403
    assert clients["operator"].post(url, {}).status_code == 400
    answer = clients["operator"].post(url, {"note": "r3 amp A is known bad"})
    assert answer.status_code == 201
    assert answer.json()["author"] == "otto" and answer.json()["seq"] == second.seq
    assert clients["operator"].post(url, {"note": "again"}).status_code == 409
    assert clients["operator"].post("/api/alarms/999999/ack/", {"note": "x"}).status_code == 404
    listed = clients["viewer"].get("/api/alarms/").json()
    assert [(a["seq"], a["camera"], a["level"]) for a in listed] == [
        (second.seq, "r3", "ALARM"), (first.seq, "b0", "WARNING"),
    ]  # fmt: skip
    assert listed[0]["ack"]["note"] == "r3 amp A is known bad" and listed[1]["ack"] is None
    open_ = clients["viewer"].get("/api/alarms/?state=open").json()
    assert [a["seq"] for a in open_] == [first.seq]
    done = clients["viewer"].get("/api/alarms/?state=acknowledged").json()
    assert [a["seq"] for a in done] == [second.seq]
    assert clients["viewer"].get("/api/alarms/?state=bogus").status_code == 400
    audit = clients["viewer"].get("/api/audit/?action=alert.").json()
    assert [(a["action"], a["author"]) for a in audit] == [("alert.acknowledge", "otto")]


def test_open_alarms_are_counted_per_level_until_acknowledged_or_reset(clients, users):
    """Every page shows the count (issue 16); a Reset clears what is open."""
    warning, alarm = _alert("b4", "WARNING", 5), _alert("r3", "ALARM", 6)
    assert clients["viewer"].get("/api/alarms/open/").json() == {
        "open": 2, "ALARM": 1, "WARNING": 1,
    }  # fmt: skip
    alert_acknowledge(seq=alarm.seq, note="seen", user=users["operator"])
    assert clients["viewer"].get("/api/alarms/open/").json()["open"] == 1
    Event.objects.create(type="pipeline.reset", payload={}, time=timezone.now())
    assert clients["viewer"].get("/api/alarms/open/").json()["open"] == 0
    listed = clients["viewer"].get("/api/alarms/").json()
    assert [(a["seq"], a["cleared"]) for a in listed] == [(alarm.seq, False), (warning.seq, True)]
    later = _alert("b4", "WARNING", 5)  # raised again after the Reset: open again
    assert [a["seq"] for a in clients["viewer"].get("/api/alarms/?state=open").json()] == [
        later.seq
    ]
