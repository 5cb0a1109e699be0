"""Trace positions measured against the calibration PSF: the XYSHIFTS and XWSIGMA inputs.

dx comes from flux-weighted centroids of the cross-dispersion profile on row-binned images;
dy, the along-dispersion σ and the cross-dispersion σ come from Gaussian fits of bright
isolated lines (arc lamps or night-sky lines) at their predicted positions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import erf

from qlf.quicklook.psf import TraceSet
from qlf.quicklook.stats import nanmedian
from qlf.quicklook.steps.extract import Extraction
from qlf.quicklook.steps.linefit import fit_gaussians

__all__ = ["LineFits", "XShift", "fit_lines", "measure_xshift"]


@dataclass
class XShift:
    """Cross-dispersion offset of the traces (measured − calibration), columns."""

    dx: float
    dx_fiber: np.ndarray  # (nfiber,), NaN for fibers without signal
    nsamples: int


def measure_xshift(
    image: np.ndarray,
    x_pred: np.ndarray,
    *,
    row_bin: int = 16,
    max_bins: int = 64,
    half_window: int = 3,
    min_flux: float = 200.0,
    iterations: int = 3,
) -> XShift:
    """Median offset of the fibers' centroids from their predicted columns.

    Parameters
    ----------
    image : ndarray (nrow, ncol)
        Preprocessed image, electrons.
    x_pred : ndarray (nfiber, nrow)
        Calibration trace centres.
    row_bin : int
        Rows summed before centroiding (noise and speed).
    max_bins : int
        Row bins used, spread evenly over the CCD.
    min_flux : float
        Minimum electrons in a binned window for its centroid to count.
    """
    nrow, ncol = image.shape
    # a few dozen bins spread over the CCD measure a global shift as well as all of them
    nbin = max(1, min(max_bins, nrow // row_bin))
    starts = np.linspace(0, nrow - row_bin, nbin).astype(np.int64)[:, None] + np.arange(row_bin)
    binned = image[starts].sum(axis=1)  # (nbin, ncol)
    xb = x_pred[:, starts].mean(axis=2)  # (nfiber, nbin)
    offsets = np.arange(-half_window, half_window + 1)
    dx = 0.0
    dx_sample = np.full(xb.shape, np.nan)
    for _ in range(iterations):
        centre = np.rint(xb + dx)
        ok = np.isfinite(centre) & (centre - half_window >= 0) & (centre + half_window < ncol)
        cols = np.where(ok, centre, half_window).astype(np.int64)[..., None] + offsets
        rows = np.arange(nbin)[None, :, None]
        pixels = binned[rows, cols]
        total = pixels.sum(axis=2)
        good = ok & (total > min_flux)
        with np.errstate(invalid="ignore", divide="ignore"):
            centroid = (pixels * cols).sum(axis=2) / total
        dx_sample = np.where(good, centroid - xb, np.nan)
        if not good.any():
            return XShift(dx=float("nan"), dx_fiber=np.full(x_pred.shape[0], np.nan), nsamples=0)
        dx = float(nanmedian(dx_sample))
    with np.errstate(all="ignore"):
        counts = np.isfinite(dx_sample).sum(axis=1)
        dx_fiber = np.where(
            counts > 0, nanmedian(np.where(counts[:, None] > 0, dx_sample, 0), axis=1), np.nan
        )
    return XShift(dx=dx, dx_fiber=dx_fiber, nsamples=int(np.isfinite(dx_sample).sum()))


@dataclass
class LineFits:
    """Gaussian fits of bright lines in every fiber.

    Arrays are (nfiber, nline); NaN where a fit failed or the line was too faint.
    """

    wavelengths: np.ndarray  # (nline,)
    dy: np.ndarray  # measured − predicted row
    wsigma: np.ndarray  # along dispersion, rows
    xsigma: np.ndarray  # across dispersion, columns
    flux: np.ndarray  # integrated line flux, electrons
    snr: np.ndarray

    def median_dy(self) -> float:
        return _nanmedian(self.dy)

    def median_wsigma(self) -> float:
        return _nanmedian(self.wsigma)

    def median_xsigma(self) -> float:
        return _nanmedian(self.xsigma)


def _integrated_gaussian(x: np.ndarray, mu: np.ndarray, sigma) -> np.ndarray:
    """Fraction of a unit Gaussian (μ, σ) falling in the pixel centred on ``x``."""
    scale = np.sqrt(2.0) * sigma
    return 0.5 * (erf((x + 0.5 - mu) / scale) - erf((x - 0.5 - mu) / scale))


def _remove_slope(cutouts: np.ndarray, edge: int = 2) -> np.ndarray:
    """Subtract from each cutout the straight line through the means of its two ends.

    Under a weak line on a bright, sloping continuum (bright-time sky) a constant background
    would pull the fitted centre towards the brighter side.
    """
    n = cutouts.shape[1]
    left = cutouts[:, :edge].mean(axis=1)
    right = cutouts[:, -edge:].mean(axis=1)
    t = (np.arange(n) - (edge - 1) / 2) / (n - edge)
    baseline = left[:, None] + (right - left)[:, None] * t[None, :]
    return cutouts - baseline + np.minimum(left, right)[:, None]


def _nanmedian(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else float("nan")


def fit_lines(
    image: np.ndarray,
    extraction: Extraction,
    traces: TraceSet,
    wavelengths: np.ndarray,
    *,
    half_window: int = 6,
    min_snr: float = 10.0,
) -> LineFits:
    """Fit each line in each fiber along the rows (extracted flux) and across the columns.

    ``traces`` are the calibration traces already moved by the measured dx; the predicted row of
    a line is y(λ) of those traces.
    """
    nfiber, nrow = extraction.flux.shape
    ncol = image.shape[1]
    nline = len(wavelengths)
    shape = (nfiber, nline)
    out = {k: np.full(shape, np.nan) for k in ("dy", "wsigma", "xsigma", "flux", "snr")}
    if nline == 0:
        return LineFits(np.asarray(wavelengths, float), **out)
    y_pred = traces.y(wavelengths)  # (nfiber, nline)
    x_line = traces.x(wavelengths)
    centre = np.rint(y_pred).astype(np.int64)
    inside = (centre - half_window >= 0) & (centre + half_window < nrow)
    fiber_idx, line_idx = np.nonzero(inside)
    if fiber_idx.size == 0:
        return LineFits(np.asarray(wavelengths, float), **out)
    offsets = np.arange(-half_window, half_window + 1)
    rows = centre[fiber_idx, line_idx][:, None] + offsets
    cut = extraction.flux[fiber_idx[:, None], rows]
    var = extraction.variance[fiber_idx[:, None], rows]
    usable = np.isfinite(cut).all(axis=1) & ~extraction.masked[fiber_idx[:, None], rows].any(axis=1)
    cut = _remove_slope(np.nan_to_num(cut))
    var = np.nan_to_num(var, nan=1.0)
    along = fit_gaussians(cut, variance=np.maximum(var, 1.0))
    noise = np.sqrt(np.maximum(var, 1.0).sum(axis=1))
    snr = along.amplitude / noise
    good = usable & (snr > min_snr) & (along.sigma < half_window)
    dy = along.center - half_window + centre[fiber_idx, line_idx] - y_pred[fiber_idx, line_idx]
    out["dy"][fiber_idx, line_idx] = np.where(good, dy, np.nan)
    out["wsigma"][fiber_idx, line_idx] = np.where(good, along.sigma, np.nan)
    out["flux"][fiber_idx, line_idx] = np.where(usable, along.amplitude, np.nan)
    out["snr"][fiber_idx, line_idx] = np.where(usable, snr, np.nan)
    # across the dispersion: sum three rows around the line, minus the continuum beside it
    line_row = np.rint(y_pred[fiber_idx, line_idx] + np.nan_to_num(dy)).astype(np.int64)
    xc = np.rint(x_line[fiber_idx, line_idx]).astype(np.int64)
    # ±3 columns: the neighbouring fibers (7.25 px away) stay out of the window even for a
    # broad PSF; the continuum is removed, so the background is held at zero
    xoff = np.arange(-3, 4)
    ok = good & (line_row - 8 >= 0) & (line_row + 8 < nrow) & (xc - 3 >= 0) & (xc + 3 < ncol)
    if ok.any():
        f, r, c = fiber_idx[ok], line_row[ok], xc[ok]
        cols = c[:, None] + xoff
        peak = sum(image[(r + k)[:, None], cols] for k in (-1, 0, 1))
        side = sum(image[(r + k)[:, None], cols] for k in (-8, -7, -6, 6, 7, 8)) / 2.0
        profile = peak - side
        across = fit_gaussians(profile, variance=np.maximum(peak + side, 1.0), fit_background=False)
        # second pass without the wings of the two neighbouring fibers' lines, modelled from
        # the first pass (their own amplitudes and widths, the median width where a fit
        # failed), which a broad PSF spreads into the window; a PSF broader on one part of
        # the CCD than elsewhere needs each neighbour's own width
        amplitude = np.full((nfiber, nline), np.nan)
        amplitude[f, line_idx[ok]] = across.amplitude
        width = np.full((nfiber, nline), _nanmedian(across.sigma))
        first = np.isfinite(across.sigma) & (across.sigma > 0.3) & (across.sigma < 4)
        width[f[first], line_idx[ok][first]] = across.sigma[first]
        for neighbour in (f - 1, f + 1):
            inside = (neighbour >= 0) & (neighbour < nfiber)
            nb = np.clip(neighbour, 0, nfiber - 1)
            nb_amp = np.where(inside, amplitude[nb, line_idx[ok]], 0.0)
            nb_x = x_line[nb, line_idx[ok]] - c
            nb_sigma = width[nb, line_idx[ok]][:, None]
            wing = _integrated_gaussian(xoff[None, :], nb_x[:, None], nb_sigma) * nb_amp[:, None]
            profile = profile - np.nan_to_num(wing)
        across = fit_gaussians(profile, variance=np.maximum(peak + side, 1.0), fit_background=False)
        sel = np.isfinite(across.sigma) & (across.sigma < 4)
        out["xsigma"][f[sel], line_idx[ok][sel]] = across.sigma[sel]
    return LineFits(np.asarray(wavelengths, float), **out)
