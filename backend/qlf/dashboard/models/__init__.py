"""The data model of DESIGN.md 6."""

from qlf.dashboard.models.campaign import Campaign, CampaignState
from qlf.dashboard.models.choices import (
    QA_SEVERITY,
    JobStatus,
    ProcessStatus,
    QaStatus,
    StepState,
    worst_status,
)
from qlf.dashboard.models.event import Event
from qlf.dashboard.models.exposure import Exposure, Fibermap
from qlf.dashboard.models.metric import Metric, MetricNight
from qlf.dashboard.models.notifications import Notification
from qlf.dashboard.models.operations import AlertAck, AuditEntry, Mask
from qlf.dashboard.models.process import Job, Process, ProcessComment, StepRun
from qlf.dashboard.models.runbooks import RunbookVersion
from qlf.dashboard.models.thresholds import ThresholdVersion
from qlf.dashboard.models.tokens import ApiToken, SignInThrottle

__all__ = [
    "QA_SEVERITY",
    "AlertAck",
    "ApiToken",
    "AuditEntry",
    "Campaign",
    "CampaignState",
    "Event",
    "Exposure",
    "Fibermap",
    "Job",
    "JobStatus",
    "Mask",
    "Metric",
    "MetricNight",
    "Notification",
    "Process",
    "ProcessComment",
    "ProcessStatus",
    "QaStatus",
    "RunbookVersion",
    "SignInThrottle",
    "StepRun",
    "StepState",
    "ThresholdVersion",
    "worst_status",
]
