"""CHECK_FIBERS metrics (and XWSIGMA): trace shifts, PSF widths and the number of live fibers."""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from qlf.quicklook.qa.registry import REASON, Metric, register
from qlf.quicklook.stats import nanmedian

__all__ = ["NGoodFib", "XWSigma", "XWSigmaAmp", "XYShifts"]

MIN_FRACTION_OF_MEDIAN = 0.2


@register
class XYShifts(Metric):
    name = "xyshifts"
    key = "XYSHIFTS"
    granularity = "camera"
    flavors = ("flat", "arc", "science")
    units = "px"
    description = (
        "Median offset (dx across, dy along the dispersion) of the traces from the calibration "
        "PSF (DESI took the mean); dy needs lines, so flats report dx only."
    )

    def compute(self, products):
        dx = products.xshift.dx
        dy = None if products.info.flavor == "flat" else products.dy
        return {self.key: [dx, dy], "XSHIFT_FIB": products.xshift.dx_fiber.tolist()}

    def plot(self, qa):
        from qlf.quicklook.plots.common import described
        from qlf.quicklook.plots.defaults import BANDS_HOW, camera_figure, fiber_figure

        per_fiber = fiber_figure(
            qa, qa.aux("XSHIFT_FIB", []), ref=qa.ref_of(0), y_label="dx (px)", name="XSHIFT_FIB"
        )
        return described(
            "Trace shift across the dispersion (dx) of each fiber, and the camera's dx and dy.",
            camera_figure(qa, ["dx", "dy"]),
            per_fiber,
            how="A common offset moves every fiber; a slope across fibers is a rotation or a "
            "scale change. " + BANDS_HOW,
        )


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

    def plot(self, qa):
        from bokeh.layouts import row

        from qlf.quicklook.plots.common import described
        from qlf.quicklook.plots.defaults import BANDS_HOW, fiber_figure

        across = fiber_figure(
            qa, qa.aux("XSIGMA_FIB", []), ref=qa.ref_of(0), y_label="σ across (px)",
            name="XSIGMA_FIB",
        )  # fmt: skip
        along = fiber_figure(
            qa, qa.aux("WSIGMA_FIB", []), ref=qa.ref_of(1), y_label="σ along (px)",
            name="WSIGMA_FIB", x_range=across.x_range,
        )  # fmt: skip
        return described(
            "PSF width across (x) and along (w) the dispersion of each fiber, median over its "
            "bright lines, fiber index running across the CCD.",
            row(across, along, sizing_mode="stretch_width"),
            how="A focus problem widens one side of the CCD or one direction. " + BANDS_HOW,
        )


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

    def plot(self, qa):
        from qlf.quicklook.plots.common import described
        from qlf.quicklook.plots.defaults import camera_figure, fiber_figure, focal_plane_figure

        good = qa.aux("GOOD_FIBERS", [])
        snr = fiber_figure(
            qa, qa.aux("FIBER_SNR", []), good=good, y_label="integrated S/N", name="FIBER_SNR",
            extra={"good": list(good)},
        )  # fmt: skip
        children = [camera_figure(qa, ["good fibers"]), snr]
        if qa.fibers and "TARGET_RA" in qa.fibers:
            children.insert(1, focal_plane_figure(qa, good))
        return described(
            f"{qa.value} good fibers: integrated S/N of each fiber and, with a "
            "fibermap, the fibers on the sky.",
            *children,
            how="Green fibers are good, red ones are dead, blocked or too faint (S/N ≤ 5 or "
            "below a fifth of the median fiber).",
        )


def _crosstalk_matrix(products, half_width: float = 3.5) -> np.ndarray:
    """M[i, j]: fraction of fiber j's light inside fiber i's boxcar window (mid-CCD geometry)."""
    x = products.extraction.x
    mid = x.shape[1] // 2
    centres = x[:, mid]
    sigma = products.psf.xsigma if products.psf.xsigma is not None else np.full(len(centres), 1.05)
    distance = centres[:, None] - centres[None, :]
    s = sigma[None, :]
    return ndtr((distance + half_width) / s) - ndtr((distance - half_width) / s)


def _amp_of_fits(products) -> np.ndarray:
    """Index (into the amps) of the amp holding each line fit, (nfiber, nline); −1 outside."""
    waves = products.line_fits.wavelengths
    traces = products.shifted_psf
    y, x = traces.y(waves), traces.x(waves)
    owner = np.full(y.shape, -1)
    for i, (rows, cols) in enumerate(products.preproc.amp_regions):
        inside = (y >= rows.start) & (y < rows.stop) & (x >= cols.start) & (x < cols.stop)
        owner[inside] = i
    return owner


@register
class XWSigmaAmp(Metric):
    name = "xwsigma_amp"
    key = "XWSIGMA_AMP"
    granularity = "amp"
    flavors = ("arc", "science")
    units = "px"
    description = (
        "XWSIGMA per amplifier: median Gaussian σ across (X_A…) and along (W_A…) the "
        "dispersion of the bright-line fits that fall on each amplifier."
    )

    def compute(self, products):
        fits = products.line_fits
        owner = _amp_of_fits(products)
        values, counts = {}, {}
        for i, amp in enumerate(products.preproc.amp_names):
            mine = owner == i
            for axis, sigma in (("X", fits.xsigma), ("W", fits.wsigma)):
                finite = sigma[mine & np.isfinite(sigma)]
                values[f"{axis}_{amp}"] = float(np.median(finite)) if finite.size else None
                counts[f"{axis}_{amp}"] = int(finite.size)
        result = {self.key: values, "XWSIGMA_AMP_NFITS": counts}
        if all(v is None for v in values.values()):
            result[REASON] = f"no bright line could be fitted on any amplifier of {products.camera}"
        return result

    def plot(self, qa):
        from qlf.quicklook.plots.common import described
        from qlf.quicklook.plots.defaults import BANDS_HOW, element_figure

        value = qa.value or {}
        labels = list(value)
        statuses = qa.element_statuses()
        refs = [qa.ref_of(label) for label in labels]
        fig = element_figure(
            qa, labels, [value[k] for k in labels],
            [statuses.get(k, "UNKNOWN") if isinstance(statuses, dict) else "UNKNOWN"
             for k in labels],
            x_label="direction_amplifier", refs=refs, element="amp",
        )  # fmt: skip
        counts = qa.aux("XWSIGMA_AMP_NFITS", {}) or {}
        return described(
            "PSF width across (X) and along (W) the dispersion on each amplifier, median of the "
            f"line fits on it ({sum(counts.values()) // 2} fits).",
            fig,
            how="One amplifier wider than the others is a local focus or tilt problem of the "
            "CCD. " + BANDS_HOW,
        )
