"""Trends: one metric's values over a range of nights, for chosen cameras and elements.

Ranges with at most ``MAX_EXPOSURE_POINTS`` values return every exposure (``Metric`` rows);
larger ones return per-night statistics (``MetricNight`` rows), so a year of 30 cameras stays a
few tens of thousands of points (all flavors together unless one is chosen). Output
is columnar (one list per field and series) to keep large answers small and fast to encode.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, FloatField, Value, When

from qlf.dashboard.models import Metric, MetricNight

__all__ = ["MAX_EXPOSURE_POINTS", "trend_get"]

MAX_EXPOSURE_POINTS = 20_000


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
    filters = {"key": key, "night__gte": night_from, "night__lte": night_to}
    if cameras:
        filters["camera__in"] = cameras
    if indexes:
        filters["index__in"] = indexes
    if resolution == "auto":
        # Counting stops after the limit, so this costs at most one bounded index scan.
        sample = _exposures(filters, flavor).values("pk")[: MAX_EXPOSURE_POINTS + 1]
        resolution = "exposure" if sample.count() <= MAX_EXPOSURE_POINTS else "night"
    if resolution == "exposure":
        fields = ("camera", "index", "expid", "night", "mjd", "value", "status")
        rows = _exposures(filters, flavor).order_by("mjd", "expid").values_list(*fields)
    else:
        flavor_filter = flavor or MetricNight.ALL_FLAVORS
        mean = Case(
            When(count=0, then=Value(None)),
            default=F("total") / F("count"),
            output_field=FloatField(),
        )
        fields = ("camera", "index", "night", "count", "mean", "min", "max", "n_warning",
                  "n_alarm")  # fmt: skip
        rows = (
            MetricNight.objects.filter(flavor=flavor_filter, **filters)
            .annotate(mean=mean)
            .order_by("night")
            .values_list(*fields)
        )
    return {"key": key, "flavor": flavor, "resolution": resolution, "series": _series(rows, fields)}


def _exposures(filters: dict, flavor: str | None):
    query = Metric.objects.filter(**filters)
    return query.filter(flavor=flavor) if flavor else query


def _series(rows, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows (ordered by time) grouped by (camera, index) into one dict of columns per series."""
    names = fields[2:]
    by_key: dict[tuple[str, str], list[list]] = {}
    for row in rows:
        columns = by_key.get(row[:2])
        if columns is None:
            columns = by_key[row[:2]] = [[] for _ in names]
        for column, value in zip(columns, row[2:], strict=True):
            column.append(value)
    return [
        {"camera": camera, "index": index, **dict(zip(names, by_key[camera, index], strict=True))}
        for camera, index in sorted(by_key)
    ]
