"""Trends: one metric's values over a range of nights, for chosen cameras and elements.

Short ranges return every exposure (``Metric`` rows); long ranges return per-night statistics
(``MetricNight`` rows), so a year of 30 cameras stays a few tens of thousands of points. Output
is columnar (one list per field and series) to keep large answers small and fast to encode.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from qlf.dashboard.models import Metric, MetricNight

__all__ = ["EXPOSURE_RESOLUTION_MAX_NIGHTS", "night_date", "trend_get"]

EXPOSURE_RESOLUTION_MAX_NIGHTS = 31


def trend_get(
    *,
    key: str,
    night_from: int,
    night_to: int,
    cameras: list[str] | None = None,
    indexes: list[str] | None = None,
    flavor: str | None = None,
    resolution: str = "auto",
) -> dict[str, Any]:
    """Series of ``key`` per (camera, index); ``resolution`` is auto, exposure or night."""
    if resolution == "auto":
        nights = _days_between(night_from, night_to)
        resolution = "exposure" if nights <= EXPOSURE_RESOLUTION_MAX_NIGHTS else "night"
    model = Metric if resolution == "exposure" else MetricNight
    query = model.objects.filter(key=key, night__gte=night_from, night__lte=night_to)
    if cameras:
        query = query.filter(camera__in=cameras)
    if indexes:
        query = query.filter(index__in=indexes)
    if flavor:
        query = query.filter(flavor=flavor)
    if resolution == "exposure":
        fields = ("camera", "index", "expid", "night", "mjd", "value", "status")
        rows = query.order_by("camera", "index", "mjd", "expid").values_list(*fields)
    else:
        fields = ("camera", "index", "night", "flavor", "count", "mean", "min", "max",
                  "n_warning", "n_alarm")  # fmt: skip
        rows = query.order_by("camera", "index", "night", "flavor").values_list(*fields)
    return {"key": key, "resolution": resolution, "series": _columns(rows, fields)}


def _columns(rows, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Group rows by (camera, index) into one dict of column lists per series."""
    series: list[dict[str, Any]] = []
    current = None
    names = fields[2:]
    for row in rows:
        if current is None or (current["camera"], current["index"]) != row[:2]:
            current = {"camera": row[0], "index": row[1], **{n: [] for n in names}}
            series.append(current)
        for name, value in zip(names, row[2:], strict=True):
            current[name].append(value)
    return series


def _days_between(night_from: int, night_to: int) -> int:
    return (night_date(night_to) - night_date(night_from)).days + 1


def night_date(night: int) -> date:
    """The calendar date of a YYYYMMDD night (ValueError if it is not one)."""
    return date(night // 10000, night // 100 % 100, night % 100)
