"""Trends: one metric's values over a range of nights, for chosen cameras and elements.

Ranges with at most ``MAX_EXPOSURE_POINTS`` values return every exposure (``Metric`` rows);
larger ones return per-night statistics (``MetricNight`` rows; all flavors together unless one
is chosen), so a year of 30 cameras × 4 amps is 44,000 points instead of 3.6 million. Output is
columnar (one list per field and series) to keep large answers small and fast to encode.

Each series carries the ``band`` that graded its newest exposure in the range: the reference and
the NORMAL and WARNING limits as values (REF + range), from that exposure's QA parameters, so
per-camera references from the calibration come out right.
"""

from __future__ import annotations

import math
from itertools import groupby, pairwise
from operator import itemgetter
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Case, F, FloatField, Value, When

from qlf.dashboard.models import Job, Metric, MetricNight
from qlf.dashboard.selectors.raw_fetch import fetch_rows

__all__ = ["MAX_EXPOSURE_POINTS", "trend_get"]

MAX_EXPOSURE_POINTS = 20_000
ALL_CAMERAS = [f"{arm}{spectrograph}" for arm in "brz" for spectrograph in range(10)]
_EXPOSURE_FIELDS = ("expid", "night", "mjd", "value", "status")
_NIGHT_FIELDS = ("night", "count", "mean", "min", "max", "n_warning", "n_alarm")
_EVERY = "*"  # a scalar REF: the band of every element


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
    # Always a camera list: the indexes start (key, camera, ...), so each camera is one range
    # scan instead of a filter over every camera's rows of the key.
    filters = {"key": key, "night__gte": night_from, "night__lte": night_to}
    filters["camera__in"] = cameras or ALL_CAMERAS
    if indexes:
        filters["index__in"] = indexes
    exposures = Metric.objects.filter(**filters, **({"flavor": flavor} if flavor else {}))
    if resolution == "auto":
        # Counting stops after the limit, so this costs at most one bounded index scan.
        sample = exposures.values("night")[: MAX_EXPOSURE_POINTS + 1]
        resolution = "exposure" if sample.count() <= MAX_EXPOSURE_POINTS else "night"
    if resolution == "exposure":
        query = exposures.order_by("mjd", "expid").values_list("camera", "index", *_EXPOSURE_FIELDS)
        series = _series(fetch_rows(query), _EXPOSURE_FIELDS)
    else:
        nights = MetricNight.objects.filter(flavor=flavor or MetricNight.ALL_FLAVORS, **filters)
        series = _night_series(nights.annotate(mean=_MEAN).order_by())
    bands = _bands(exposures, key, sorted({s["camera"] for s in series}))
    for one in series:
        camera, index = one["camera"], one["index"]
        one["band"] = bands.get((camera, index)) or bands.get((camera, _EVERY))
    return {"key": key, "flavor": flavor, "resolution": resolution, "series": series}


def _bands(exposures, key: str, cameras: list[str]) -> dict[tuple[str, str], dict]:
    """(camera, index) → band of the newest exposure of each camera."""
    newest = _newest(exposures, cameras)
    bands: dict[tuple[str, str], dict] = {}
    for step in {step for _, step, _ in newest.values()}:
        cameras_of: dict[int, list[str]] = {}
        for camera, (job_id, s, _) in newest.items():
            if s == step:
                cameras_of.setdefault(job_id, []).append(camera)
        rows = Job.objects.filter(pk__in=cameras_of).values_list(
            "pk", "qa__AMPS", f"qa__TASKS__{step}__PARAMS"
        )
        for job_id, amps, params in rows:
            elements = _element_bands(params or {}, key, amps or [])
            for camera in cameras_of[job_id]:
                expid = newest[camera][2]
                for index, band in elements.items():
                    bands[(camera, index)] = {**band, "expid": expid}
    return bands


_PROBE = "__camera__"


