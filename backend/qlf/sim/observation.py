"""What an exposure is (flavor, program, time, pointing) and its FITS headers (DESIGN.md 4.1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from astropy.io import fits

from qlf.quicklook.mapping import FLAVORS
from qlf.sim.profiles import AMPS, Profile
from qlf.sim.spectra import PROGRAMS, default_exptime, sky_band_mag

__all__ = [
    "ExposureInfo",
    "camera_header",
    "exposure_info",
    "spec_header",
]

_MJD_EPOCH = dt.datetime(1858, 11, 17, tzinfo=dt.UTC)


@dataclass(frozen=True)
class ExposureInfo:
    """The global description of one exposure: everything in the SPEC header."""

    expid: int
    night: int
    flavor: str
    program: str | None
    exptime: float
    tileid: int
    date_obs: str
    mjd: float
    airmass: float
    seeing: float
    skyra: float
    skydec: float
    tilera: float
    tiledec: float
    moonsep: float | None = None
    skylevel: float | None = None


def _night_date(night: int) -> dt.date:
    text = str(night)
    try:
        if len(text) != 8 or not text.isdigit():
            raise ValueError(text)
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"--night {night!r}: expected YYYYMMDD") from None


def exposure_info(
    *,
    expid: int,
    night: int,
    flavor: str,
    program: str | None = None,
    exptime: float | None = None,
    tileid: int | None = None,
    tilera: float | None = None,
    tiledec: float | None = None,
    start: dt.datetime | None = None,
    seed: int = 0,
) -> ExposureInfo:
    """Describe an exposure, filling what is not given deterministically from (seed, expid).

    ``start`` is the UTC start of the exposure; by default the night's 02:00 UTC plus
    20 minutes per exposure number (mod 30), which keeps it inside the night.
    """
    if flavor not in FLAVORS:
        raise ValueError(f"unknown flavor {flavor!r}: expected one of {', '.join(FLAVORS)}")
    if int(expid) < 0 or int(expid) > 99_999_999:
        raise ValueError(f"--expid {expid}: must be 0-99999999")
    if flavor == "science":
        program = (program or "DARK").upper()
        if program not in PROGRAMS:
            raise ValueError(f"unknown program {program!r}: expected one of {', '.join(PROGRAMS)}")
    else:
        program = None
    if exptime is None:
        exptime = default_exptime(flavor, program)
    if exptime < 0:
        raise ValueError(f"--exptime {exptime}: must not be negative")
    date = _night_date(night)
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), int(expid), 31337]))
    if start is None:
        start = dt.datetime(date.year, date.month, date.day, 2, 0, tzinfo=dt.UTC)
        start += dt.timedelta(days=1, minutes=20 * (int(expid) % 30))
    airmass = float(np.round(rng.uniform(1.0, 1.6), 3))
    seeing = float(np.round(rng.uniform(0.8, 1.6), 2))
    if flavor == "science":
        tileid = int(tileid if tileid is not None else 1000 + int(expid))
        tilera = float(rng.uniform(0, 360)) if tilera is None else float(tilera)
        tiledec = float(rng.uniform(-10, 70)) if tiledec is None else float(tiledec)
        moonsep = float(np.round(rng.uniform(20, 150), 1))
        skylevel = round(sky_band_mag("r", program), 3)
    else:  # calibrations: dome closed, telescope parked; no tile
        tileid = -1 if tileid is None else int(tileid)
        tilera = 0.0 if tilera is None else float(tilera)
        tiledec = 32.0 if tiledec is None else float(tiledec)
        moonsep = skylevel = None
    offset = rng.normal(0.0, 2.0 / 3600.0, 2)  # pointing error, deg
    start = start.astimezone(dt.UTC)
    return ExposureInfo(
        expid=int(expid),
        night=int(night),
        flavor=flavor,
        program=program,
        exptime=float(exptime),
        tileid=tileid,
        date_obs=start.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3],
        mjd=float(np.round((start - _MJD_EPOCH).total_seconds() / 86400.0, 8)),
        airmass=airmass,
        seeing=seeing,
        skyra=float(np.round((tilera + offset[0]) % 360.0, 6)),
        skydec=float(np.round(tiledec + offset[1], 6)),
        tilera=tilera,
        tiledec=tiledec,
        moonsep=moonsep,
        skylevel=skylevel,
    )


def spec_header(info: ExposureInfo) -> fits.Header:
    """The global keywords of the ``SPEC`` HDU."""
    header = fits.Header()
    header["EXPID"] = (info.expid, "exposure number")
    header["NIGHT"] = (info.night, "night of observation, YYYYMMDD")
    header["FLAVOR"] = (info.flavor, "zero, dark, flat, arc or science")
    header["OBSTYPE"] = (info.flavor.upper(), "observation type")
    if info.program:
        header["PROGRAM"] = (info.program, "survey program")
    header["TILEID"] = (info.tileid, "tile (-1: none)")
    header["EXPTIME"] = (info.exptime, "exposure time, s")
    header["DATE-OBS"] = (info.date_obs, "UTC start of exposure")
    header["MJD-OBS"] = (info.mjd, "modified Julian date of DATE-OBS")
    header["AIRMASS"] = (info.airmass, "airmass")
    header["SEEING"] = (info.seeing, "FWHM seeing, arcsec")
    header["SKYRA"] = (info.skyra, "telescope RA, deg")
    header["SKYDEC"] = (info.skydec, "telescope Dec, deg")
    header["TILERA"] = (info.tilera, "tile RA, deg")
    header["TILEDEC"] = (info.tiledec, "tile Dec, deg")
    if info.moonsep is not None:
        header["MOONSEP"] = (info.moonsep, "moon separation, deg")
    if info.skylevel is not None:
        header["SKYLEVEL"] = (info.skylevel, "r-band sky brightness, mag/arcsec2")
    header["INSTRUME"] = ("QLFSIM", "simulated DESI-like spectrograph")
    return header


def camera_header(
    profile: Profile,
    camera: str,
    *,
    expid: int,
    night: int,
    gains: list[float] | tuple[float, ...],
    saturation: list[float] | tuple[float, ...],
    readnoise: list[float] | tuple[float, ...] | None = None,
) -> fits.Header:
    """The keywords of one camera HDU (identity, geometry sections, per-amp gain/saturation)."""
    geom = profile.arms[camera[0]]
    header = fits.Header()
    header["CAMERA"] = (camera, "camera: arm and spectrograph")
    header["SPECGRPH"] = (int(camera[1]), "spectrograph")
    header["EXPID"] = (int(expid), "exposure number")
    header["NIGHT"] = (int(night), "night of observation, YYYYMMDD")
    header["DETECTOR"] = (f"SIM-{profile.name.upper()}-{camera.upper()}", "detector id")
    header["CCDSIZE"] = (geom.ccdsize, "trimmed columns,rows")
    for key, value in geom.section_keywords().items():
        header[key] = value
    for i, amp in enumerate(AMPS):
        header[f"GAIN{amp}"] = (float(gains[i]), f"amp {amp} gain, e-/ADU")
        # 9 characters: a HIERARCH card, read back as header["SATURLEVA"] (as in DESI files)
        header[f"HIERARCH SATURLEV{amp}"] = (float(saturation[i]), f"amp {amp} saturation, ADU")
        if readnoise is not None:
            header[f"RDNOISE{amp}"] = (float(readnoise[i]), f"amp {amp} read noise, e-")
    return header
