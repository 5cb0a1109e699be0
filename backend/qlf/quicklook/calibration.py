"""Loading one camera's calibration; a missing or unreadable part is recorded, not fatal here.

Metrics that need the missing part fail with the recorded reason; the others still run. Files
are read once per process while unchanged (:mod:`qlf.quicklook.io.file_cache`).
"""

from __future__ import annotations

from pathlib import Path

from qlf.quicklook.io.calib import calib_paths, read_ccd_calib, read_fiberflat, read_psf
from qlf.quicklook.io.file_cache import cached_read
from qlf.quicklook.products import CameraCalibration
from qlf.quicklook.throughput import BUILT_IN, Throughput, read_throughput

__all__ = ["load_calibration"]


def load_calibration(calib_dir: Path | str | None, camera: str) -> CameraCalibration:
    calibration = CameraCalibration(camera=camera, missing={})
    if calib_dir is None:
        calibration.missing.update(
            psf="no calibration directory", fiberflat="no calibration directory"
        )
        return calibration
    paths = calib_paths(calib_dir, camera)
    calibration.throughput = _throughput(paths.throughput, camera)
    for part, path, reader in (
        ("psf", paths.psf, read_psf),
        ("fiberflat", paths.fiberflat, read_fiberflat),
        ("ccd", paths.ccd, read_ccd_calib),
    ):
        if not path.exists():
            calibration.missing[part] = f"{path} not found"
            continue
        try:
            value = cached_read(path, reader)
        except (OSError, ValueError) as exc:
            calibration.missing[part] = str(exc)
            continue
        if part == "psf":
            calibration.psf = value
        elif part == "fiberflat":
            calibration.fiberflat, calibration.fiberflat_wave = value.flat, value.wave
        else:
            calibration.amps = value
    return calibration


def _throughput(path: Path, camera: str) -> Throughput:
    """The camera's throughput file if present and readable, else the built-in model."""
    if not path.exists():
        return Throughput(camera[0])
    try:
        return cached_read(path, read_throughput)
    except (OSError, ValueError) as exc:
        return Throughput(camera[0], f"{BUILT_IN} ({path.name} unusable: {exc})")
