"""Per-night metric statistics, the source of trends over long date ranges.

A new camera's metrics are added to the night's statistics with one upsert; when metric rows
are replaced (re-ingestion, reprocessing) the camera's night is recomputed from its rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum

from qlf.dashboard.models import Metric, MetricNight
from qlf.dashboard.services.bulk_sql import insert_rows

__all__ = ["metric_night_add", "metric_night_refresh"]

_FIELDS = ("night", "camera", "flavor", "key", "index", "count", "total", "min", "max",
           "n_warning", "n_alarm")  # fmt: skip
_PG_TYPES = ("int", "text", "text", "text", "text", "int", "float8", "float8", "float8",
             "int", "int")  # fmt: skip


def metric_night_add(*, metrics: Iterable) -> None:
    """Add new metric rows (anything with night, camera, flavor, key, index, value, status;
    not yet counted) to their nights' statistics."""
    stats: dict[tuple, list] = {}
    for m in metrics:
        for flavor in (m.flavor, MetricNight.ALL_FLAVORS):
            _merge(stats, (m.night, m.camera, flavor, m.key, m.index), _one(m))
    table, q = MetricNight._meta.db_table, connection.ops.quote_name
    update = ", ".join(
        f"{q(f)} = {q(table)}.{q(f)} + excluded.{q(f)}"
        for f in ("count", "total", "n_warning", "n_alarm")
    )
    conflict = (
        f"ON CONFLICT ({', '.join(q(f) for f in _FIELDS[:5])}) DO UPDATE SET {update}, "
        f"{q('min')} = {_pick(q(table), q('min'), '<')}, "
        f"{q('max')} = {_pick(q(table), q('max'), '>')}"
    )
    rows = [(*key, *stat) for key, stat in stats.items()]
    insert_rows(table, _FIELDS, _PG_TYPES, rows, on_conflict=conflict)


def metric_night_refresh(*, night: int, camera: str) -> None:
    """Recompute the statistics of one camera's night from its metric rows."""
    rows = (
        Metric.objects.filter(camera=camera, night=night)
        .values("flavor", "key", "index")
        .annotate(
            count=Count("value"),
            total=Sum("value"),
            min=Min("value"),
            max=Max("value"),
            n_warning=Count("id", filter=Q(status="WARNING")),
            n_alarm=Count("id", filter=Q(status="ALARM")),
        )
        .order_by()
    )
    stats: dict[tuple, list] = {}
    for r in rows:
        stat = [r["count"], r["total"] or 0.0, r["min"], r["max"], r["n_warning"], r["n_alarm"]]
        for flavor in (r["flavor"], MetricNight.ALL_FLAVORS):
            _merge(stats, (night, camera, flavor, r["key"], r["index"]), stat)
    MetricNight.objects.filter(night=night, camera=camera).delete()
    MetricNight.objects.bulk_create(
        MetricNight(**dict(zip(_FIELDS, (*key, *stat), strict=True))) for key, stat in stats.items()
    )


def _one(m: Metric) -> list:
    has = m.value is not None
    return [int(has), m.value if has else 0.0, m.value, m.value,
            int(m.status == "WARNING"), int(m.status == "ALARM")]  # fmt: skip


def _merge(stats: dict[tuple, list], key: tuple, stat: list) -> None:
    old = stats.get(key)
    if old is None:
        stats[key] = list(stat)
        return
    old[0] += stat[0]
    old[1] += stat[1]
    old[2] = min((v for v in (old[2], stat[2]) if v is not None), default=None)
    old[3] = max((v for v in (old[3], stat[3]) if v is not None), default=None)
    old[4] += stat[4]
    old[5] += stat[5]


def _pick(table: str, column: str, better: str) -> str:
    """SQL for the smaller (``<``) or larger (``>``) of the stored and new value, nulls ignored."""
    old, new = f"{table}.{column}", f"excluded.{column}"
    return (f"CASE WHEN {new} IS NULL THEN {old} WHEN {old} IS NULL OR {new} {better} {old} "
            f"THEN {new} ELSE {old} END")  # fmt: skip
