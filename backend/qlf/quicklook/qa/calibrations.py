"""CHECK_FIBERFLAT and CHECK_ARC metrics: the lamp exposures against the calibration."""

from __future__ import annotations

import numpy as np

from qlf.quicklook.qa.registry import Metric, register
from qlf.quicklook.stats import nanmean, nanmedian
from qlf.quicklook.steps.spectra import relative_fiberflat, resample

__all__ = ["CheckArc", "CheckFlat"]


@register
class CheckFlat(Metric):
    name = "checkflat"
    key = "CHECKFLAT"
    granularity = "camera"
    flavors = ("flat",)
    units = ""
    description = (
        "Mean over fibers of the exposure's fiber flat divided by the calibration fiber flat "
        "(≈ 1 when every fiber transmits as calibrated)."
    )

    def compute(self, products):
        flux, _ = products.flux_per_angstrom
        flat, grid = relative_fiberflat(flux, products.wave)
        cal = products.calibration
        if cal.fiberflat is None:
            raise ValueError(f"{products.camera}: no fiber-flat calibration to compare with")
        reference = resample(
            cal.fiberflat, np.broadcast_to(cal.fiberflat_wave, cal.fiberflat.shape), grid
        )
        with np.errstate(all="ignore"):
            ratio = nanmedian(flat / reference, axis=1)
            ratio /= nanmedian(ratio)
        return {self.key: float(nanmean(ratio)), "FLAT_RATIO_FIB": ratio.tolist()}


@register
class CheckArc(Metric):
    name = "checkarc"
    key = "CHECKARC"
    granularity = "camera"
    flavors = ("arc",)
    units = "fibers"
    description = "Fibers in which at least half of the bright arc lines were fitted well."

    def compute(self, products):
        fits = products.line_fits
        nlines = fits.wavelengths.size
        fitted = np.isfinite(fits.dy) & np.isfinite(fits.wsigma)
        per_fiber = fitted.sum(axis=1)
        good = per_fiber >= max(1, nlines / 2)
        return {
            self.key: int(good.sum()),
            "NLINES_FIB": per_fiber.tolist(),
            "LINE_WAVELENGTHS": fits.wavelengths.tolist(),
            "WSIGMA_LINE": nanmedian(np.where(fitted, fits.wsigma, np.nan), axis=0).tolist()
            if fitted.any()
            else [None] * nlines,
        }
