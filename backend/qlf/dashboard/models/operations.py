"""Operations records: alarm acknowledgements, known-bad masks and their audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = ["AlertAck", "AuditEntry", "Mask"]


class AlertAck(models.Model):
    """An operator's acknowledgement of one ``alert`` event (by its journal ``seq``).

    The alert's level, camera, exposure and text are copied so that the record stays readable
    when the event journal is trimmed.
    """

    alert_seq = models.BigIntegerField(unique=True)
    level = models.CharField(max_length=8)
    camera = models.CharField(max_length=3, blank=True, default="")
    expid = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-alert_seq"]

    def __str__(self) -> str:
        return f"ack of alert {self.alert_seq}"


class Mask(models.Model):
    """A known-bad camera, amp or fiber, masked for the nights ``night_from``–``night_to``.

    ``amp`` and ``fiber`` are empty for a whole camera; ``fiber`` is the fiber's index within
    the camera (0–499). ``metrics`` lists the metric keys masked (empty: every metric).
    ``night_to`` null: until ended. Ending a mask sets its last night.
    """

    camera = models.CharField(max_length=3)
    amp = models.CharField(max_length=1, blank=True, default="")
    fiber = models.IntegerField(null=True, blank=True)
    metrics = models.JSONField(default=list, blank=True)
    night_from = models.IntegerField()
    night_to = models.IntegerField(null=True, blank=True)
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    ended = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["camera", "night_from"], name="mask_camera_night")]

    def __str__(self) -> str:
        return f"mask {self.pk} of {self.target}"

    @property
    def target(self) -> str:
        if self.amp:
            return f"{self.camera} amp {self.amp}"
        if self.fiber is not None:
            return f"{self.camera} fiber {self.fiber}"
        return self.camera

    def applies_to(self, *, camera: str, night: int) -> bool:
        return (
            camera == self.camera
            and self.night_from <= night
            and (self.night_to is None or night <= self.night_to)
        )


class AuditEntry(models.Model):
    """Who changed what, and when: masks, acknowledgements, threshold versions, re-grades."""

    time = models.DateTimeField(auto_now_add=True, db_index=True)
    author = models.CharField(max_length=150, help_text="username (kept if the user goes)")
    action = models.CharField(max_length=32, db_index=True)
    target = models.CharField(max_length=64, help_text="e.g. mask 3, alert 1207, threshold …")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-time", "-id"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.author} {self.action} {self.target}"
