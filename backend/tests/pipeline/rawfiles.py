"""Tiny raw exposures for the pipeline tests: a SPEC header and small 4-amp camera HDUs.

The daemon's tests exercise orchestration, not science, so the frames are 2x2 amps of a few
dozen pixels with a bias level and read noise: enough for CHECK_CCDs of a ``zero`` exposure.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from astropy.io import fits

__all__ = ["raw_path", "write_raw"]

_NX, _NY, _PRE, _OVER, _OROWS = 32, 24, 2, 8, 4  # per amp: data cols, data rows, prescan...


def raw_path(data_dir: Path, night: int, expid: int) -> Path:
    return Path(data_dir) / str(night) / f"{expid:08d}" / f"desi-{expid:08d}.fits.fz"


def _camera_hdu(camera: str, expid: int, night: int, rng: np.random.Generator):
    width = 2 * (_PRE + _NX + _OVER)
    height = 2 * (_NY + _OROWS) + 2
    image = rng.normal(1200.0, 2.0, size=(height, width))
    header = fits.Header()
    header["CAMERA"] = camera
    header["SPECGRPH"] = int(camera[1])
    header["EXPID"] = expid
    header["NIGHT"] = night
    header["DETECTOR"] = "sim"
    header["CCDSIZE"] = f"{2 * _NX},{2 * _NY}"
    for amp, (left, bottom) in {"A": (1, 1), "B": (0, 1), "C": (1, 0), "D": (0, 0)}.items():
        r0 = 1 if bottom else 1 + _NY + 2 * _OROWS  # 0-indexed first data row
        if left:
            pre, data, over = 0, _PRE, _PRE + _NX
        else:
            over = 2 * _PRE + _NX + _OVER
            data, pre = over + _OVER, over + _OVER + _NX
        rows = f"{r0 + 1}:{r0 + _NY}"
        orow = r0 + _NY if bottom else r0 - _OROWS
        header[f"PRESEC{amp}"] = f"[{pre + 1}:{pre + _PRE},{rows}]"
        header[f"DATASEC{amp}"] = f"[{data + 1}:{data + _NX},{rows}]"
        header[f"BIASSEC{amp}"] = f"[{over + 1}:{over + _OVER},{rows}]"
        header[f"ORSEC{amp}"] = f"[{data + 1}:{data + _NX},{orow + 1}:{orow + _OROWS}]"
        c0 = 0 if left else _NX
        y0 = 0 if bottom else _NY
        header[f"CCDSEC{amp}"] = f"[{c0 + 1}:{c0 + _NX},{y0 + 1}:{y0 + _NY}]"
        header[f"GAIN{amp}"] = 1.5
    data = np.clip(np.round(image), 0, 65535).astype(np.uint16)
    return fits.CompImageHDU(data, header=header, name=camera.upper(), compression_type="RICE_1")


def write_raw(
    data_dir: Path,
    *,
    night: int = 20261122,
    expid: int,
    cameras: tuple[str, ...] = ("b0", "r0", "z0"),
    flavor: str = "zero",
    mtime: float | None = None,
) -> Path:
    """Write a complete exposure atomically (temporary name, then rename), like the ICS."""
    path = raw_path(data_dir, night, expid)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(expid)
    spec = fits.ImageHDU(name="SPEC")
    for key, value in {
        "EXPID": expid, "NIGHT": night, "FLAVOR": flavor, "OBSTYPE": flavor.upper(),
        "EXPTIME": 0.0 if flavor == "zero" else 900.0, "DATE-OBS": "2026-11-23T03:00:00",
        "MJD-OBS": 61367.125, "AIRMASS": 1.1, "SEEING": 1.0,
    }.items():  # fmt: skip
        spec.header[key] = value
    hdus = [fits.PrimaryHDU(), spec, *(_camera_hdu(c, expid, night, rng) for c in cameras)]
    tmp = path.with_name(f".{path.name}.tmp")
    fits.HDUList(hdus).writeto(tmp, overwrite=True)
    os.replace(tmp, path)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path
