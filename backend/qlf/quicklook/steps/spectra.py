"""From extracted rows to calibrated spectra: wavelengths, flux per Å, fiber flat, resampling.

Every fiber's rows sample slightly different wavelengths (the traces curve), so spectra are
compared on a common wavelength grid and interpolated back to each fiber's own samples.
"""

from __future__ import annotations

import numpy as np

from qlf.quicklook.stats import nanmedian

__all__ = ["apply_fiberflat", "common_grid", "per_angstrom", "relative_fiberflat", "resample"]


def per_angstrom(
    values: np.ndarray, dwave: np.ndarray, *, power: int = 1, masked: np.ndarray | None = None
) -> np.ndarray:
    """Per-row quantities per Å: divided by |dλ/drow| (``power=2`` for variances), float64.

    ``masked`` samples become NaN.
    """
    out = np.array(values, dtype=float)
    if masked is not None:
        out[masked] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        out /= dwave if power == 1 else dwave**power
    return out


def common_grid(wave: np.ndarray) -> np.ndarray:
    """A wavelength grid covered by every fiber, with the fibers' median sampling."""
    lo = np.nanmax(np.nanmin(wave, axis=1))
    hi = np.nanmin(np.nanmax(wave, axis=1))
    step = nanmedian(np.abs(np.diff(wave, axis=1)))
    return np.arange(lo, hi, step)


def resample(values: np.ndarray, wave: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Linear interpolation of each fiber (rows of ``values`` at ``wave``) onto ``grid``.

    ``grid`` is 1-d (shared) or 2-d (one grid per fiber); NaN samples are skipped.
    """
    out = np.full((values.shape[0], grid.shape[-1]), np.nan)
    good_all = np.isfinite(values) & np.isfinite(wave)
    whole = good_all.all(axis=1)  # most fibers: no sample to skip, no copy
    for i in range(values.shape[0]):
        if whole[i] and values.shape[1] >= 2:
            w, v = wave[i], values[i]
        else:
            good = good_all[i]
            if good.sum() < 2:
                continue
            w, v = wave[i][good], values[i][good]
        if w[0] > w[-1]:
            w, v = w[::-1], v[::-1]
        target = grid if grid.ndim == 1 else grid[i]
        out[i] = np.interp(target, w, v, left=np.nan, right=np.nan)
    return out


def apply_fiberflat(
    flux: np.ndarray, wave: np.ndarray, flat: np.ndarray, flat_wave: np.ndarray
) -> np.ndarray:
    """Divide each fiber by its calibration fiber flat evaluated at the fiber's wavelengths."""
    flat_here = resample(flat, np.broadcast_to(flat_wave, flat.shape), wave)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(flat_here > 0, flux / flat_here, np.nan)


def relative_fiberflat(flux: np.ndarray, wave: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fiber flat of a continuum-lamp exposure: each fiber over the median fiber.

    Returns ``(flat, grid)``, flat of shape (nfiber, ngrid) on the common grid.
    """
    grid = common_grid(wave)
    on_grid = resample(flux, wave, grid)
    with np.errstate(invalid="ignore", divide="ignore"):
        reference = nanmedian(on_grid, axis=0)
        return on_grid / reference, grid
