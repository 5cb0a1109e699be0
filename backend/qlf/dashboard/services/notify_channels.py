"""Sending one notification: by e-mail (SMTP, :mod:`smtplib`) or to a chat webhook
(Slack- and Mattermost-compatible: a POST of ``{"text": ...}``). Network only, no database:
these run on the notifier's sender thread. A failure raises; the caller records and retries."""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.request
from collections.abc import Callable
from email.message import EmailMessage

__all__ = ["TIMEOUT_S", "notify_channels", "send_email", "send_webhook"]

TIMEOUT_S = 10.0

Sender = Callable[[str, str], None]  # (subject, text)


def notify_channels(config) -> dict[str, Sender]:
    """The configured channels of ``config`` (NotifySettings), by name: none unless set."""
    found: dict[str, Sender] = {}
    if config.email:
        found["email"] = lambda subject, text: send_email(config, subject, text)
    if config.webhook:
        found["webhook"] = lambda subject, text: send_webhook(config, subject, text)
    return found


def send_email(config, subject: str, text: str) -> None:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.smtp_from
    message["To"] = ", ".join(config.smtp_to)
    message.set_content(text)
    context = ssl.create_default_context()
    if config.smtp_security == "ssl":
        smtp = smtplib.SMTP_SSL(config.smtp_host, config.smtp_port, timeout=TIMEOUT_S,
                                context=context)  # fmt: skip
    else:
        smtp = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=TIMEOUT_S)
    with smtp:
        if config.smtp_security == "starttls":
            smtp.starttls(context=context)
        if config.smtp_user:
            smtp.login(config.smtp_user, _password(config))
        smtp.send_message(message)


def send_webhook(config, subject: str, text: str) -> None:
    body = json.dumps({"text": f"**{subject}**\n{text}"}).encode()
    request = urllib.request.Request(
        config.webhook_url,
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:  # read_notify: http(s)
        if not 200 <= answer.status < 300:  # urlopen raises for 4xx/5xx; a 1xx/3xx is no post
            raise OSError(f"webhook answered {answer.status}")


def _password(config) -> str:
    if config.smtp_password_file is None:
        raise OSError("QLF_SMTP_USER is set but QLF_SMTP_PASSWORD_FILE is not")
    return config.smtp_password_file.read_text().strip()
