"""CHECK_SPECTRA sky metrics: continuum, line fluxes, residuals and the r-band sky brightness."""

from __future__ import annotations

import numpy as np

from qlf.quicklook.lines import BANDS, SKY_CONTINUUM_WINDOWS
from qlf.quicklook.qa.registry import Metric, register
from qlf.quicklook.stats import nanmean, nanmedian
from qlf.quicklook.throughput import FIBER_AREA_ARCSEC2, electrons_per_angstrom, nanomaggies_to_mag

__all__ = ["PeakCount", "SkyCont", "SkyRBand", "SkyResid"]


def _sky_mag_per_arcsec2(products, lo: float, hi: float) -> float:
    """Surface brightness (AB mag/arcsec²) of the sky model between ``lo`` and ``hi`` Å."""
    sky = products.sky
    inside = (sky.grid >= lo) & (sky.grid <= hi)
    per_nmgy = electrons_per_angstrom(sky.grid[inside], products.arm, exptime=products.info.exptime)
    fnu = nanmean(sky.spectrum[inside] / per_nmgy)
    return float(nanomaggies_to_mag(fnu / FIBER_AREA_ARCSEC2))


@register
class SkyCont(Metric):
    name = "skycont"
    key = "SKYCONT"
    granularity = "camera"
    flavors = ("science",)
    units = "AB mag/arcsec²"
    description = "Sky continuum surface brightness in two line-free windows of the arm (mean)."

    def compute(self, products):
        windows = SKY_CONTINUUM_WINDOWS[products.arm]
        per_window = [_sky_mag_per_arcsec2(products, lo, hi) for lo, hi in windows]
        flux = np.mean([10 ** (-0.4 * (m - 22.5)) for m in per_window])
        return {self.key: float(nanomaggies_to_mag(flux)), "SKYCONT_WINDOWS": per_window}


@register
class SkyRBand(Metric):
    name = "skyrband"
    key = "SKYRBAND"
    granularity = "camera"
    flavors = ("science",)
    arms = ("r",)
    units = "AB mag/arcsec²"
    description = "Sky surface brightness in the r band, lines included (r cameras)."

    def compute(self, products):
        _, lo, hi = BANDS["r"]
        return {self.key: _sky_mag_per_arcsec2(products, lo, hi)}


@register
class PeakCount(Metric):
    name = "peakcount"
    key = "PEAKCOUNT"
    granularity = "camera"
    flavors = ("science",)
    units = "e-/s"
    description = "Integrated flux of the bright sky lines per second, median over sky fibers."

    def compute(self, products):
        sky_fibers = products.fibers_of_type("SKY")
        fluxes = products.line_fits.flux[sky_fibers]
        total = np.nansum(fluxes, axis=1) / products.info.exptime
        total[~np.isfinite(fluxes).any(axis=1)] = np.nan
        return {self.key: float(nanmedian(total)), "PEAKCOUNT_FIB": total.tolist()}


@register
class SkyResid(Metric):
    name = "skyresid"
    key = "SKYRESID"
    granularity = "camera"
    flavors = ("science",)
    units = "% of sky"
    description = (
        "Median residual of the sky fibers after sky subtraction, in percent of the sky; "
        "also the number of sky fibers failing the χ² test."
    )

    def compute(self, products):
        sky = products.sky
        fibers = sky.sky_fibers
        with np.errstate(all="ignore"):
            level = nanmedian(sky.sky[fibers], axis=1)
            resid = 100 * nanmedian(sky.residual[fibers], axis=1) / level
        return {
            self.key: float(nanmedian(resid)),
            "SKYRESID_FIB": resid.tolist(),
            "SKY_FIBERS": fibers.tolist(),
            "SKY_CHI2": sky.chi2.tolist(),
            "NBAD_SKYFIBERS": int(sky.rejected.sum()),
        }
