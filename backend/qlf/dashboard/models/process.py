"""A run of the pipeline over one exposure, its camera jobs and their step runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from qlf.dashboard.models.choices import JobStatus, ProcessStatus, QaStatus, StepState
from qlf.dashboard.models.exposure import Exposure

__all__ = ["Job", "Process", "ProcessComment", "StepRun"]


class Process(models.Model):
    exposure = models.ForeignKey(Exposure, on_delete=models.CASCADE, related_name="processes")
    # Copied from the exposure so that history pages filter and sort on one table.
    night = models.IntegerField(db_index=True)
    flavor = models.CharField(max_length=16, db_index=True)
    program = models.CharField(max_length=16, blank=True, default="")
    tile = models.IntegerField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=ProcessStatus.choices, db_index=True)
    qa_status = models.CharField(max_length=8, choices=QaStatus.choices, blank=True, default="")
    qa_summary = models.JSONField(default=dict, blank=True, help_text="camera -> QA status")
    started = models.DateTimeField(null=True, blank=True, db_index=True)
    ended = models.DateTimeField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    pipeline_version = models.CharField(max_length=32, blank=True, default="")
    spec_version = models.CharField(max_length=32, blank=True, default="")
    # A campaign's process (models/campaign.py) is held until the campaign is promoted: it is not
    # the current result of its exposure (the current one is the newest process not held).
    campaign = models.ForeignKey(
        "dashboard.Campaign", null=True, blank=True, on_delete=models.CASCADE,
        related_name="processes",
    )  # fmt: skip
    held = models.BooleanField(default=False)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"process {self.pk} of {self.exposure_id}"


class Job(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="jobs")
    camera = models.CharField(max_length=3)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    qa_status = models.CharField(max_length=8, choices=QaStatus.choices, blank=True, default="")
    started = models.DateTimeField(null=True, blank=True)
    ended = models.DateTimeField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    current_step = models.CharField(max_length=32, blank=True, default="")
    error = models.TextField(blank=True, default="")
    failed_step = models.CharField(max_length=32, blank=True, default="")
    log_path = models.CharField(max_length=512, blank=True, default="")
    qa_path = models.CharField(max_length=512, blank=True, default="")
    qa = models.JSONField(null=True, blank=True, help_text="the camera's whole QA JSON")
    qa_digest = models.CharField(max_length=64, blank=True, default="")
    qa_reasons = models.JSONField(
        default=dict, blank=True, help_text="metric key → why it is UNKNOWN (or its ALARM)"
    )

    class Meta:
        ordering = ["process_id", "camera"]
        constraints = [
            models.UniqueConstraint(fields=["process", "camera"], name="job_process_camera")
        ]

    def __str__(self) -> str:
        return f"{self.camera} of process {self.process_id}"


class StepRun(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=32)
    state = models.CharField(max_length=8, choices=StepState.choices, default=StepState.STARTED)
    qa_status = models.CharField(max_length=8, choices=QaStatus.choices, blank=True, default="")
    started = models.DateTimeField(null=True, blank=True)
    ended = models.DateTimeField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["job_id", "id"]
        constraints = [models.UniqueConstraint(fields=["job", "name"], name="steprun_job_name")]

    def __str__(self) -> str:
        return f"{self.name} of job {self.job_id}"


class ProcessComment(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} on process {self.process_id}"
