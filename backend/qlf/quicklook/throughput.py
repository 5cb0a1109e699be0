"""Throughput model: photo-electrons per row for a given flux, and its inverse.

One model serves both sides: the simulator turns fibermap fluxes into electrons with it, and
the pipeline turns extracted electrons back into magnitudes (DELTAMAG_TGT, FIDSNR_TGT,
SKYRBAND). Fluxes are AB flux densities f_ν in nanomaggies (mag = 22.5 − 2.5 log10 f).
"""

from __future__ import annotations

import numpy as np

from qlf.quicklook.lines import ARM_RANGES, BANDS
from qlf.quicklook.stats import nanmean

__all__ = [
    "FIBER_AREA_ARCSEC2",
    "TELESCOPE_AREA_CM2",
    "band_mean",
    "electrons_per_angstrom",
    "nanomaggies_to_mag",
    "throughput",
]

#: Collecting area of a 4-m class telescope with its central obstruction, cm².
TELESCOPE_AREA_CM2 = 8.678e4
#: Sky area of one fiber (1.5 arcsec diameter), arcsec².
FIBER_AREA_ARCSEC2 = np.pi * 0.75**2
#: Photons s⁻¹ cm⁻² Å⁻¹ from 1 nanomaggy at 1 Å: 3.631e-29 erg s⁻¹ cm⁻² Hz⁻¹ / h.
_PHOTONS_PER_NMGY = 3.631e-29 / 6.62607015e-27
#: Peak end-to-end throughput (atmosphere, telescope, fiber, spectrograph, CCD).
_PEAK_THROUGHPUT = {"b": 0.30, "r": 0.36, "z": 0.32}


def throughput(wave: np.ndarray, arm: str) -> np.ndarray:
    """End-to-end throughput at ``wave`` (Å) for ``arm``: a smooth dome, 45 % of peak at edges."""
    lo, hi = ARM_RANGES[arm]
    t = 2.0 * (np.asarray(wave, dtype=float) - lo) / (hi - lo) - 1.0
    t2 = np.square(np.clip(t, -1, 1))
    return _PEAK_THROUGHPUT[arm] * (1.0 - 0.55 * t2 * t2)


def electrons_per_angstrom(
    wave: np.ndarray, arm: str, *, exptime: float, fnu_nmgy: np.ndarray | float = 1.0
) -> np.ndarray:
    """Photo-electrons per Å detected from a source of flux density ``fnu_nmgy`` (nanomaggies).

    A source of constant f_ν delivers f_ν / (h λ) photons s⁻¹ cm⁻² Å⁻¹.
    """
    wave = np.asarray(wave, dtype=float)
    photons = _PHOTONS_PER_NMGY / wave * TELESCOPE_AREA_CM2 * exptime
    return np.asarray(fnu_nmgy) * photons * throughput(wave, arm)


def band_mean(wave: np.ndarray, fnu: np.ndarray, arm: str) -> np.ndarray:
    """Mean f_ν over the arm's broad band (top hat); ``fnu`` may be (nspec, nwave)."""
    _, lo, hi = BANDS[arm]
    inband = (wave >= lo) & (wave <= hi)
    return nanmean(np.asarray(fnu)[..., inband], axis=-1)


def nanomaggies_to_mag(flux: np.ndarray | float) -> np.ndarray:
    """AB magnitude of a flux in nanomaggies (NaN for non-positive flux)."""
    flux = np.asarray(flux, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(flux > 0, 22.5 - 2.5 * np.log10(flux), np.nan)
