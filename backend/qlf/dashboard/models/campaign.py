"""A campaign: one threshold (and pipeline) version run again over many stored exposures.

Its processes are ordinary :class:`~qlf.dashboard.models.Process` rows with ``campaign`` set and
``held`` true: they are run at low priority and compared, but they do not replace the result
shown for their exposures until the campaign is promoted (docs/operations.md, Campaigns).
"""

from __future__ import annotations

from django.db import models

__all__ = ["Campaign", "CampaignState"]


class CampaignState(models.TextChoices):
    RUNNING = "running"  # its jobs run on spare workers
    PAUSED = "paused"  # nothing new starts; jobs already running finish
    CANCELLED = "cancelled"  # its queued processes were aborted; what ran can still be promoted
    DONE = "done"  # every process finished (done or failed)
    PROMOTING = "promoting"  # the daemon releases its results, a few exposures per turn
    PROMOTED = "promoted"  # its done processes are the current results of their exposures


class Campaign(models.Model):
    name = models.CharField(max_length=100, blank=True, default="")
    filters = models.JSONField(default=dict, help_text="how its exposures were chosen")
    spec_version = models.CharField(
        max_length=32, blank=True, default="", help_text="threshold version ('' = in force)"
    )
    pipeline_version = models.CharField(max_length=32, blank=True, default="")
    state = models.CharField(
        max_length=10, choices=CampaignState.choices, default=CampaignState.RUNNING, db_index=True
    )
    created_by = models.CharField(max_length=150, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    ended = models.DateTimeField(null=True, blank=True, help_text="done or cancelled")
    # Time spent running (pauses excluded), for the rate: active_s plus now - resumed while running.
    active_s = models.FloatField(default=0.0)
    resumed = models.DateTimeField(null=True, blank=True)
    promoted = models.DateTimeField(null=True, blank=True)
    promoted_by = models.CharField(max_length=150, blank=True, default="")
    # Promotion walks the campaign's processes in id order: the last one handled, and how many
    # were left held because their exposure had been processed again after them.
    promoted_upto = models.BigIntegerField(default=0)
    superseded = models.IntegerField(default=0)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"campaign {self.pk}"
