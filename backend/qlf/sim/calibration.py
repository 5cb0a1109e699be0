"""Calibration files of the simulated instrument (DESIGN.md 4.3), written once and reused.

The files describe the static instrument of :mod:`.instrument`: calibration traces and
XSIGMA (vacuum wavelengths, ``AIRORVAC = 'vac'`` like DESI's; air on request, for tests of
that convention), the true relative fiber throughput, per-amp gain, read noise, saturation
and bias, and on request the true end-to-end throughput (``throughput-{camera}.fits``).
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
from qlf.quicklook.throughput import write_throughput
from qlf.sim.instrument import INSTRUMENT_SEED, CameraModel, camera_model
from qlf.sim.profiles import Profile, get_profile

__all__ = ["ensure_calibration", "write_camera_calibration"]


def _identity(model: CameraModel) -> dict[str, object]:
    return {
        "CAMERA": model.camera,
        "SIMPROF": model.profile.name,
        "SIMSEED": model.seed,
        "SIMEFF": (model.efficiency, "throughput / built-in model"),
        "ORIGIN": "qlf.sim",
    }


def write_camera_calibration(
    calib_dir: Path | str, model: CameraModel, *, medium: str = "vac", throughput_file: bool = False
) -> list[Path]:
    """Write psf, fiberflat and ccd files of one camera (each atomically).

    ``medium`` is the PSF's wavelength medium; ``throughput_file`` adds the true throughput.
    """
    paths = calib_paths(calib_dir, model.camera)
    header = _identity(model)
    with atomic_path(paths.psf) as tmp:
        write_psf(tmp, model.traces.in_medium(medium), header=header)
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
    written = [paths.psf, paths.fiberflat, paths.ccd]
    if throughput_file:
        with atomic_path(paths.throughput) as tmp:
            write_throughput(tmp, model.throughput, header=header)
        written.append(paths.throughput)
    return written


def _existing_identity(path: Path) -> tuple[str, int, float, str] | None:
    """(profile, seed, efficiency, PSF medium) of a simulated calibration file, else None."""
    try:
        header = fits.getheader(path, 0)
        return (
            str(header["SIMPROF"]), int(header["SIMSEED"]), float(header.get("SIMEFF", 1.0)),
            str(header.get("AIRORVAC", "vac")),
        )  # fmt: skip
    except (OSError, KeyError, ValueError):
        return None


def ensure_calibration(
    calib_dir: Path | str,
    profile: Profile | str,
    cameras: list[str],
    *,
    seed: int = INSTRUMENT_SEED,
    efficiency: float = 1.0,
    medium: str = "vac",
    throughput_file: bool = False,
) -> list[Path]:
    """Write the calibration of ``cameras`` unless already present; returns the files written.

    ``efficiency``, ``medium`` and ``throughput_file``: see :func:`write_camera_calibration`
    and :func:`qlf.sim.instrument.camera_model`.

    Raises ``ValueError`` if ``calib_dir`` holds the calibration of a different simulated
    instrument (profile, seed, efficiency or PSF medium) for one of the cameras.
    """
    profile = get_profile(profile)
    written: list[Path] = []
    for camera in cameras:
        paths = calib_paths(calib_dir, camera)
        if paths.psf.exists():
            identity = _existing_identity(paths.psf)
            wanted_identity = (profile.name, int(seed), float(efficiency), medium)
            if identity is not None and identity != wanted_identity:
                raise ValueError(
                    f"{paths.psf}: calibration of profile {identity[0]!r} seed {identity[1]} "
                    f"efficiency {identity[2]:g} PSF in {identity[3]}, not {profile.name!r} "
                    f"seed {seed} efficiency {efficiency:g} in {medium}; choose another --calib "
                    "directory"
                )
            wanted = [paths.fiberflat, paths.ccd] + ([paths.throughput] if throughput_file else [])
            if identity is not None and all(p.exists() for p in wanted):
                continue
        model = camera_model(profile, camera, seed=seed, efficiency=efficiency)
        written += write_camera_calibration(
            calib_dir, model, medium=medium, throughput_file=throughput_file
        )
    return written
