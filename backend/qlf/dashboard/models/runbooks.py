"""Alarm runbooks edited in the browser, layered on the shipped file ``backend/runbooks/``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = ["RunbookVersion"]


class RunbookVersion(models.Model):
    """One version of the runbook of a metric key for a scope (``default``, a flavor, an arm,
    or ``flavor/arm``): what an ALARM and a WARNING mean, what to check first, whom to call.

    Each edit adds a version; the latest of a key and scope is in force, the shipped file's
    entry before any edit. ``base_version`` is the version the admin edited.
    """

    key = models.CharField(max_length=32)
    scope = models.CharField(max_length=16, default="default")
    alarm = models.TextField()
    warning = models.TextField()
    check_first = models.TextField()
    contact = models.TextField()
    note = models.TextField(help_text="why it changed")
    base_version = models.CharField(max_length=32)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "scope", "id"]
        indexes = [models.Index(fields=["key", "scope", "id"], name="runbook_key_scope")]

    def __str__(self) -> str:
        return f"runbook {self.key} {self.scope} {self.version}"

    @property
    def version(self) -> str:
        """``YYYY-MM-DD+db<id>``: the day of the edit and its id, like threshold versions."""
        return f"{self.created:%Y-%m-%d}+db{self.pk}"
