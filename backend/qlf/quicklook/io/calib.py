"""Calibration files of one camera (DESIGN.md 4.3), read and written.

``{calib_dir}/{camera}/`` holds ``psf-{camera}.fits`` (Legendre traces ``XTRACE``,
``YTRACE`` with ``WAVEMIN``/``WAVEMAX``, optional ``XSIGMA``; wavelengths in vacuum unless the
header says ``AIRORVAC = 'air'``), ``fiberflat-{camera}.fits`` (``FIBERFLAT`` (nfiber, nwave),
``WAVELENGTH`` (nwave,), vacuum Å) and ``ccd-{camera}.json`` (per amp ``gain`` e-/ADU,
``readnoise`` e-, ``saturation`` ADU, optional ``bias`` ADU). The optional throughput file is
read by :mod:`qlf.quicklook.throughput`.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
from astropy.io import fits

from qlf.quicklook.lines import MEDIA
from qlf.quicklook.psf import TraceSet

__all__ = [
    "CCD_AMP_KEYS",
    "CalibError",
    "CalibPaths",
    "FiberFlat",
    "calib_paths",
    "read_ccd_calib",
    "read_fiberflat",
    "read_psf",
    "write_ccd_calib",
    "write_fiberflat",
    "write_psf",
]

#: Required per-amp keys of ``ccd-{camera}.json``; ``bias`` and ``dark_current`` are optional.
CCD_AMP_KEYS = ("gain", "readnoise", "saturation")
_CCD_OPTIONAL = ("bias", "dark_current")


class CalibError(ValueError):
    """A calibration file that cannot be used; names the file and the offending field."""

    def __init__(self, path: Path | str, message: str, *, field: str | None = None):
        self.path = str(path)
        self.field = field
        where = f"{self.path} [{field}]" if field else self.path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class CalibPaths:
    """Where the calibration files of one camera live."""

    camera: str
    directory: Path
    psf: Path
    fiberflat: Path
    ccd: Path
    throughput: Path


class FiberFlat(NamedTuple):
    """Relative fiber throughput: ``flat`` (nfiber, nwave) on ``wave`` (nwave,) Å."""

    flat: np.ndarray
    wave: np.ndarray


def calib_paths(calib_dir: Path | str, camera: str) -> CalibPaths:
    """The paths of ``camera``'s calibration files under ``calib_dir`` (existing or not)."""
    camera = camera.lower()
    directory = Path(calib_dir) / camera
    return CalibPaths(
        camera=camera,
        directory=directory,
        psf=directory / f"psf-{camera}.fits",
        fiberflat=directory / f"fiberflat-{camera}.fits",
        ccd=directory / f"ccd-{camera}.json",
        throughput=directory / f"throughput-{camera}.fits",
    )


def _open(path: Path) -> fits.HDUList:
    """Open and fully read a FITS file; any astropy warning (e.g. truncation) is an error.

    Warnings are recorded rather than raised inside ``fits.open``, which would leave the file
    handle open.
    """
    if not path.exists():
        raise CalibError(path, "no such file")
    hdul = None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            hdul = fits.open(path, memmap=False, lazy_load_hdus=False)
            for hdu in hdul:
                hdu.data  # noqa: B018 - force reading so truncated files fail here
        if caught:
            raise CalibError(path, f"not a readable FITS file ({caught[0].message})")
        return hdul
    except CalibError:
        if hdul is not None:
            hdul.close()
        raise
    except (OSError, ValueError, TypeError) as exc:
        if hdul is not None:
            hdul.close()
        raise CalibError(path, f"not a readable FITS file ({exc})") from exc


def _image(hdul: fits.HDUList, path: Path, name: str, ndim: int) -> np.ndarray:
    if name not in hdul:
        raise CalibError(path, "missing HDU", field=name)
    data = hdul[name].data
    if data is None or data.ndim != ndim:
        shape = None if data is None else data.shape
        raise CalibError(path, f"expected a {ndim}-d image, got shape {shape}", field=name)
    data = np.asarray(data, dtype=float)
    if not np.all(np.isfinite(data)):
        raise CalibError(path, "contains NaN or infinite values", field=name)
    return data


def read_psf(path: Path | str) -> TraceSet:
    """Read ``psf-{camera}.fits`` into a :class:`~qlf.quicklook.psf.TraceSet`.

    Raises :class:`CalibError` on a missing file, HDU or keyword, or inconsistent shapes.
    """
    path = Path(path)
    with _open(path) as hdul:
        xcoef = _image(hdul, path, "XTRACE", 2)
        ycoef = _image(hdul, path, "YTRACE", 2)
        if xcoef.shape != ycoef.shape:
            raise CalibError(
                path, f"shape {ycoef.shape} differs from XTRACE {xcoef.shape}", field="YTRACE"
            )
        limits = []
        for key in ("WAVEMIN", "WAVEMAX"):
            value = _keyword(hdul, key)
            try:
                limits.append(float(value))
            except (TypeError, ValueError):
                raise CalibError(path, f"missing or non-numeric {key}", field=key) from None
        medium = str(_keyword(hdul, "AIRORVAC") or "vac").strip().lower()
        if medium not in MEDIA:
            raise CalibError(
                path, f"{medium!r} is neither 'vac' nor 'air'", field="AIRORVAC"
            )  # fmt: skip
        xsigma = None
        if "XSIGMA" in hdul:
            xsigma = _image(hdul, path, "XSIGMA", 1)
            if xsigma.shape != (xcoef.shape[0],):
                raise CalibError(
                    path, f"shape {xsigma.shape} != ({xcoef.shape[0]},)", field="XSIGMA"
                )
    try:
        return TraceSet(xcoef, ycoef, limits[0], limits[1], xsigma, medium)
    except ValueError as exc:
        raise CalibError(path, str(exc), field="WAVEMIN") from None


