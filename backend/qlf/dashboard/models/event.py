"""The live feed's journal: every event with a strictly increasing sequence number."""

from __future__ import annotations

from django.db import models

__all__ = ["Event"]


class Event(models.Model):
    seq = models.BigAutoField(primary_key=True)
    type = models.CharField(max_length=32, db_index=True)
    payload = models.JSONField(default=dict)
    time = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.seq} {self.type}"
