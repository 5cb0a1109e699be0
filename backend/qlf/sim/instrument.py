"""The static instrument: per-camera amplifiers, fiber traces, PSF widths and fiber throughput.

Everything here is fixed for an instrument (seeded by the instrument seed and the camera
name, never by the exposure), so the calibration files written from it stay valid for every
exposure and night. Exposures perturb it (trace shifts, noise, defects) in :mod:`.render`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from qlf.quicklook.lines import ARM_RANGES
from qlf.quicklook.psf import TraceSet
from qlf.quicklook.throughput import BUILT_IN, Throughput
from qlf.sim.profiles import AMPS, ARMS, Profile, get_profile

__all__ = ["INSTRUMENT_SEED", "AmpModel", "CameraModel", "camera_model", "camera_rng"]

#: Default instrument seed: one simulated instrument unless asked otherwise.
INSTRUMENT_SEED = 2026
#: Legendre degree of the calibration traces.
TRACE_DEGREE = 5


@dataclass(frozen=True)
class AmpModel:
    """Static properties of one amplifier.

    Attributes
    ----------
    bias : float
        Mean overscan level, ADU.
    gain : float
        e-/ADU.
    readnoise : float
        Read noise, electrons.
    saturation : float
        Level above which a pixel counts as saturated, ADU.
    dark_current : float
        Dark current, electrons per pixel per hour.
    row_structure : float
        Amplitude of the slow row-to-row bias pattern, ADU (0 = flat).
    """

    name: str
    bias: float
    gain: float
    readnoise: float
    saturation: float
    dark_current: float
    row_structure: float


@dataclass(frozen=True)
class CameraModel:
    """One camera of the instrument.

    Attributes
    ----------
    traces : TraceSet
        Calibration traces (x(λ), y(λ), XSIGMA) in trimmed-image pixels.
    wsigma : float
        Along-dispersion Gaussian σ, pixels.
    flat_wave : ndarray, shape (nwave,)
        Wavelength grid of ``fiberflat``, Å.
    fiberflat : ndarray, shape (nfiber, nwave)
        Relative throughput of each fiber (mean 1).
    throughput : Throughput
        True end-to-end throughput: the built-in model times ``efficiency``.
    """

    profile: Profile
    camera: str
    seed: int
    amps: tuple[AmpModel, ...]
    traces: TraceSet
    wsigma: float
    flat_wave: np.ndarray
    fiberflat: np.ndarray
    throughput: Throughput
    efficiency: float = 1.0

    @property
    def arm(self) -> str:
        return self.camera[0]

    @property
    def spectrograph(self) -> int:
        return int(self.camera[1])

    @property
    def geometry(self):
        return self.profile.arms[self.arm]

    @property
    def nfiber(self) -> int:
        return self.traces.nfiber

    def amp(self, name: str) -> AmpModel:
        return self.amps[AMPS.index(name)]


def camera_rng(seed: int, camera: str, *extra: int) -> np.random.Generator:
    """A generator seeded by ``seed``, the camera name and optional integers (e.g. EXPID)."""
    code = [ARMS.index(camera[0]), int(camera[1])]
    return np.random.default_rng(np.random.SeedSequence([int(seed), *extra, *code]))


def camera_model(
    profile: Profile | str, camera: str, *, seed: int = INSTRUMENT_SEED, efficiency: float = 1.0
) -> CameraModel:
    """The static model of ``camera`` (cached: the same object for the same arguments).

    ``efficiency`` scales the built-in throughput model: 1.15 is an instrument 15 % more
    efficient than the pipeline's built-in model assumes.
    """
    if not efficiency > 0:
        raise ValueError(f"--efficiency {efficiency}: must be positive")
    return _camera_model(get_profile(profile).name, camera, int(seed), float(efficiency))


@lru_cache(maxsize=64)
def _camera_model(profile_name: str, camera: str, seed: int, efficiency: float) -> CameraModel:
    profile = get_profile(profile_name)
    if camera[0] not in profile.arms or int(camera[1]) >= profile.nspectrograph:
        raise ValueError(f"camera {camera!r} is not part of profile {profile_name!r}")
    rng = camera_rng(seed, camera)
    amps = tuple(_amp_model(name, rng) for name in AMPS)
    traces = _traces(profile, camera, rng)
    wsigma = float(profile.wsigma * (1.0 + 0.02 * rng.standard_normal()))
    flat_wave, fiberflat = _fiberflat(profile, camera, rng)
    throughput = Throughput(camera[0])
    if efficiency != 1.0:
        throughput = throughput.scaled(efficiency, f"{BUILT_IN} × {efficiency:g}")
    return CameraModel(
        profile=profile,
        camera=camera,
        seed=seed,
        amps=amps,
        traces=traces,
        wsigma=wsigma,
        flat_wave=flat_wave,
        fiberflat=fiberflat,
        throughput=throughput,
        efficiency=efficiency,
    )


def _amp_model(name: str, rng: np.random.Generator) -> AmpModel:
    return AmpModel(
        name=name,
        bias=float(np.round(rng.uniform(1100.0, 2000.0), 1)),
        gain=float(np.round(rng.uniform(1.1, 1.8), 3)),
        readnoise=float(np.round(rng.uniform(2.4, 3.3), 3)),
        saturation=float(np.round(rng.uniform(60000.0, 65000.0))),
        dark_current=float(np.round(rng.uniform(0.5, 3.0), 2)),
        row_structure=float(np.round(rng.uniform(0.0, 3.0), 2)),
    )


def _traces(profile: Profile, camera: str, rng: np.random.Generator) -> TraceSet:
    """Curved traces: x bows outward towards the CCD ends; y is a gently non-linear dispersion."""
    arm = camera[0]
    geom = profile.arms[arm]
    nrows = geom.trimmed_shape[0]
    wavemin, wavemax = ARM_RANGES[arm]
    wave = np.linspace(wavemin, wavemax, 200)
    u = 2.0 * (wave - wavemin) / (wavemax - wavemin) - 1.0

    x0 = profile.fiber_columns(arm)
    x0 = x0 + 0.05 * profile.pitch * rng.standard_normal(x0.size)  # slit irregularities
    half_span = 0.5 * (x0.max() - x0.min())
    s = (x0 - x0.mean()) / half_span  # -1 .. 1 across the slit
    tilt = rng.uniform(-0.5, 0.5) * profile.curvature / 10.0
    x = x0[:, None] + profile.curvature * s[:, None] * u[None, :] ** 2 + tilt * u[None, :]

    y_lo = profile.row_margin
    y_hi = nrows - 1 - profile.row_margin
    # Fibers at the slit edges reach a given wavelength a few rows later (field curvature).
    edge_lag = 0.15 * profile.curvature * s**2
    g = 0.5 * (u + 1.0) + 0.015 * (1.0 - u**2)
    y = y_lo + (y_hi - y_lo - edge_lag.max()) * g[None, :] + edge_lag[:, None]

    xsigma = geom.xsigma * (1.0 + 0.02 * rng.standard_normal(x0.size))
    return TraceSet.fit(wave, x, y, deg=TRACE_DEGREE, xsigma=xsigma)


def _fiberflat(
    profile: Profile, camera: str, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Relative fiber throughput: a few per cent from fiber to fiber, slowly tilted in λ."""
    arm = camera[0]
    nrows = profile.arms[arm].trimmed_shape[0]
    wavemin, wavemax = ARM_RANGES[arm]
    wave = np.linspace(wavemin, wavemax, min(1024, nrows))
    u = 2.0 * (wave - wavemin) / (wavemax - wavemin) - 1.0
    nfiber = profile.nfiber
    level = 1.0 + 0.04 * rng.standard_normal(nfiber)
    slope = 0.02 * rng.standard_normal(nfiber)
    flat = level[:, None] * (1.0 + slope[:, None] * u[None, :])
    flat /= flat.mean()
    return wave, flat.astype(np.float32).astype(float)
