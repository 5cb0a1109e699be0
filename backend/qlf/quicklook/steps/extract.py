"""Boxcar extraction along the traces: for every fiber and row, the flux within ±3.5 px.

Edge pixels count by the fraction of them inside the window, so the extracted flux varies
smoothly as a trace crosses pixel boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Extraction", "extract_boxcar"]

#: Rows extracted together: the block's work arrays (≈ 0.5 MB for 500 fibers) stay in cache.
_BLOCK_ROWS = 128


@dataclass
class Extraction:
    """Extracted spectra, one row of the image per sample.

    Attributes
    ----------
    flux : ndarray (nfiber, nrow) float32
        Electrons per row; NaN where the trace leaves the image.
    variance : ndarray (nfiber, nrow) float32
        Poisson + read-noise variance of ``flux``.
    masked : ndarray (nfiber, nrow) bool
        A masked pixel (cosmic, saturated) fell in the window.
    x : ndarray (nfiber, nrow)
        Trace centre used, column.
    """

    flux: np.ndarray
    variance: np.ndarray
    masked: np.ndarray
    x: np.ndarray

    @property
    def nfiber(self) -> int:
        return self.flux.shape[0]


def extract_boxcar(
    image: np.ndarray,
    x: np.ndarray,
    *,
    bad_pixels: np.ndarray | None = None,
    readnoise: np.ndarray | float = 3.0,
    half_width: float = 3.5,
) -> Extraction:
    """Extract every fiber along its trace.

    Parameters
    ----------
    image : ndarray (nrow, ncol)
        Preprocessed image, electrons.
    x : ndarray (nfiber, nrow)
        Trace centre of each fiber at each row, columns (NaN: not on the image).
    bad_pixels : ndarray of int, optional
        Flat indices into ``image`` of bad pixels (cosmics, saturation).
    readnoise : float or ndarray (nrow, ncol)
        Read noise, electrons (an image: the value at each window's first pixel is used).
    half_width : float
        Half the full boxcar width (7 px → 3.5).

    Notes
    -----
    The window [c − w, c + w] covers a fraction ``f`` of its first pixel, whole pixels, and
    ``1 − f`` of its last one when 2w is an integer: the flux is ``2w + 1`` gathers per sample,
    accumulated in place. Rows go in blocks whose work arrays stay in the CPU cache, in (row,
    fiber) order (the samples of one row are close together in the image).
    """
    nrow, ncol = image.shape
    width = 2 * half_width
    nfull = round(width) - 1  # whole pixels strictly inside the window
    if abs(width - round(width)) > 1e-9 or nfull < 0:
        raise ValueError(f"boxcar full width {width} must be a whole number of pixels")
    nfiber = x.shape[0]
    flux = np.empty((nfiber, nrow), dtype=np.float32)
    variance = np.empty((nfiber, nrow), dtype=np.float32)
    masked = np.zeros((nfiber, nrow), dtype=bool)
    pixels = image.ravel()
    rn_image = None if np.isscalar(readnoise) else np.asarray(readnoise, np.float32).ravel()
    bad_rows = bad_cols = np.zeros(0, dtype=np.int64)
    if bad_pixels is not None and bad_pixels.size:
        bad_rows, bad_cols = np.divmod(np.asarray(bad_pixels, dtype=np.int64), ncol)  # sorted
    # work buffers reused for every block
    sample_flux = np.empty((_BLOCK_ROWS, nfiber), dtype=np.float32)
    sample_var = np.empty((_BLOCK_ROWS, nfiber), dtype=np.float32)
    gathered = np.empty((_BLOCK_ROWS, nfiber), dtype=np.float32)
    index = np.empty((_BLOCK_ROWS, nfiber), dtype=np.int64)
    for r0 in range(0, nrow, _BLOCK_ROWS):
        r1 = min(r0 + _BLOCK_ROWS, nrow)
        n = r1 - r0
        xt = x[:, r0:r1].T
        valid = np.isfinite(xt) & (xt - half_width >= -0.5) & (xt + half_width <= ncol - 0.5)
        lo = np.where(valid, xt, half_width) - half_width
        first = np.floor(lo + 0.5).astype(np.int64)  # pixel holding the window's left edge
        frac = (first + 0.5 - lo).astype(np.float32)  # its share inside the window
        np.minimum(first, ncol - nfull - 2, out=first)
        i_first = first + (np.arange(r0, r1, dtype=np.int64) * ncol)[:, None]  # flat indices
        f, v, pix, idx = sample_flux[:n], sample_var[:n], gathered[:n], index[:n]
        np.multiply(frac, pixels[i_first], out=f)
        for k in range(1, nfull + 2):
            np.add(i_first, k, out=idx)
            np.take(pixels, idx, out=pix)
            if k == nfull + 1:
                pix *= 1 - frac
            f += pix
        # variance from the extracted flux (Poisson) plus the read noise of the weighted
        # pixels: unlike a sum over noisy pixels it is not biased up where the signal is faint
        weight2 = frac**2 + nfull + (1 - frac) ** 2
        if rn_image is None:
            rn2 = np.float32(readnoise) ** 2 * weight2
        else:
            rn2 = rn_image[i_first] ** 2 * weight2
        np.maximum(f, 0, out=v)
        v += rn2
        invalid = ~valid
        f[invalid] = np.nan
        v[invalid] = np.nan
        flux[:, r0:r1] = f.T
        variance[:, r0:r1] = v.T
        b0, b1 = np.searchsorted(bad_rows, [r0, r1])
        if b1 > b0:
            hit = _masked_samples(
                bad_rows[b0:b1] - r0, bad_cols[b0:b1], first, first + nfull + 1, frac
            )
            hit[invalid] = False
            masked[:, r0:r1] = hit.T
    return Extraction(flux=flux, variance=variance, masked=masked, x=x)


def _masked_samples(
    rows: np.ndarray, cols: np.ndarray, first: np.ndarray, last: np.ndarray, frac: np.ndarray
) -> np.ndarray:
    """Samples (row, fiber) whose window holds a masked pixel with a positive weight.

    Bad pixels are few (cosmics, saturation). The windows of a row are ordered like the
    fibers, so row-major window starts, offset by row, form one sorted key: a binary search
    finds the window each bad pixel may fall in. ``first``, ``last``, ``frac``: (nrow, nfiber).
    """
    nrow, nfiber = first.shape
    masked = np.zeros(first.shape, dtype=bool)
    # the last pixel counts only when its weight 1 − frac is positive
    stop = np.where(frac < 1.0, last + 1, last)
    span = 4 * (
        int(cols.max()) + int(first.max()) + 2
    )  # beyond any column: keys of different rows never mix
    keys = (np.maximum.accumulate(first, axis=1) + np.arange(nrow)[:, None] * span).ravel()
    for shift in (1, 2):  # the window starting just before the pixel, and the one before it
        pos = np.searchsorted(keys, rows.astype(np.int64) * span + cols, side="right") - shift
        fiber = pos - rows * nfiber
        ok = (fiber >= 0) & (fiber < nfiber)
        r, f, c = rows[ok], fiber[ok], cols[ok]
        inside = (c >= first[r, f]) & (c < stop[r, f])
        masked[r[inside], f[inside]] = True
    return masked
