"""Registering exposures (from a raw file header or a QA file) and their fibermaps."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Exposure, Fibermap

__all__ = ["exposure_fields_from_header", "exposure_register", "fibermap_store", "parse_time"]

# Header keyword -> Exposure field (DESIGN.md 4.1).
_HEADER_FIELDS = {
    "EXPTIME": "exptime",
    "MJD-OBS": "mjd",
    "AIRMASS": "airmass",
    "SEEING": "seeing",
    "SKYRA": "ra",
    "SKYDEC": "dec",
    "TILERA": "tile_ra",
    "TILEDEC": "tile_dec",
    "SKYLEVEL": "sky_level",
    "MOONSEP": "moonsep",
}


def exposure_fields_from_header(header: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments of :func:`exposure_register` from FITS keywords (or GENERAL_INFO)."""
    fields: dict[str, Any] = {
        name: _float(header.get(key)) for key, name in _HEADER_FIELDS.items() if key in header
    }
    for key in ("EXPID", "NIGHT"):
        if key in header:
            fields[key.lower()] = header[key]
    if header.get("FLAVOR") is not None:
        fields["flavor"] = str(header["FLAVOR"]).lower()
    if header.get("PROGRAM") is not None:
        fields["program"] = str(header["PROGRAM"]).upper()
    if header.get("TILEID") is not None:
        fields["tile"] = header["TILEID"]
    if header.get("DATE-OBS"):
        fields["dateobs"] = parse_time(header["DATE-OBS"])
    return fields


@transaction.atomic
def exposure_register(*, expid: int, night: int, flavor: str, **fields: Any) -> Exposure:
    """Create or update the exposure ``expid``; ``fields`` are Exposure columns (None = unknown)."""
    unknown = set(fields) - {f.name for f in Exposure._meta.get_fields()}
    if unknown:
        raise ApplicationError(f"unknown exposure fields: {', '.join(sorted(unknown))}")
    try:
        expid, night = int(expid), int(night)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(f"EXPID and NIGHT must be integers ({exc})") from exc
    if not 19000101 <= night <= 30000101:
        raise ApplicationError(f"NIGHT {night} is not a YYYYMMDD date", extra={"field": "night"})
    fields = {k: v for k, v in fields.items() if v is not None}
    if "tile" in fields:
        fields["tile"] = int(fields["tile"])
    exposure, _ = Exposure.objects.update_or_create(
        expid=expid, defaults={"night": night, "flavor": str(flavor).lower(), **fields}
    )
    return exposure


@transaction.atomic
def fibermap_store(*, expid: int, columns: Mapping[str, list], tile: int | None = None) -> Fibermap:
    """Store the fibermap of exposure ``expid``: column name -> one value per fiber."""
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ApplicationError("fibermap columns differ in length")
    fibermap, _ = Fibermap.objects.update_or_create(
        exposure_id=expid,
        defaults={
            "columns": dict(columns),
            "tile": tile,
            "nfiber": lengths.pop() if lengths else 0,
        },
    )
    return fibermap


def parse_time(value: Any) -> datetime | None:
    """An ISO time as an aware datetime (UTC when no zone is given); None if unparsable."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None
