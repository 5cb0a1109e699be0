"""Status vocabularies shared by the models, services and selectors."""

from __future__ import annotations

from django.db import models

from qlf.quicklook import grading

__all__ = ["QA_SEVERITY", "JobStatus", "ProcessStatus", "QaStatus", "StepState", "worst_status"]


class QaStatus(models.TextChoices):
    NORMAL = "NORMAL"
    WARNING = "WARNING"
    ALARM = "ALARM"
    UNKNOWN = "UNKNOWN"


# Severity rank for database expressions; the same order as qlf.quicklook.grading.worst (the one
# grading rule), which a test checks.
QA_SEVERITY = {"NORMAL": 0, "UNKNOWN": 1, "WARNING": 2, "ALARM": 3}


def worst_status(statuses) -> str:
    """The worst of ``statuses`` ("" when there is none)."""
    known = [s for s in statuses if s in QA_SEVERITY]
    return grading.worst(known) if known else ""


class ProcessStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    ABORTED = "aborted"


class JobStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class StepState(models.TextChoices):
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"
