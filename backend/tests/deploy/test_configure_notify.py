"""./configure.sh sets up the notifications of unacknowledged ALARMs: options written to qlf.env
and .env, the mail server checked (a local one started here), bad values listed."""

from __future__ import annotations

# ruff: noqa: F811  (the site fixture imported from tests.deploy.test_configure)
from qlf.config import read_notify
from tests.deploy.test_configure import _configure, _free_port, _read, site  # noqa: F401
from tests.operations.notify_servers import SmtpReceiver


def _ports() -> tuple[str, ...]:
    return ("--port", str(_free_port()), "--http-port", str(_free_port()))


def test_notifications_are_written_for_both_modes_after_the_mail_server_answers(repo, site):
    smtp = SmtpReceiver()
    try:
        password = site / "smtp-password"
        password.write_text("s3cret\n")
        done = _configure(
            repo, site, *_ports(), "--notify-after-s", "300", "--smtp-host", "127.0.0.1",
            "--smtp-port", str(smtp.port), "--smtp-user", "qlf",
            "--smtp-password-file", str(password), "--smtp-from", "qlf@site.org",
            "--smtp-to", "night@site.org,lead@site.org",
            "--webhook-url", "https://chat.site.org/hooks/abc", "--public-url",
            "https://qlf.site.org", "--yes",
        )  # fmt: skip
    finally:
        smtp.close()
    assert done.returncode == 0, done.stderr
    assert f"mail server 127.0.0.1:{smtp.port} answers" in done.stdout
    assert smtp.received == []  # checked, nothing sent
    config = _read(site / "qlf.env")
    notify = read_notify(config)
    assert (notify.after_s, notify.smtp_port, notify.smtp_to) == (
        300, smtp.port, ("night@site.org", "lead@site.org"),
    )  # fmt: skip
    assert notify.email and notify.webhook and notify.public_url == "https://qlf.site.org"
    assert notify.smtp_password_file == password
    env = _read(site / ".env")  # docker compose passes .env to the containers
    assert env["QLF_WEBHOOK_URL"] == "https://chat.site.org/hooks/abc"
    assert env["QLF_SMTP_TO"] == "night@site.org,lead@site.org"


def test_without_notification_options_nothing_is_configured(repo, site):
    done = _configure(repo, site, *_ports(), "--yes")
    assert done.returncode == 0, done.stderr
    assert "notifications: none (nothing is sent off site)" in done.stdout
    notify = read_notify(_read(site / "qlf.env"))
    assert not notify.email and not notify.webhook


def test_notification_problems_are_listed(repo, site):
    closed = _free_port()
    done = _configure(
        repo, site, *_ports(), "--smtp-host", "127.0.0.1", "--smtp-port", str(closed),
        "--smtp-user", "qlf", "--webhook-url", "ftp://chat", "--notify-after-s", "soon", "--yes",
    )  # fmt: skip
    assert done.returncode == 1
    for words in (
        "e-mail notifications need recipients",
        "an SMTP user needs a readable password file",
        "mail server 127.0.0.1 not reachable",
        "QLF_WEBHOOK_URL must be an http(s) URL",
        "QLF_NOTIFY_AFTER_S must be a whole number",
    ):
        assert words in done.stderr
    assert not (site / "qlf.env").exists()