def _newest(exposures, cameras: list[str]) -> dict[str, tuple[int, str, int]]:
    """camera → (job id, step, expid) of its newest value: a backward probe of the trend index
    per camera, one SQL statement compiled once and run for each camera."""
    probe = exposures.filter(camera=_PROBE).order_by("-night", "-mjd")  # index order: no sort
    sql, params = probe.values_list("job_id", "step", "expid")[:1].query.sql_with_params()
    slot = list(params).index(_PROBE)
    newest = {}
    with connection.cursor() as cursor:
        for camera in cameras:
            cursor.execute(sql, [*params[:slot], camera, *params[slot + 1 :]])
            row = cursor.fetchone()
            if row:
                newest[camera] = tuple(row)
    return newest


def _element_bands(params: dict, key: str, amps: list[str]) -> dict[str, dict]:
    """Index → {ref, normal, warn} (limits as values) for each element with a numeric REF."""
    ref = params.get(f"{key}_REF")
    normal, warn = params.get(f"{key}_NORMAL_RANGE"), params.get(f"{key}_WARN_RANGE")
    if not (_is_range(normal) and _is_range(warn)):
        return {}
    if isinstance(ref, dict):
        refs = {str(label): value for label, value in ref.items()}
    elif isinstance(ref, list):
        labels = amps if len(amps) == len(ref) else [str(i) for i in range(len(ref))]
        refs = dict(zip(map(str, labels), ref, strict=True))
        refs.update({str(i): value for i, value in enumerate(ref)})
    else:
        refs = {_EVERY: ref}
    return {
        index: {
            "ref": value,
            "normal": [value + normal[0], value + normal[1]],
            "warn": [value + warn[0], value + warn[1]],
        }
        for index, value in refs.items()
        if _is_number(value)
    }


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_range(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(map(_is_number, value))


_MEAN = Case(
    When(count=0, then=Value(None)), default=F("total") / F("count"), output_field=FloatField()
)


def _night_series(query) -> list[dict[str, Any]]:
    """Per-night series. On Postgres the database builds one array per column and series
    (120 rows to fetch instead of 44,000), its input already in index order."""
    if connection.vendor != "postgresql":
        rows = fetch_rows(query.values_list("camera", "index", *_NIGHT_FIELDS))
        return _series(rows, _NIGHT_FIELDS)
    arrays = {f"{name}_list": ArrayAgg(name) for name in _NIGHT_FIELDS}
    rows = fetch_rows(
        query.values("camera", "index").annotate(**arrays).values_list("camera", "index", *arrays)
    )
    series = []
    for camera, index, *columns in sorted(rows, key=itemgetter(0, 1)):
        series.append(_in_order(camera, index, _NIGHT_FIELDS, [list(c) for c in columns]))
    return series


def _series(rows: list[tuple], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows grouped by (camera, index) into one dict of columns per series, in time order.

    Rows come without an SQL sort on the camera text (a third of a year's trend): exposure
    rows in time order, night rows in index order; they are grouped here.
    """
    key = itemgetter(0, 1)
    groups = [(k, list(g)) for k, g in groupby(rows, key=key)]
    if len({k for k, _ in groups}) != len(groups):  # not grouped: sort (stable, keeps time order)
        groups = [(k, list(g)) for k, g in groupby(sorted(rows, key=key), key=key)]
    series = []
    for (camera, index), group in sorted(groups, key=itemgetter(0)):
        columns = [list(column) for column in zip(*group, strict=True)][2:]
        series.append(_in_order(camera, index, fields, columns))
    return series


def _in_order(camera: str, index: str, fields: tuple[str, ...], columns: list[list]) -> dict:
    """One series as a dict; per-night columns are sorted by night if they are not already."""
    nights = columns[0]
    if fields[0] == "night" and any(b < a for a, b in pairwise(nights)):
        order = sorted(range(len(nights)), key=nights.__getitem__)
        columns = [[column[i] for i in order] for column in columns]
    return {"camera": camera, "index": index, **dict(zip(fields, columns, strict=True))}
