"""Notifications of unacknowledged ALARMs sent off site (e-mail, chat webhook)."""

from __future__ import annotations

from django.db import models

__all__ = ["Notification"]


class Notification(models.Model):
    """One message on one channel about the ALARMs of one exposure (or a digest of several
    when the rate limit held them back). Written only by the daemon's loop.

    ``status``: ``pending`` (not delivered yet: being sent, or waiting ``next_try`` after a
    failure), ``sent``, ``cancelled`` (every alert acknowledged before it could be delivered),
    ``failed`` (given up after the last attempt).
    """

    CHANNELS = ("email", "webhook")
    STATUSES = ("pending", "sent", "cancelled", "failed")

    channel = models.CharField(max_length=8)
    alert_seqs = models.JSONField(help_text="the journal seqs of the alerts it is about")
    expids = models.JSONField(default=list)
    status = models.CharField(max_length=10, default="pending", db_index=True)
    attempts = models.IntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    created = models.DateTimeField(db_index=True)
    next_try = models.DateTimeField(null=True, blank=True)
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} notification {self.pk} ({self.status})"
