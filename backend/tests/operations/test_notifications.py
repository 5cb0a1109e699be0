"""Notifications of unacknowledged ALARMs: after the delay, not before, not once acknowledged,
one message per exposure, rate-limited, failures logged and retried; e-mail to a local SMTP
server and a chat webhook to a local receiver, both started by the tests."""
# ruff: noqa: F811  (pytest fixtures imported from tests.operations.ops_fixtures)

from __future__ import annotations

import logging
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from qlf.config import read_notify
from qlf.dashboard.models import Event, Exposure, Notification
from qlf.dashboard.selectors.alarms import alarm_list
from qlf.dashboard.services.alert_acks import alert_acknowledge
from qlf.dashboard.services.notifications import Notifier
from qlf.dashboard.services.notify_channels import notify_channels
from qlf.dashboard.services.notify_messages import AlertItem, messages_plan
from tests.operations.notify_servers import SmtpReceiver, WebhookReceiver
from tests.operations.ops_fixtures import NIGHT, clients, users  # noqa: F401
from tests.pipeline.conftest import config, dirs, make_daemon, wait_for  # noqa: F401

AFTER_S = 300


class Clock:
    """Time as the notifier sees it: now, moved forward by the test."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def receivers():
    smtp, hook = SmtpReceiver(), WebhookReceiver()
    yield smtp, hook
    smtp.close()
    hook.close()


def _settings(smtp, hook, **environ):
    return read_notify({
        "QLF_SMTP_HOST": "127.0.0.1", "QLF_SMTP_PORT": str(smtp.port),
        "QLF_SMTP_TO": "night@site.org, lead@site.org", "QLF_SMTP_FROM": "qlf@site.org",
        "QLF_WEBHOOK_URL": hook.url, "QLF_PUBLIC_URL": "https://qlf.site.org/",
        "QLF_NOTIFY_AFTER_S": str(AFTER_S), **environ,
    })  # fmt: skip


def _alert(expid=42, camera="r3", level="ALARM", time=None, **payload) -> Event:
    text = f"{camera} of {expid}: {level} in CHECK_CCDs/BIAS_AMP"
    payload = {"level": level, "camera": camera, "expid": expid, "text": text,
               "metrics": ["BIAS_AMP"], **payload}  # fmt: skip
    return Event.objects.create(type="alert", payload=payload, time=time or timezone.now())


def _notifier(smtp, hook, clock, **environ) -> Notifier:
    return Notifier(_settings(smtp, hook, **environ), clock=clock, every_s=0, retry_s=60)


def _run(notifier: Notifier) -> list[Notification]:
    started = notifier.check()
    notifier.flush()
    return started


@pytest.mark.django_db
def test_nothing_leaves_the_site_unless_configured(receivers):
    assert notify_channels(read_notify({})) == {}
    assert set(notify_channels(_settings(*receivers))) == {"email", "webhook"}
    only_hook = read_notify({"QLF_WEBHOOK_URL": "https://chat.example/hooks/x"})
    assert set(notify_channels(only_hook)) == {"webhook"}
    assert set(notify_channels(read_notify({"QLF_SMTP_HOST": "mail"}))) == set()  # no recipient
    clock = Clock()
    _alert(time=clock.now)
    clock.advance(AFTER_S * 10)
    idle = Notifier(read_notify({}), clock=clock, every_s=0)
    assert not idle.enabled and idle.check() == []
    idle.poll()
    assert not Notification.objects.exists()


def test_settings_are_checked_and_the_webhook_url_is_never_printed():
    hook = "https://chat.example/hooks/SECRET-TOKEN"
    settings = read_notify({"QLF_WEBHOOK_URL": hook, "QLF_SMTP_PORT": "587"})
    assert settings.smtp_security == "starttls" and "SECRET" not in repr(settings)
    assert read_notify({"QLF_SMTP_PORT": "465"}).smtp_security == "ssl"
    assert read_notify({}).after_s == 600 and read_notify({}).max_per_hour == 6
    for environ, name in (
        ({"QLF_NOTIFY_AFTER_S": "soon"}, "QLF_NOTIFY_AFTER_S"),
        ({"QLF_NOTIFY_MAX_PER_HOUR": "0"}, "QLF_NOTIFY_MAX_PER_HOUR"),
        ({"QLF_SMTP_SECURITY": "tls13"}, "QLF_SMTP_SECURITY"),
        ({"QLF_WEBHOOK_URL": "file:///etc/passwd"}, "QLF_WEBHOOK_URL"),
        ({"QLF_PUBLIC_URL": "qlf.site"}, "QLF_PUBLIC_URL"),
    ):
        with pytest.raises(ValueError, match=name):
            read_notify(environ)


@pytest.mark.django_db
def test_an_alarm_is_notified_after_the_delay_not_before_and_once(receivers):
    smtp, hook = receivers
    clock = Clock()
    Exposure.objects.create(expid=42, night=NIGHT, flavor="science", discovered_at=clock.now)
    alert = _alert(time=clock.now)
    _alert(camera="b0", level="WARNING", time=clock.now)  # WARNINGs are never notified
    notifier = _notifier(smtp, hook, clock)
    clock.advance(AFTER_S - 5)
    assert _run(notifier) == []
    clock.advance(10)
    started = _run(notifier)
    assert sorted(n.channel for n in started) == ["email", "webhook"]
    assert [m["Subject"] for m in smtp.received] == [
        f"QLF: 1 unacknowledged ALARM on exposure 42 (night {NIGHT})"
    ]
    mail = smtp.received[0]
    assert (mail["From"], mail["To"]) == ("qlf@site.org", "night@site.org, lead@site.org")
    body = mail.get_content()
    assert body.startswith("1 ALARM on exposure 42 (night 20261122) not acknowledged within 5 min:")
    assert f"Acknowledge: https://qlf.site.org/alarms?alert={alert.seq}" in body
    assert "r3 of 42: ALARM in CHECK_CCDs/BIAS_AMP" in body and "b0" not in body
    assert "BIAS_AMP: An amplifier's overscan level" in body  # the runbook's first sentence
    assert "Call: Instrument scientist on call" in body
    assert len(hook.received) == 1 and hook.received[0]["text"].startswith("**QLF: 1 unack")
    assert f"/alarms?alert={alert.seq}" in hook.received[0]["text"]
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    clock.advance(3600)
    assert _run(notifier) == [] and len(smtp.received) == 1 and len(hook.received) == 1
    listed = {a["seq"]: a["notified"] for a in alarm_list()}
    assert sorted((n["channel"], n["status"], n["attempts"]) for n in listed[alert.seq]) == [
        ("email", "sent", 1), ("webhook", "sent", 1),
    ]  # fmt: skip
    assert listed[alert.seq + 1] == []  # the WARNING


@pytest.mark.django_db
def test_an_acknowledged_alarm_is_not_notified(receivers, users):
    smtp, hook = receivers
    clock = Clock()
    alert = _alert(time=clock.now)
    alert_acknowledge(seq=alert.seq, note="known bad amp", user=users["operator"])
    clock.advance(AFTER_S + 1)
    assert _run(_notifier(smtp, hook, clock)) == []
    assert smtp.received == [] and hook.received == []


@pytest.mark.django_db
def test_alarms_are_grouped_per_exposure(receivers):
    smtp, hook = receivers
    clock = Clock()
    for camera in ("r3", "b0", "z1"):
        _alert(expid=7, camera=camera, time=clock.now)
    _alert(expid=8, camera="r5", time=clock.now)
    _alert(expid=None, camera="", text="disk of /data is 98 % full", metrics=["DISK_FULL"],
           time=clock.now)  # fmt: skip
    clock.advance(AFTER_S + 1)
    _run(_notifier(smtp, hook, clock))
    assert [m["Subject"] for m in smtp.received] == [
        "QLF: 3 unacknowledged ALARMs on exposure 7",
        "QLF: 1 unacknowledged ALARM on exposure 8",
        "QLF: 1 unacknowledged ALARM on the pipeline",
    ]
    assert all(cam in smtp.received[0].get_content() for cam in ("r3 of 7", "b0 of 7", "z1 of 7"))
    assert "DISK_FULL: The disk of the data or scratch directory" in smtp.received[2].get_content()
    assert len(hook.received) == 3


def test_the_rate_limit_folds_what_does_not_fit_into_one_digest():
    groups = [[AlertItem(seq=i, time=timezone.now(), camera="r3", expid=i, text="")]
              for i in range(5)]  # fmt: skip
    assert messages_plan(groups, 0) == []
    assert messages_plan(groups[:2], 3) == groups[:2]
    plan = messages_plan(groups, 3)
    assert [[i.expid for i in m] for m in plan] == [[0], [1], [2, 3, 4]]


@pytest.mark.django_db
def test_at_most_the_hourly_limit_is_sent_the_rest_waits_for_a_free_slot(receivers):
    smtp, hook = receivers
    clock = Clock()
    for expid in (1, 2, 3, 4):
        _alert(expid=expid, time=clock.now)
    clock.advance(AFTER_S + 1)
    notifier = _notifier(smtp, hook, clock, QLF_NOTIFY_MAX_PER_HOUR="2")
    _run(notifier)
    assert [m["Subject"] for m in smtp.received] == [
        "QLF: 1 unacknowledged ALARM on exposure 1",
        "QLF: 3 unacknowledged ALARMs on exposures 2, 3, 4",
    ]
    for expid in (5, 6):
        _alert(expid=expid, time=clock.now)
    clock.advance(AFTER_S + 1)
    assert _run(notifier) == [] and len(smtp.received) == 2  # the hour's two are used
    clock.advance(3600)
    _run(notifier)
    assert [m["Subject"] for m in smtp.received[2:]] == [
        "QLF: 1 unacknowledged ALARM on exposure 5",
        "QLF: 1 unacknowledged ALARM on exposure 6",
    ]
    assert len(hook.received) == 4


@pytest.mark.django_db
def test_failures_are_logged_and_retried_and_acknowledged_alarms_left_out(receivers, users, caplog):
    smtp, hook = receivers
    hook.fail_next = 1
    smtp.fail_next = 1
    clock = Clock()
    first = _alert(expid=9, camera="r3", time=clock.now)
    second = _alert(expid=9, camera="z3", time=clock.now)
    clock.advance(AFTER_S + 1)
    notifier = _notifier(smtp, hook, clock)
    with caplog.at_level(logging.WARNING, logger="qlf.notify"):
        notifier.poll()  # never raises
        notifier.flush()
    assert smtp.received == [] and hook.received == []
    failed = {n.channel: n for n in Notification.objects.all()}
    assert failed["webhook"].last_error.startswith("HTTPError") and failed["email"].attempts == 1
    assert "SMTPSenderRefused" in failed["email"].last_error
    assert all(n.status == "pending" and n.next_try == clock.now + timedelta(seconds=60)
               for n in failed.values())  # fmt: skip
    assert sum("retrying in 60 s" in r.getMessage() for r in caplog.records) == 2
    alert_acknowledge(seq=first.seq, note="seen", user=users["operator"])
    clock.advance(30)
    assert _run(notifier) == []  # not yet due
    clock.advance(31)
    retried = _run(notifier)
    assert sorted(n.channel for n in retried) == ["email", "webhook"]
    assert len(smtp.received) == 1 and len(hook.received) == 1
    body = smtp.received[0].get_content()
    assert f"alert={second.seq}" in body and f"alert={first.seq}" not in body
    assert {(n.status, n.attempts) for n in Notification.objects.all()} == {("sent", 2)}


@pytest.mark.django_db
def test_a_retry_is_cancelled_when_every_alarm_was_acknowledged(receivers, users):
    smtp, hook = receivers
    smtp.fail_next = hook.fail_next = 1
    clock = Clock()
    alert = _alert(time=clock.now)
    clock.advance(AFTER_S + 1)
    notifier = _notifier(smtp, hook, clock)
    _run(notifier)
    alert_acknowledge(seq=alert.seq, note="seen", user=users["operator"])
    clock.advance(120)
    assert _run(notifier) == []
    assert set(Notification.objects.values_list("status", flat=True)) == {"cancelled"}
    assert smtp.received == [] and hook.received == []


@pytest.mark.django_db
def test_an_unreachable_server_is_an_error_recorded_not_a_crash(receivers):
    smtp, hook = receivers
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there
    clock = Clock()
    _alert(time=clock.now)
    clock.advance(AFTER_S + 1)
    notifier = _notifier(smtp, hook, clock, QLF_SMTP_PORT=str(port),
                         QLF_WEBHOOK_URL=f"http://127.0.0.1:{port}/hook")  # fmt: skip
    _run(notifier)
    errors = sorted(Notification.objects.values_list("channel", "last_error"))
    assert errors[0][0] == "email" and "ConnectionRefusedError" in errors[0][1]
    assert errors[1][0] == "webhook" and "URLError" in errors[1][1]


def test_the_daemon_loop_notifies(make_daemon, receivers):
    smtp, hook = receivers
    notifier = Notifier(_settings(smtp, hook, QLF_NOTIFY_AFTER_S="0.2"), every_s=0.05)
    daemon, _ = make_daemon(autostart=False, notifier=notifier)
    alert = _alert(expid=5)
    daemon.start_background()
    wait_for(lambda: hook.received and smtp.received, timeout=20)
    assert f"alert={alert.seq}" in hook.received[0]["text"]
    daemon.shutdown()
    assert Notification.objects.filter(status="sent").count() == 2


def test_the_configuration_api_says_where_alarms_go_without_addresses(clients, settings):
    off = clients["viewer"].get("/api/config/").json()["notifications"]
    assert off["email"] is False and off["webhook"] is False
    hook = "https://chat.example/hooks/SECRET-TOKEN"
    settings.QLF = {**settings.QLF, "NOTIFY": read_notify({
        "QLF_WEBHOOK_URL": hook, "QLF_SMTP_HOST": "mail.site.org", "QLF_SMTP_TO": "a@site.org",
        "QLF_NOTIFY_AFTER_S": "300",
    })}  # fmt: skip
    answer = clients["viewer"].get("/api/config/")
    assert answer.json()["notifications"] == {
        "email": True, "webhook": True, "after_s": 300.0, "max_per_hour": 6,
    }  # fmt: skip
    assert (
        "SECRET" not in answer.content.decode() and "mail.site.org" not in answer.content.decode()
    )


@pytest.mark.django_db
def test_a_send_lost_in_a_restart_is_made_again_once(receivers):
    smtp, hook = receivers
    clock = Clock()
    alert = _alert(time=clock.now)
    clock.advance(AFTER_S + 1)
    for channel in ("email", "webhook"):  # recorded, then the daemon died before sending
        Notification.objects.create(channel=channel, alert_seqs=[alert.seq], expids=[42],
                                    created=clock.now, attempts=1)  # fmt: skip
    restarted = _notifier(smtp, hook, clock)
    assert sorted(n.channel for n in _run(restarted)) == ["email", "webhook"]
    assert len(smtp.received) == len(hook.received) == 1
    assert {(n.status, n.attempts) for n in Notification.objects.all()} == {("sent", 2)}
    assert _run(restarted) == []


def test_qlf_notify_test_sends_one_message_per_channel(receivers, settings, capsys):
    from qlf.cli import main

    smtp, hook = receivers
    assert main(["notify-test"]) == 2  # nothing configured: nothing sent
    settings.QLF = {**settings.QLF, "NOTIFY": _settings(smtp, hook)}
    assert main(["notify-test"]) == 0
    assert capsys.readouterr().out.splitlines() == ["email: sent", "webhook: sent"]
    assert smtp.received[0]["Subject"] == "QLF: test notification"
    assert "qlf notify-test" in hook.received[0]["text"]
    hook.fail_next = 1
    assert main(["notify-test"]) == 1
    assert "webhook: FAILED HTTPError" in capsys.readouterr().out
