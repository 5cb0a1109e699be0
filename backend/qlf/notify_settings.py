"""Settings of the notifications of unacknowledged ALARMs (docs/operations.md), from the
environment. Nothing is sent anywhere unless an SMTP server with recipients, or a webhook,
is configured. Imports nothing of QLF: the one settings reader (``Env.notify``) holds them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

__all__ = ["NotifySettings", "read_notify"]

_SECURITY = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class NotifySettings:
    after_s: float = 600.0  # an ALARM unacknowledged this long is notified
    max_per_hour: int = 6  # messages per channel and hour; more are folded into one digest
    public_url: str = ""  # the address browsers use, for the acknowledge links
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_security: str = "none"  # none, starttls or ssl
    smtp_user: str = ""
    smtp_password_file: Path | None = None  # read when sending, never kept in the settings
    smtp_from: str = "qlf@localhost"
    smtp_to: tuple[str, ...] = ()
    webhook_url: str = ""  # Slack- or Mattermost-compatible incoming webhook

    @property
    def email(self) -> bool:
        return bool(self.smtp_host and self.smtp_to)

    @property
    def webhook(self) -> bool:
        return bool(self.webhook_url)

    def __repr__(self) -> str:  # the webhook URL holds a token: never printed
        return f"NotifySettings(after_s={self.after_s}, email={self.email}, webhook={self.webhook})"


def read_notify(environ: Mapping[str, str]) -> NotifySettings:
    """The notification settings; a ValueError names the variable that is wrong."""
    security = environ.get("QLF_SMTP_SECURITY", "").strip().lower()
    port = _number(environ, "QLF_SMTP_PORT", 25, int, minimum=1)
    if not security:  # the usual pairing of port and security
        security = {465: "ssl", 587: "starttls"}.get(port, "none")
    if security not in _SECURITY:
        raise ValueError(f"QLF_SMTP_SECURITY must be one of {', '.join(_SECURITY)}")
    webhook = environ.get("QLF_WEBHOOK_URL", "").strip()
    if webhook and urlparse(webhook).scheme not in ("http", "https"):
        raise ValueError("QLF_WEBHOOK_URL must be an http or https URL")
    public = environ.get("QLF_PUBLIC_URL", "").strip().rstrip("/")
    if public and urlparse(public).scheme not in ("http", "https"):
        raise ValueError("QLF_PUBLIC_URL must be an http or https URL (https://qlf.site)")
    password_file = environ.get("QLF_SMTP_PASSWORD_FILE", "").strip()
    recipients = environ.get("QLF_SMTP_TO", "")
    return NotifySettings(
        after_s=_number(environ, "QLF_NOTIFY_AFTER_S", 600.0, float, minimum=0),
        max_per_hour=_number(environ, "QLF_NOTIFY_MAX_PER_HOUR", 6, int, minimum=1),
        public_url=public,
        smtp_host=environ.get("QLF_SMTP_HOST", "").strip(),
        smtp_port=port,
        smtp_security=security,
        smtp_user=environ.get("QLF_SMTP_USER", "").strip(),
        smtp_password_file=Path(password_file) if password_file else None,
        smtp_from=environ.get("QLF_SMTP_FROM", "").strip() or "qlf@localhost",
        smtp_to=tuple(a.strip() for a in recipients.split(",") if a.strip()),
        webhook_url=webhook,
    )


def _number(environ, name: str, default, kind, *, minimum):
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"{name} must be a number (got {text!r})") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum} (got {text!r})")
    return value
