"""Threshold versions edited in the browser, layered on top of the shipped files."""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = ["ThresholdVersion"]


class ThresholdVersion(models.Model):
    """A whole threshold document (the ``metrics`` of a spec file) in force from a night on.

    Each edit makes a new version: a copy of the version in force on ``effective_night`` with
    one metric entry changed (``change`` records which and how). Files of ``specs/`` stay the
    baseline; a night is graded by the latest version, file or database, that applies to it.
    """

    version = models.CharField(max_length=32, unique=True)
    effective_night = models.IntegerField(db_index=True)
    base_version = models.CharField(max_length=32)
    metrics = models.JSONField()
    change = models.JSONField(default=dict, help_text="key, selector, before, after")
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_night", "id"]

    def __str__(self) -> str:
        return f"thresholds {self.version}"
