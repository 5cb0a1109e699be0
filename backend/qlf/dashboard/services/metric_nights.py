"""Per-night metric statistics, the source of trends over long date ranges."""

from __future__ import annotations

from django.db.models import Avg, Count, Max, Min, Q

from qlf.dashboard.models import Metric, MetricNight

__all__ = ["metric_night_refresh"]


def metric_night_refresh(*, night: int, camera: str, flavor: str) -> None:
    """Recompute the statistics of one camera's night for one flavor from its metric rows."""
    rows = (
        Metric.objects.filter(camera=camera, night=night, flavor=flavor)
        .values("key", "index")
        .annotate(
            count=Count("value"),
            mean=Avg("value"),
            min=Min("value"),
            max=Max("value"),
            n_warning=Count("id", filter=Q(status="WARNING")),
            n_alarm=Count("id", filter=Q(status="ALARM")),
        )
        .order_by()
    )
    MetricNight.objects.filter(night=night, camera=camera, flavor=flavor).delete()
    MetricNight.objects.bulk_create(
        MetricNight(night=night, camera=camera, flavor=flavor, **row) for row in rows
    )
