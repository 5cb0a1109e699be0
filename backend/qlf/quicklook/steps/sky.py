"""Sky subtraction: the median of the sky fibers, iterated with rejection of deviant fibers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qlf.quicklook.stats import nanmean, nanmedian
from qlf.quicklook.steps.spectra import common_grid, resample

__all__ = ["SkyModel", "subtract_sky"]


@dataclass
class SkyModel:
    """Attributes
    ----------
    grid, spectrum : ndarray (ngrid,)
        The sky on a common grid, same units as the input (flux per Å).
    sky : ndarray (nfiber, nrow)
        The sky at every fiber's own wavelengths.
    residual : ndarray (nfiber, nrow)
        Flux minus sky.
    sky_fibers : ndarray (nsky,) int
        Fibers designated sky.
    chi2 : ndarray (nsky,)
        Reduced χ² of each sky fiber's residual.
    rejected : ndarray (nsky,) bool
        Sky fibers left out of the final model.
    """

    grid: np.ndarray
    spectrum: np.ndarray
    sky: np.ndarray
    residual: np.ndarray
    sky_fibers: np.ndarray
    chi2: np.ndarray
    rejected: np.ndarray


def subtract_sky(
    flux: np.ndarray,
    variance: np.ndarray,
    wave: np.ndarray,
    sky_fibers: np.ndarray,
    *,
    max_chi2: float = 4.0,
    iterations: int = 3,
) -> SkyModel:
    """Model the sky as the median of the (non-rejected) sky fibers and subtract it.

    Raises ``ValueError`` when there are no sky fibers.
    """
    sky_fibers = np.asarray(sky_fibers, dtype=int)
    if sky_fibers.size == 0:
        raise ValueError("no sky fibers in the fibermap for this camera")
    grid = common_grid(wave[sky_fibers])
    on_grid = resample(flux[sky_fibers], wave[sky_fibers], grid)
    rejected = np.zeros(sky_fibers.size, dtype=bool)
    chi2 = np.full(sky_fibers.size, np.nan)
    for _ in range(iterations):
        spectrum = nanmedian(on_grid[~rejected], axis=0)
        model = _evaluate(spectrum, grid, wave[sky_fibers])
        with np.errstate(invalid="ignore", divide="ignore"):
            chi2 = nanmean((flux[sky_fibers] - model) ** 2 / variance[sky_fibers], axis=1)
        new = chi2 > max_chi2
        if np.array_equal(new, rejected) or new.all():
            break
        rejected = new
    sky = _evaluate(spectrum, grid, wave)
    return SkyModel(
        grid=grid,
        spectrum=spectrum,
        sky=sky,
        residual=flux - sky,
        sky_fibers=sky_fibers,
        chi2=chi2,
        rejected=rejected,
    )


def _evaluate(spectrum: np.ndarray, grid: np.ndarray, wave: np.ndarray) -> np.ndarray:
    """The spectrum (on ``grid``) at arbitrary wavelengths; NaN outside the grid."""
    good = np.isfinite(spectrum)
    return np.interp(wave, grid[good], spectrum[good], left=np.nan, right=np.nan)