def _keyword(hdul: fits.HDUList, key: str):
    """``key`` from the XTRACE, YTRACE or primary header (first found), else None."""
    for name in ("XTRACE", "YTRACE", 0):
        if key in hdul[name].header:
            return hdul[name].header[key]
    return None


def write_psf(path: Path | str, traces: TraceSet, *, header: dict | None = None) -> Path:
    """Write ``traces`` as ``psf-{camera}.fits``; ``header`` keywords go in the primary HDU."""
    primary = fits.PrimaryHDU()
    for key, value in (header or {}).items():
        primary.header[key] = value
    primary.header["AIRORVAC"] = (traces.medium, "wavelengths: vac (vacuum) or air")
    hdus = [primary]
    for name, coef in (("XTRACE", traces.xcoef), ("YTRACE", traces.ycoef)):
        hdu = fits.ImageHDU(np.asarray(coef, dtype=np.float64), name=name)
        hdu.header["WAVEMIN"] = (float(traces.wavemin), "Angstrom, u = -1")
        hdu.header["WAVEMAX"] = (float(traces.wavemax), "Angstrom, u = +1")
        hdus.append(hdu)
    if traces.xsigma is not None:
        hdus.append(fits.ImageHDU(np.asarray(traces.xsigma, dtype=np.float64), name="XSIGMA"))
    fits.HDUList(hdus).writeto(path, overwrite=True)
    return Path(path)


def read_fiberflat(path: Path | str) -> FiberFlat:
    """Read ``fiberflat-{camera}.fits``: ``(flat (nfiber, nwave), wave (nwave,))``."""
    path = Path(path)
    with _open(path) as hdul:
        flat = _image(hdul, path, "FIBERFLAT", 2)
        wave = _image(hdul, path, "WAVELENGTH", 1)
    if flat.shape[1] != wave.shape[0]:
        raise CalibError(
            path, f"{flat.shape[1]} wavelengths in FIBERFLAT, {wave.shape[0]} here",
            field="WAVELENGTH",
        )  # fmt: skip
    if np.any(np.diff(wave) <= 0):
        raise CalibError(path, "wavelengths must increase", field="WAVELENGTH")
    return FiberFlat(flat, wave)


def write_fiberflat(
    path: Path | str, flat: np.ndarray, wave: np.ndarray, *, header: dict | None = None
) -> Path:
    """Write a fiber flat (nfiber, nwave) and its wavelength grid (nwave,) Å."""
    flat = np.asarray(flat, dtype=np.float32)
    wave = np.asarray(wave, dtype=np.float64)
    if flat.ndim != 2 or flat.shape[1] != wave.shape[0]:
        raise ValueError(f"fiberflat shape {flat.shape} does not match {wave.shape[0]} wavelengths")
    primary = fits.PrimaryHDU()
    for key, value in (header or {}).items():
        primary.header[key] = value
    hdus = [primary, fits.ImageHDU(flat, name="FIBERFLAT"), fits.ImageHDU(wave, name="WAVELENGTH")]
    hdus[2].header["BUNIT"] = "Angstrom"
    fits.HDUList(hdus).writeto(path, overwrite=True)
    return Path(path)


def read_ccd_calib(path: Path | str) -> dict[str, dict[str, float]] | None:
    """Read ``ccd-{camera}.json``: ``{amp: {gain, readnoise, saturation[, bias, dark_current]}}``.

    A missing file is allowed and returns ``None`` (the pipeline then uses the header
    ``GAINx``). The amps may sit under an ``"amps"`` key or at the top level.
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        doc = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CalibError(path, f"not readable JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise CalibError(path, "expected a JSON object")
    amps = doc.get("amps", {k: v for k, v in doc.items() if k in ("A", "B", "C", "D")})
    if not isinstance(amps, dict) or not amps:
        raise CalibError(path, "no amplifiers", field="amps")
    out: dict[str, dict[str, float]] = {}
    for amp, values in amps.items():
        if amp not in ("A", "B", "C", "D"):
            raise CalibError(path, "amp name must be A, B, C or D", field=f"amps.{amp}")
        if not isinstance(values, dict):
            raise CalibError(path, "expected an object", field=f"amps.{amp}")
        entry = {}
        for key in CCD_AMP_KEYS + _CCD_OPTIONAL:
            if key not in values:
                if key in CCD_AMP_KEYS:
                    raise CalibError(path, "missing", field=f"amps.{amp}.{key}")
                continue
            value = values[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise CalibError(path, f"not a number: {value!r}", field=f"amps.{amp}.{key}")
            if not math.isfinite(value) or (key in CCD_AMP_KEYS and value <= 0):
                raise CalibError(path, f"must be positive: {value!r}", field=f"amps.{amp}.{key}")
            entry[key] = float(value)
        out[amp] = entry
    return out


def write_ccd_calib(
    path: Path | str, amps: dict[str, dict[str, float]], *, camera: str | None = None
) -> Path:
    """Write ``ccd-{camera}.json`` from ``{amp: {gain, readnoise, saturation, ...}}``."""
    for amp, values in amps.items():
        missing = [k for k in CCD_AMP_KEYS if k not in values]
        if missing:
            raise ValueError(f"amp {amp}: missing {', '.join(missing)}")
    doc = {
        "camera": camera,
        "amps": {a: {k: float(v) for k, v in d.items()} for a, d in amps.items()},
    }
    if camera is None:
        del doc["camera"]
    Path(path).write_text(json.dumps(doc, indent=1) + "\n")
    return Path(path)
