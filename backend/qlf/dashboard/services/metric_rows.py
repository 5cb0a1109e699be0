"""The trend rows (``Metric``) of one camera's QA, and their nights' statistics."""

from __future__ import annotations

from typing import NamedTuple

from qlf.dashboard.models import Job, Metric, Process
from qlf.dashboard.selectors.mapping import mapping_amp_keys
from qlf.dashboard.services.bulk_sql import insert_rows
from qlf.dashboard.services.metric_nights import metric_night_add, metric_night_refresh
from qlf.dashboard.services.qa_elements import qa_elements

__all__ = ["MetricRow", "metric_rows_replace"]


class MetricRow(NamedTuple):
    job_id: int
    step: str
    key: str
    index: str
    value: float | None
    status: str
    camera: str
    expid: int
    night: int
    mjd: float | None
    flavor: str


_METRIC_PG_TYPES = ("bigint", "text", "text", "text", "float8", "text", "text", "int", "int",
                    "float8", "text")  # fmt: skip


def metric_rows_replace(*, job: Job, process: Process, qa: dict) -> None:
    """Replace the trend rows of this exposure and camera, unless a newer process owns them.

    A held process (a campaign's, not promoted) has none: trends show the current results."""
    if process.held:
        return
    same = Metric.objects.filter(camera=job.camera, night=process.night, expid=process.exposure_id)
    owners = set(same.values_list("job__process_id", flat=True).distinct())
    if any(owner > process.pk for owner in owners):
        return
    if owners:
        same.delete()
    exposure = process.exposure
    rows = [
        MetricRow(job.pk, e.step, e.key, e.index, e.value, e.status, job.camera,
                  exposure.expid, exposure.night, exposure.mjd, exposure.flavor)
        for e in qa_elements(qa, amp_keys=mapping_amp_keys())
    ]  # fmt: skip
    insert_rows(Metric._meta.db_table, MetricRow._fields, _METRIC_PG_TYPES, rows)
    if owners:
        metric_night_refresh(night=exposure.night, camera=job.camera)
    else:
        metric_night_add(metrics=rows)
