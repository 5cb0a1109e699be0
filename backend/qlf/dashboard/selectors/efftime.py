"""Survey speed: effective exposure time per camera, petal and exposure, accumulated per tile.

The pipeline grades ``EFFTIME_RATIO`` (EFFTIME / EXPTIME, dark-equivalent: docs/pipeline.md)
per camera. Here:

* a camera's effective time is its ratio × the exposure's EXPTIME (s);
* a petal's (spectrograph's) is the mean over its cameras, an exposure's the mean over all its
  cameras (every camera sees the same sky and the same clouds; the mean spreads the arms'
  colour terms evenly);
* a tile accumulates the effective time of its science exposures in the **units of its
  program's goal** (:data:`GOAL_UNITS`): dark-equivalent for DARK and GRAY, and for BRIGHT
  the time nominal *bright* conditions would need (the ratio over the bright reference,
  ``skymodel.efftime_ratio_reference``), as DESI's bright goal (180 s) is counted against a
  bright-time reference, not against a dark sky.

Goals per program come from the configuration (``QLF_EFFTIME_GOALS``, docs/configuration.md;
DESI's: 1000 s dark, 180 s bright, Schlafly et al. 2023, AJ 166, 259).
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean
from typing import Any

from django.conf import settings

from qlf.dashboard.models import Exposure, Metric
from qlf.dashboard.selectors.raw_fetch import fetch_rows
from qlf.quicklook.skymodel import efftime_ratio_reference

__all__ = [
    "DEFAULT_GOALS",
    "EFFTIME_KEY",
    "GOAL_UNITS",
    "efftime_goals",
    "exposure_efftime",
    "night_tiles",
    "tile_efftime",
]

EFFTIME_KEY = "EFFTIME_RATIO"
#: seconds of effective time that complete a tile, per program (DESI's dark and bright goals;
#: GRAY observes dark-time targets)
DEFAULT_GOALS: dict[str, float] = {"DARK": 1000.0, "GRAY": 1000.0, "BRIGHT": 180.0}
#: the nominal sky a program's goal is counted in
GOAL_UNITS: dict[str, str] = {"DARK": "DARK", "GRAY": "DARK", "BRIGHT": "BRIGHT"}


def efftime_goals() -> dict[str, float]:
    """The goal per program: DEFAULT_GOALS updated by the configuration (QLF_EFFTIME_GOALS)."""
    return {**DEFAULT_GOALS, **settings.QLF.get("EFFTIME_GOALS", {})}


def _goal_scale(camera: str, program: str) -> float:
    """Divisor turning a camera's dark-equivalent ratio into the units of the program's goal."""
    units = GOAL_UNITS.get(program, "DARK")
    return 1.0 if units == "DARK" else efftime_ratio_reference(camera[0], units)


def _ratios(expids) -> dict[int, dict[str, float]]:
    """{expid: {camera: EFFTIME_RATIO}} of the latest jobs (the cameras that measured it);
    ``expids`` a list or an expid subquery (a survey's exposures, one query)."""
    if isinstance(expids, list) and not expids:
        return {}
    rows = Metric.objects.filter(key=EFFTIME_KEY, index="", expid__in=expids, value__isnull=False)
    out: dict[int, dict[str, float]] = defaultdict(dict)
    for expid, camera, value in fetch_rows(rows.values_list("expid", "camera", "value")):
        out[expid][camera] = value
    return out


def _summary(ratios: dict[str, float], exptime: float | None, program: str) -> dict[str, Any]:
    """Effective times of one exposure from its cameras' ratios."""
    if not ratios or not exptime:
        return {"efftime": None, "efftime_goal_units": None, "cameras": {}, "petals": {}}
    cameras = {cam: ratio * exptime for cam, ratio in sorted(ratios.items())}
    petals: dict[str, list[float]] = defaultdict(list)
    for cam, seconds in cameras.items():
        petals[cam[1:]].append(seconds)
    in_goal_units = [ratio * exptime / _goal_scale(cam, program) for cam, ratio in ratios.items()]
    return {
        "efftime": fmean(cameras.values()),
        "efftime_goal_units": fmean(in_goal_units),
        "cameras": cameras,
        "petals": {petal: fmean(values) for petal, values in sorted(petals.items())},
    }


def exposure_efftime(expid: int) -> dict[str, Any] | None:
    """One exposure's effective time (per camera, per petal, mean) against its EXPTIME, and its
    tile's progress; None for an unknown exposure."""
    exposure = Exposure.objects.filter(expid=expid).first()
    if exposure is None:
        return None
    summary = _summary(_ratios([expid]).get(expid, {}), exposure.exptime, exposure.program)
    tile = None
    if exposure.tile is not None:
        tiles = tile_efftime(tile=exposure.tile)
        tile = {name: values[0] for name, values in tiles.items()} if tiles["tile"] else None
    return {
        "expid": expid,
        "night": exposure.night,
        "flavor": exposure.flavor,
        "program": exposure.program,
        "exptime": exposure.exptime,
        **summary,
        "tile": tile,
    }


def tile_efftime(
    *,
    night_from: int | None = None,
    night_to: int | None = None,
    program: str | None = None,
    tile: int | None = None,
) -> dict[str, list]:
    """Per tile (columns): program, science exposures, summed effective time in the units of
    its goal (through ``night_to``, from ``night_from``), goal and completeness (0–1+)."""
    query = Exposure.objects.filter(tile__isnull=False, flavor="science")
    if night_from is not None:
        query = query.filter(night__gte=night_from)
    if night_to is not None:
        query = query.filter(night__lte=night_to)
    if program:
        query = query.filter(program=program)
    if tile is not None:
        query = query.filter(tile=tile)
    fields = ("expid", "tile", "program", "exptime", "night")
    exposures = fetch_rows(query.order_by("tile", "night", "expid").values_list(*fields))
    ratios = _ratios(query.values("expid")) if exposures else {}
    goals = efftime_goals()
    tiles: dict[int, dict[str, Any]] = {}
    for expid, tile_id, prog, exptime, night in exposures:
        entry = tiles.setdefault(
            tile_id, {"program": prog, "exposures": 0, "measured": 0, "efftime": 0.0,
                      "last_night": night}
        )  # fmt: skip
        entry["exposures"] += 1
        entry["last_night"] = max(entry["last_night"], night)
        seconds = _summary(ratios.get(expid, {}), exptime, prog)["efftime_goal_units"]
        if seconds is not None:
            entry["measured"] += 1
            entry["efftime"] += seconds
    columns: dict[str, list] = {
        name: []
        for name in ("tile", "program", "exposures", "measured", "efftime", "goal", "fraction",
                     "last_night")
    }  # fmt: skip
    for tile_id, entry in sorted(tiles.items()):
        goal = goals.get(entry["program"])
        columns["tile"].append(tile_id)
        for name in ("program", "exposures", "measured", "efftime", "last_night"):
            columns[name].append(entry[name])
        columns["goal"].append(goal)
        columns["fraction"].append(entry["efftime"] / goal if goal else None)
    return columns


def night_tiles(night: int) -> list[dict[str, Any]]:
    """The tiles observed on ``night``: the effective time the night added (``tonight``) and
    the tile's total, goal and completeness at the night's end."""
    tonight = tile_efftime(night_from=night, night_to=night)
    total = tile_efftime(night_to=night, tile=None)
    by_tile = {tile: i for i, tile in enumerate(total["tile"])}
    rows = []
    for i, tile in enumerate(tonight["tile"]):
        j = by_tile[tile]
        rows.append({
            "tile": tile, "program": tonight["program"][i], "exposures": tonight["exposures"][i],
            "tonight": tonight["efftime"][i], "efftime": total["efftime"][j],
            "goal": total["goal"][j], "fraction": total["fraction"][j],
        })  # fmt: skip
    return rows
