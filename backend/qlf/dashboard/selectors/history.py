"""Observing history (exposures) and processing history (processes): filtered and ordered."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Exposure, Job, Process
from qlf.dashboard.selectors.latency import process_latency_annotate

__all__ = [
    "EXPOSURE_ORDERING",
    "PROCESS_ORDERING",
    "exposure_list",
    "process_get",
    "process_list",
    "process_recent",
]

EXPOSURE_ORDERING = (
    "expid", "night", "flavor", "program", "tile", "exptime", "dateobs", "mjd", "airmass",
    "seeing", "ra", "dec", "sky_level", "qa_status",
)  # fmt: skip
PROCESS_ORDERING = (
    "id", "expid", "night", "flavor", "program", "tile", "status", "qa_status", "started",
    "ended", "duration_s", "dateobs", "ra", "dec", "exptime",
)  # fmt: skip
# Process orderings on a column of its exposure (the observation, not the processing); ties
# are broken by exposure first, so a page is a walk of an exposure index (exptime has few
# distinct values: its index is (exptime, expid)).
_EXPOSURE_COLUMNS = {
    "expid": ("exposure_id",),
    **{name: (f"exposure__{name}", "exposure_id") for name in ("dateobs", "ra", "dec", "exptime")},
}


def exposure_list(*, filters: dict[str, Any], ordering: str = "-expid") -> QuerySet[Exposure]:
    """Exposures matching ``filters`` (flavor, program, night, night_from/to, tile, qa_status)."""
    query = _filter(Exposure.objects.all(), filters)
    return _order(query, ordering, EXPOSURE_ORDERING, tiebreak="expid")


def process_list(*, filters: dict[str, Any], ordering: str = "-id") -> QuerySet[Process]:
    """Processes matching ``filters`` (as exposures, plus status and qa_status), with their
    exposure, held campaign processes left out (they are on the Campaigns screen) (observation
    date, position and exposure time are columns of the list)."""
    query = _filter(Process.objects.select_related("exposure").filter(held=False), filters)
    if "expid" in filters:
        query = query.filter(exposure_id=filters["expid"])
    if filters.get("started_from"):
        query = query.filter(started__gte=filters["started_from"])
    if filters.get("started_to"):
        query = query.filter(started__lte=filters["started_to"])
    return _order(query, ordering, PROCESS_ORDERING, tiebreak="id", columns=_EXPOSURE_COLUMNS)


def process_recent(*, limit: int = 10) -> QuerySet[Process]:
    return Process.objects.select_related("exposure").filter(held=False).order_by("-id")[:limit]


def process_get(*, process_id: int) -> Process:
    """A process with its jobs, their step runs and its readout-to-QA time (no QA documents)."""
    jobs = Job.objects.defer("qa").prefetch_related("steps")
    process = (
        process_latency_annotate(Process.objects.filter(pk=process_id))
        .select_related("exposure")
        .prefetch_related(Prefetch("jobs", queryset=jobs))
        .first()
    )
    if process is None:
        raise ApplicationError(f"process {process_id} does not exist", status_code=404)
    return process


def _filter(query: QuerySet, filters: dict[str, Any]) -> QuerySet:
    for name in ("flavor", "program", "status", "qa_status"):
        if filters.get(name):
            query = query.filter(**{f"{name}__in": filters[name]})
    for name in ("night", "tile"):
        if filters.get(name) is not None:
            query = query.filter(**{name: filters[name]})
    if filters.get("night_from") is not None:
        query = query.filter(night__gte=filters["night_from"])
    if filters.get("night_to") is not None:
        query = query.filter(night__lte=filters["night_to"])
    return query


def _order(
    query: QuerySet,
    ordering: str,
    allowed: tuple[str, ...],
    *,
    tiebreak: str,
    columns: dict[str, tuple[str, ...]] | None = None,
) -> QuerySet:
    """Order by one of the ``allowed`` names (``-`` for descending), stored in the fields
    ``columns[name]`` when that differs from the name, then by ``tiebreak``, all in the same
    direction."""
    name = ordering.lstrip("-")
    if name not in allowed:
        raise ApplicationError(f"cannot order by {name!r}", extra={"field": "ordering"})
    desc = "-" if ordering.startswith("-") else ""
    fields = list((columns or {}).get(name, (name,)))
    if name != tiebreak:
        fields.append(tiebreak)
    return query.order_by(*(f"{desc}{field}" for field in fields))
