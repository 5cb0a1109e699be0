"""CHECK_FIBERS metrics (and XWSIGMA): trace shifts, PSF widths and the number of live fibers."""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from qlf.quicklook.qa.registry import Metric, register
from qlf.quicklook.stats import nanmedian

__all__ = ["NGoodFib", "XWSigma", "XYShifts"]

MIN_FRACTION_OF_MEDIAN = 0.2


@register
class XYShifts(Metric):
    name = "xyshifts"
    key = "XYSHIFTS"
    granularity = "camera"
    flavors = ("flat", "arc", "science")
    units = "px"
    description = (
        "Mean offset (dx across, dy along the dispersion) of the traces from the calibration "
        "PSF; dy needs lines, so flats report dx only."
    )

    def compute(self, products):
        dx = products.xshift.dx
        dy = None if products.info.flavor == "flat" else products.dy
        return {self.key: [dx, dy], "XSHIFT_FIB": products.xshift.dx_fiber.tolist()}


@register
class XWSigma(Metric):
    name = "xwsigma"
    key = "XWSIGMA"
    granularity = "camera"
    flavors = ("arc", "science")
    units = "px"
    description = "Median Gaussian σ of bright lines across (x) and along (w) the dispersion."

    def compute(self, products):
        fits = products.line_fits
        with np.errstate(all="ignore"):
            x_fib = nanmedian(fits.xsigma, axis=1)
            w_fib = nanmedian(fits.wsigma, axis=1)
        return {
            self.key: [fits.median_xsigma(), fits.median_wsigma()],
            "XSIGMA_FIB": x_fib.tolist(),
            "WSIGMA_FIB": w_fib.tolist(),
            "LINE_WAVELENGTHS": fits.wavelengths.tolist(),
        }


@register
class NGoodFib(Metric):
    name = "ngoodfib"
    key = "NGOODFIB"
    granularity = "camera"
    flavors = ("flat", "arc", "science")
    units = "fibers"
    description = (
        "Fibers whose integrated flux, corrected for light spilled from their neighbours, "
        "exceeds 5 × its expected noise and a fifth of the median fiber's."
    )

    def compute(self, products):
        ext = products.extraction
        valid = np.isfinite(ext.flux)
        measured = np.where(valid, ext.flux, 0.0).sum(axis=1)
        noise = np.sqrt(np.where(valid, ext.variance, 0.0).sum(axis=1))
        own = _crosstalk_matrix(products)
        flux = np.linalg.solve(own, measured)
        snr = flux / np.maximum(noise, 1e-9)
        # light scattered from bright neighbours beyond the Gaussian core gives a dead fiber
        # a few per cent of a live one's flux: a live fiber also needs a fifth of the median
        good = (snr > 5.0) & (flux > MIN_FRACTION_OF_MEDIAN * np.median(flux))
        return {
            self.key: int(good.sum()),
            "GOOD_FIBERS": good.astype(int).tolist(),
            "FIBER_SNR": snr.tolist(),
        }


def _crosstalk_matrix(products, half_width: float = 3.5) -> np.ndarray:
    """M[i, j]: fraction of fiber j's light inside fiber i's boxcar window (mid-CCD geometry)."""
    x = products.extraction.x
    mid = x.shape[1] // 2
    centres = x[:, mid]
    sigma = products.psf.xsigma if products.psf.xsigma is not None else np.full(len(centres), 1.05)
    distance = centres[:, None] - centres[None, :]
    s = sigma[None, :]
    return ndtr((distance + half_width) / s) - ndtr((distance - half_width) / s)
