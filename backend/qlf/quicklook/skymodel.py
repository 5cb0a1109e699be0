"""The reference night sky at Kitt Peak: what the sky references are derived from.

Both the simulator (which draws this sky) and the threshold references (SKYCONT, SKYRBAND,
PEAKCOUNT, FIDSNR_TGT in ``specs/``, checked against these functions by the tests) come from
here, and this module comes from published measurements, never from QLF's simulator:

* **Dark continuum**: AB mag/arcsec² = 24.078 − 7.360 x + 4.220 x² (x = λ/µm), a fit to the
  continuum between the lines (running 20th percentile) of DESI's dark-sky spectrum (desimodel
  ``spec-sky.dat``, shipped in desispec 2018); it gives 21.53 in G (4100–5400 Å), 21.09 in R
  (5700–7200 Å), 20.88 in Z (8300–9700 Å), matching the dark-sky r ≈ 21.0–21.2 mag/arcsec²
  measured at Kitt Peak (Neugent & Massey 2010, PASP 122, 1246) and the Legacy Surveys'
  nominal r = 20.91 (Dey et al. 2019, AJ 157, 168).
* **Airglow lines**: :data:`qlf.quicklook.lines.SKY_LINES` (rayleigh, same spectrum), the same
  in every program (airglow does not depend on the moon).
* **Moonlight** (GRAY, BRIGHT): scattered sunlight, f_ν ∝ B_ν(5800 K) · λ⁻² (between Rayleigh
  λ⁻⁴ and aerosol λ⁻¹·³ scattering), of r-band brightness 20.7 (GRAY: a half moon 60° away,
  ≈ 150 nL in V by the model of Krisciunas & Schaefer 1991, PASP 103, 1033, V − r ≈ 0.2 for
  sunlight) and 18.6 mag/arcsec² (BRIGHT: an 85 % moon 60° away, ≈ 1000 nL).
"""

from __future__ import annotations

import numpy as np

from qlf.quicklook.lines import (
    BANDS,
    LINE_ISOLATION_A,
    SKY_CONTINUUM_WINDOWS,
    SKY_LINES,
    isolated_lines,
    lines_in_arm,
)
from qlf.quicklook.throughput import Throughput, rayleigh_to_nmgy_angstrom

__all__ = [
    "EFFTIME_PROGRAM",
    "FIDUCIAL_MAG",
    "MOONLIGHT_R",
    "PROGRAMS",
    "efftime_ratio_reference",
    "fidsnr_per_angstrom",
    "peakcount_lines",
    "peakcount_reference",
    "sky_band_mag",
    "sky_continuum",
    "sky_lines",
    "sky_window_electrons",
    "skycont_reference",
    "snr_coefficients",
]

PROGRAMS = ("DARK", "GRAY", "BRIGHT")
#: Dark-sky continuum, AB mag/arcsec², as a quadratic in λ/µm (coefficients of x⁰, x¹, x²).
DARK_CONTINUUM = (24.078, -7.360, 4.220)
#: r-band (R top-hat) brightness of the moonlight added in each program, AB mag/arcsec².
MOONLIGHT_R: dict[str, float | None] = {"DARK": None, "GRAY": 20.7, "BRIGHT": 18.6}
_SUN_K = 5800.0
#: The program whose sky is the nominal condition of the effective exposure time (EFFTIME).
EFFTIME_PROGRAM = "DARK"
#: Magnitude at which FIDSNR_TGT is quoted.
FIDUCIAL_MAG = 22.0
_FINE = np.arange(3500.0, 10001.0, 1.0)


def _dark(wave: np.ndarray) -> np.ndarray:
    x = np.asarray(wave, dtype=float) / 1e4
    c0, c1, c2 = DARK_CONTINUUM
    return 10 ** (-0.4 * (c0 + c1 * x + c2 * x * x - 22.5))


def _moon_shape(wave: np.ndarray) -> np.ndarray:
    wave = np.asarray(wave, dtype=float)
    planck = 1.0 / (wave**3 * np.expm1(1.4388e8 / (wave * _SUN_K)))  # B_ν ∝ ν³/(e^{hν/kT} − 1)
    return planck * (wave / 6450.0) ** -2


def _r_mean(values: np.ndarray) -> float:
    """Mean over the R band of ``values`` tabulated on ``_FINE``."""
    fine, (_, lo, hi) = _FINE, BANDS["r"]
    return float(np.mean(values[(fine >= lo) & (fine <= hi)]))


def sky_continuum(wave: np.ndarray, program: str) -> np.ndarray:
    """Sky continuum f_ν at vacuum ``wave`` (Å), nanomaggies per arcsec²."""
    out = _dark(wave)
    moon = MOONLIGHT_R[program]
    if moon is not None:
        norm = 10 ** (-0.4 * (moon - 22.5)) / _r_mean(_moon_shape(_FINE))
        out = out + norm * _moon_shape(wave)
    return out


