"""Calibration files of the simulated instrument (DESIGN.md 4.3), written once and reused.

The files describe the static instrument of :mod:`.instrument`: calibration traces and
XSIGMA, the true relative fiber throughput, and per-amp gain, read noise, saturation and bias.
They carry the profile and instrument seed, so a calibration directory of another simulated
instrument is refused rather than silently mixed.
"""

from __future__ import annotations

from pathlib import Path

from astropy.io import fits

from qlf.quicklook.io.atomic import atomic_path
from qlf.quicklook.io.calib import (
    calib_paths,
    write_ccd_calib,
    write_fiberflat,
    write_psf,
)
from qlf.sim.instrument import INSTRUMENT_SEED, CameraModel, camera_model
from qlf.sim.profiles import Profile, get_profile

__all__ = ["ensure_calibration", "write_camera_calibration"]


def _identity(model: CameraModel) -> dict[str, object]:
    return {
        "CAMERA": model.camera,
        "SIMPROF": model.profile.name,
        "SIMSEED": model.seed,
        "ORIGIN": "qlf.sim",
    }


def write_camera_calibration(calib_dir: Path | str, model: CameraModel) -> list[Path]:
    """Write psf, fiberflat and ccd files of one camera (each atomically)."""
    paths = calib_paths(calib_dir, model.camera)
    header = _identity(model)
    with atomic_path(paths.psf) as tmp:
        write_psf(tmp, model.traces, header=header)
    with atomic_path(paths.fiberflat) as tmp:
        write_fiberflat(tmp, model.fiberflat, model.flat_wave, header=header)
    amps = {
        amp.name: {
            "gain": amp.gain,
            "readnoise": amp.readnoise,
            "saturation": amp.saturation,
            "bias": amp.bias,
            "dark_current": amp.dark_current,
        }
        for amp in model.amps
    }
    with atomic_path(paths.ccd) as tmp:
        write_ccd_calib(tmp, amps, camera=model.camera)
    return [paths.psf, paths.fiberflat, paths.ccd]


def _existing_identity(path: Path) -> tuple[str, int] | None:
    try:
        header = fits.getheader(path, 0)
        return str(header["SIMPROF"]), int(header["SIMSEED"])
    except (OSError, KeyError, ValueError):
        return None


def ensure_calibration(
    calib_dir: Path | str,
    profile: Profile | str,
    cameras: list[str],
    *,
    seed: int = INSTRUMENT_SEED,
) -> list[Path]:
    """Write the calibration of ``cameras`` unless already present; returns the files written.

    Raises ``ValueError`` if ``calib_dir`` holds the calibration of a different simulated
    instrument (profile or seed) for one of the cameras.
    """
    profile = get_profile(profile)
    written: list[Path] = []
    for camera in cameras:
        paths = calib_paths(calib_dir, camera)
        if paths.psf.exists():
            identity = _existing_identity(paths.psf)
            if identity is not None and identity != (profile.name, int(seed)):
                raise ValueError(
                    f"{paths.psf}: calibration of profile {identity[0]!r} seed {identity[1]}, "
                    f"not {profile.name!r} seed {seed}; choose another --calib directory"
                )
            if identity is not None and paths.fiberflat.exists() and paths.ccd.exists():
                continue
        written += write_camera_calibration(calib_dir, camera_model(profile, camera, seed=seed))
    return written
