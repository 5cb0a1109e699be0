"""QA metric values, one row per element, kept for trends.

The QA JSON on :class:`~qlf.dashboard.models.Job` is the full record; these rows are its
queryable index. Only the latest ingested job of an exposure and camera has rows, so a trend has
one point per exposure. Camera, night, MJD, flavor and expid are copied onto each row so that a
trend is one index range scan without joins.
"""

from __future__ import annotations

from django.db import models

from qlf.dashboard.models.choices import QaStatus
from qlf.dashboard.models.process import Job

__all__ = ["Metric", "MetricNight"]


class Metric(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="metrics")
    step = models.CharField(max_length=32)
    key = models.CharField(max_length=32)
    index = models.CharField(max_length=16, blank=True, default="", help_text="amp, class or i")
    value = models.FloatField(null=True)
    status = models.CharField(max_length=8, choices=QaStatus.choices)
    camera = models.CharField(max_length=3)
    expid = models.IntegerField()
    night = models.IntegerField()
    mjd = models.FloatField(null=True)
    flavor = models.CharField(max_length=16)

    class Meta:
        indexes = [
            models.Index(fields=["key", "camera", "night", "mjd"], name="metric_trend"),
            models.Index(fields=["camera", "night", "flavor"], name="metric_camera_night"),
        ]

    def __str__(self) -> str:
        return f"{self.key}[{self.index}] {self.camera} {self.expid}"


class MetricNight(models.Model):
    """Per-night statistics of one metric element, for trends over months and years.

    ``flavor`` "" holds the statistics of all flavors together. ``count`` counts the values
    (not the nulls) and ``total`` is their sum, so a new exposure is added without a rescan.
    """

    ALL_FLAVORS = ""

    night = models.IntegerField()
    camera = models.CharField(max_length=3)
    flavor = models.CharField(max_length=16, blank=True)
    key = models.CharField(max_length=32)
    index = models.CharField(max_length=16, blank=True, default="")
    count = models.IntegerField()
    total = models.FloatField(default=0.0)
    min = models.FloatField(null=True)
    max = models.FloatField(null=True)
    n_warning = models.IntegerField(default=0)
    n_alarm = models.IntegerField(default=0)

    class Meta:
        # Covering (Postgres): a year's trend is an index-only scan in (camera, index, night)
        # order, which is the order of the answer.
        indexes = [
            models.Index(
                fields=["key", "flavor", "camera", "index", "night"],
                include=["count", "total", "min", "max", "n_warning", "n_alarm"],
                name="metricnight_trend",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["night", "camera", "flavor", "key", "index"], name="metricnight_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}[{self.index}] {self.camera} {self.night}"