def sky_window_electrons(arm: str, program: str, throughput: Throughput | None = None) -> float:
    """Sky continuum detected in one fiber, e-/s/Å: the mean over the arm's two line-free
    windows (SKYCONT's) of ``program``'s sky through ``throughput`` (the built-in model)."""
    model = throughput or Throughput(arm)
    rates = [
        float(np.mean(model.electrons_per_angstrom(
            grid, exptime=1.0, fnu_nmgy=sky_continuum(grid, program) * model.fiber_area_arcsec2
        )))
        for grid in (np.arange(lo, hi + 1.0, 1.0) for lo, hi in SKY_CONTINUUM_WINDOWS[arm])
    ]  # fmt: skip
    return float(np.mean(rates))


def efftime_ratio_reference(arm: str, program: str) -> float:
    """EFFTIME / EXPTIME expected of a nominal instrument under ``program``'s reference sky.

    The nominal dark sky over this sky (EFFTIME_RATIO's background-limited form): 1 in DARK,
    less under the moon.
    """
    return sky_window_electrons(arm, EFFTIME_PROGRAM) / sky_window_electrons(arm, program)


def sky_lines(arm: str, *, margin: float = 5.0) -> np.ndarray:
    """Airglow lines of ``arm``: rows of (vacuum wave Å, flux nanomaggy·Å per arcsec²)."""
    lines = lines_in_arm(SKY_LINES, arm, margin=margin).copy()
    lines[:, 1] = rayleigh_to_nmgy_angstrom(lines[:, 0], lines[:, 1])
    return lines


def sky_band_mag(arm: str, program: str, *, with_lines: bool = True) -> float:
    """Sky surface brightness in the arm's top-hat band (SKYRBAND for r), AB mag/arcsec²."""
    _, lo, hi = BANDS[arm]
    grid = np.arange(lo, hi + 1.0, 1.0)
    fnu = float(np.mean(sky_continuum(grid, program)))
    if with_lines:
        wave, rayleigh = SKY_LINES[:, 0], SKY_LINES[:, 1]
        inband = (wave >= lo) & (wave <= hi)
        fnu += float(np.sum(rayleigh_to_nmgy_angstrom(wave[inband], rayleigh[inband]))) / (hi - lo)
    return float(22.5 - 2.5 * np.log10(fnu))


def skycont_reference(arm: str, program: str) -> float:
    """SKYCONT expected: mean continuum f_ν of the arm's two line-free windows, AB mag/arcsec²."""
    fluxes = [
        float(np.mean(sky_continuum(np.arange(lo, hi + 1.0, 1.0), program)))
        for lo, hi in SKY_CONTINUUM_WINDOWS[arm]
    ]
    return float(22.5 - 2.5 * np.log10(np.mean(fluxes)))


def peakcount_lines(arm: str) -> np.ndarray:
    """The sky lines PEAKCOUNT sums (rows of (wave Å, rayleigh)): the arm's isolated ones.

    The pipeline picks the same (:attr:`qlf.quicklook.products.CameraProducts.line_list`) on
    any instrument of ≤ 5.6 Å per row.
    """
    return isolated_lines(lines_in_arm(SKY_LINES, arm), LINE_ISOLATION_A)


def peakcount_reference(arm: str, throughput: Throughput | None = None) -> float:
    """PEAKCOUNT expected, e-/s: the airglow of :func:`peakcount_lines` through one fiber.

    Through the built-in throughput unless another is given.
    """
    lines = peakcount_lines(arm)
    model = throughput or Throughput(arm)
    return float(np.sum(model.line_electrons_per_second(lines[:, 0], lines[:, 1])))


def snr_coefficients(
    arm: str,
    program: str,
    *,
    exptime: float,
    dispersion: float,
    readnoise: float,
    dark_current: float,
    throughput: Throughput | None = None,
    boxcar: int = 7,
) -> tuple[float, float, float]:
    """(a, b, λ) of SNR per row = t·a·x / √(t(a·x + b)) at the centre λ of the arm's band.

    a = e-/row/s per nanomaggy, b = sky continuum + dark current + boxcar·rn²/t, e-/row/s,
    through one fiber of a boxcar ``boxcar`` pixels wide, ``dispersion`` Å per row, read
    noise ``readnoise`` e- and dark current ``dark_current`` e-/pixel/hour.
    """
    model = throughput or Throughput(arm)
    _, lo, hi = BANDS[arm]
    wave = np.array([0.5 * (lo + hi)])
    sky = sky_continuum(wave, program) * model.fiber_area_arcsec2
    a = float(model.electrons_per_angstrom(wave, exptime=1.0)[0]) * dispersion
    sky_rate = float(model.electrons_per_angstrom(wave, exptime=1.0, fnu_nmgy=sky)[0]) * dispersion
    noise = (dark_current / 3600.0 + (readnoise**2 / exptime if exptime > 0 else 0.0)) * boxcar
    return a, sky_rate + noise, float(wave[0])


def fidsnr_per_angstrom(arm: str, program: str, *, exptime: float, dispersion: float, **noise):
    """FIDSNR_TGT expected: S/N per √Å at :data:`FIDUCIAL_MAG` (:func:`snr_coefficients`)."""
    a, b, _ = snr_coefficients(arm, program, exptime=exptime, dispersion=dispersion, **noise)
    x = 10 ** (-0.4 * (FIDUCIAL_MAG - 22.5))
    if not exptime > 0:
        return 0.0
    return float(exptime * a * x / np.sqrt(exptime * (a * x + b)) / np.sqrt(dispersion))
