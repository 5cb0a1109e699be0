"""Observing conditions over time, and the survey footprint with each tile's worst QA."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Max, Min, Value, When

from qlf.dashboard.models import QA_SEVERITY, Exposure, Metric
from qlf.dashboard.selectors.raw_fetch import fetch_rows

__all__ = ["CAMERA_SKY_KEY", "CONDITION_FIELDS", "conditions_get", "survey_counts", "survey_tiles"]

CONDITION_FIELDS = ("airmass", "seeing", "sky_level", "exptime", "moonsep")
# The sky as one camera measured it: the continuum of SKYCONT (AB mag/arcsec², science only).
CAMERA_SKY_KEY = "SKYCONT"


def conditions_get(
    *,
    night_from: int,
    night_to: int,
    flavor: str | None = None,
    program: str | None = None,
    camera: str | None = None,
) -> dict[str, list]:
    """Columns expid, night, mjd, dateobs, program and the condition fields, by time. With a
    ``camera``: only the exposures it measured, and its sky (``sky_camera``, CAMERA_SKY_KEY)."""
    query = Exposure.objects.filter(night__gte=night_from, night__lte=night_to)
    if camera:
        measured = Metric.objects.filter(camera=camera, night__gte=night_from, night__lte=night_to)
        query = query.filter(expid__in=measured.values("expid"))
    if flavor:
        query = query.filter(flavor=flavor)
    if program:
        query = query.filter(program=program)
    fields = ("expid", "night", "mjd", "dateobs", "program", *CONDITION_FIELDS)
    columns: dict[str, list] = {name: [] for name in fields}
    for row in query.order_by("night", "mjd", "expid").values_list(*fields):
        for name, value in zip(fields, row, strict=True):
            columns[name].append(value)
    if camera:
        sky = Metric.objects.filter(
            key=CAMERA_SKY_KEY, camera=camera, night__gte=night_from, night__lte=night_to, index=""
        )
        by_expid = dict(fetch_rows(sky.values_list("expid", "value")))
        columns["sky_camera"] = [by_expid.get(expid) for expid in columns["expid"]]
    return columns


def survey_counts(
    *, night_from: int | None = None, night_to: int | None = None, program: str | None = None
) -> dict[str, dict[str, int]]:
    """Exposures per flavor and per program ("" for none) over the range."""
    query = _in_range(Exposure.objects.all(), night_from, night_to, program)
    return {
        name: dict(
            fetch_rows(
                query.values(name).annotate(n=Count("expid")).order_by(name).values_list(name, "n")
            )
        )
        for name in ("flavor", "program")
    }


def _in_range(query, night_from: int | None, night_to: int | None, program: str | None):
    if night_from is not None:
        query = query.filter(night__gte=night_from)
    if night_to is not None:
        query = query.filter(night__lte=night_to)
    if program:
        query = query.filter(program=program)
    return query


def survey_tiles(
    *, night_from: int | None = None, night_to: int | None = None, program: str | None = None
) -> dict[str, list]:
    """Every observed tile (columns): position, number of exposures, first and last night and
    the worst QA status of its exposures."""
    query = _in_range(Exposure.objects.filter(tile__isnull=False), night_from, night_to, program)
    severity = Case(
        *(When(qa_status=s, then=Value(rank)) for s, rank in QA_SEVERITY.items()),
        default=Value(-1),
        output_field=IntegerField(),
    )
    fields = ("tile", "ra", "dec", "exposures", "first_night", "last_night", "severity")
    rows = fetch_rows(
        query.values("tile")
        .annotate(
            ra=Max("tile_ra"),
            dec=Max("tile_dec"),
            exposures=Count("expid"),
            first_night=Min("night"),
            last_night=Max("night"),
            severity=Max(severity),
        )
        .order_by("tile")
        .values_list(*fields)
    )
    columns = dict(zip(fields, map(list, zip(*rows, strict=True)), strict=True)) if rows else {}
    names = {rank: status for status, rank in QA_SEVERITY.items()}
    ranks = columns.pop("severity", [])
    return {
        **{name: columns.get(name, []) for name in fields[:-1]},
        "qa_status": [names.get(rank, "") for rank in ranks],
    }
