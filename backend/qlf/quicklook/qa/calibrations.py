"""CHECK_FIBERFLAT and CHECK_ARC metrics: the lamp exposures against the calibration."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from qlf.quicklook.qa.registry import REASON, Metric, register
from qlf.quicklook.stats import nanmean, nanmedian
from qlf.quicklook.steps.spectra import relative_fiberflat, resample

__all__ = ["CheckArc", "CheckFlat", "CheckPsf", "wsigma_legendre"]


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

    def plot(self, qa):
        from qlf.quicklook.plots.common import described
        from qlf.quicklook.plots.defaults import BANDS_HOW, fiber_figure

        fig = fiber_figure(
            qa, qa.aux("FLAT_RATIO_FIB", []), ref=qa.ref_of(0), name="FLAT_RATIO_FIB",
            y_label="fiber flat / calibration",
        )  # fmt: skip
        return described(
            "Each fiber's flat divided by the calibration fiber flat (normalised by the median).",
            fig,
            how="A fiber off 1 transmits differently than when calibrated (a bad positioner, "
            "a dirty or broken fiber). " + BANDS_HOW,
        )


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

    def plot(self, qa):
        from bokeh.models import ColumnDataSource

        from qlf.quicklook.plots.common import as_floats, described, hover, new_figure
        from qlf.quicklook.plots.defaults import camera_figure, fiber_figure

        nlines = len(qa.aux("LINE_WAVELENGTHS", []))
        per_fiber = fiber_figure(
            qa, qa.aux("NLINES_FIB", []), y_label="arc lines fitted", name="NLINES_FIB",
            good=[n >= max(1, nlines / 2) for n in qa.aux("NLINES_FIB", [])],
        )  # fmt: skip
        source = ColumnDataSource(
            {
                "wavelength": as_floats(qa.aux("LINE_WAVELENGTHS", [])),
                "wsigma": as_floats(qa.aux("WSIGMA_LINE", [])),
            },
            name="WSIGMA_LINE",
        )
        lines = new_figure(qa, x_label="wavelength (Å)", y_label="σ along dispersion (px)")
        dots = lines.scatter(x="wavelength", y="wsigma", size=9, source=source)
        hover(lines, [dots], [("line", "@wavelength Å"), ("σ", "@wsigma{0.000} px")])
        return described(
            f"{qa.value} fibers with a good arc fit: arc lines fitted per fiber (of {nlines}), "
            "and each line's median width.",
            camera_figure(qa, ["good fibers"]),
            per_fiber,
            lines,
            how="Red fibers fitted fewer than half of the lines; a line much wider than the "
            "others is blended or out of focus.",
        )


#: a fiber's PSF-width coefficient is an outlier beyond this many robust σ of all fibers' …
CHECKPSF_NSIGMA = 5.0
#: … and beyond this fraction of the median width (the fit noise of a nominal fiber is below)
CHECKPSF_MIN_FRACTION = 0.1
CHECKPSF_DEGREE = 2
#: fibers of the running median a fiber is compared with (a bundle)
CHECKPSF_WINDOW = 25
MIN_LINES_PER_FIBER = 4


def wsigma_legendre(wsigma: np.ndarray, wavelengths: np.ndarray, degree: int = CHECKPSF_DEGREE):
    """Per fiber, the Legendre coefficients (P0…P``degree``) of the along-dispersion σ against
    wavelength scaled to [−1, 1]; NaN rows for fibers with fewer than 4 fitted lines."""
    lo, hi = float(np.min(wavelengths)), float(np.max(wavelengths))
    u = 2 * (wavelengths - lo) / max(hi - lo, 1e-9) - 1
    design = np.polynomial.legendre.legvander(u, degree)  # (nline, ncoef)
    finite = np.isfinite(wsigma)
    weight = finite.astype(float)
    y = np.where(finite, wsigma, 0.0)
    normal = np.einsum("fl,lj,lk->fjk", weight, design, design)
    rhs = np.einsum("fl,lj->fj", weight * y, design)
    enough = finite.sum(axis=1) >= max(MIN_LINES_PER_FIBER, degree + 2)
    coeffs = np.full((wsigma.shape[0], degree + 1), np.nan)
    if enough.any():
        coeffs[enough] = np.linalg.solve(normal[enough], rhs[enough][..., None])[..., 0]
    return coeffs


@register
class CheckPsf(Metric):
    name = "checkpsf"
    key = "CHECKPSF"
    granularity = "camera"
    flavors = ("arc",)
    units = "fibers"
    description = (
        "Fibers whose PSF width along the dispersion is abnormal: per fiber, the arc lines' "
        "σ is fitted by a Legendre series P0 + P1·u + P2·u² in wavelength; the value counts, "
        "for each coefficient, the fibers more than 5 robust σ (and 10 % of the median width) "
        "from the running median of their 25 neighbours."
    )

    def compute(self, products):
        fits = products.line_fits
        if fits.wavelengths.size < MIN_LINES_PER_FIBER:
            return {
                self.key: None,
                REASON: f"{fits.wavelengths.size} arc lines in the {products.arm} arm: a PSF "
                f"width curve needs {MIN_LINES_PER_FIBER}",
            }
        coeffs = wsigma_legendre(fits.wsigma, fits.wavelengths)
        fitted = np.isfinite(coeffs).all(axis=1)
        if fitted.sum() < 3:
            return {self.key: None, REASON: "fewer than 3 fibers with a fitted PSF width curve"}
        median = nanmedian(coeffs[fitted], axis=0)
        # the PSF changes smoothly across the CCD (focus, field): each fiber is compared with
        # the running median of its neighbours (a bundle), so a broad region is not counted
        filled = np.where(fitted[:, None], coeffs, median)
        window = min(CHECKPSF_WINDOW, coeffs.shape[0]) | 1
        local = ndimage.median_filter(filled, size=(window, 1), mode="nearest")
        deviation = coeffs - local
        spread = 1.4826 * nanmedian(np.abs(deviation[fitted]), axis=0)
        limit = np.maximum(CHECKPSF_NSIGMA * spread, CHECKPSF_MIN_FRACTION * abs(median[0]))
        outlier = fitted[:, None] & (np.abs(deviation) > limit)
        return {
            self.key: outlier.sum(axis=0).astype(int).tolist(),
            "PSF_LEGENDRE_FIB": [
                [None if not np.isfinite(c) else float(c) for c in row] for row in coeffs
            ],
            "PSF_BAD_FIB": outlier.any(axis=1).astype(int).tolist(),
        }

    def plot(self, qa):
        from qlf.quicklook.plots.common import described
        from qlf.quicklook.plots.defaults import BANDS_HOW, camera_figure, fiber_figure

        coeffs = qa.aux("PSF_LEGENDRE_FIB", []) or []
        bad = qa.aux("PSF_BAD_FIB", []) or []
        p0 = [row[0] if row else None for row in coeffs]
        per_fiber = fiber_figure(
            qa, p0, good=[not b for b in bad], y_label="P0: mean σ along (px)",
            name="PSF_LEGENDRE_FIB",
        )  # fmt: skip
        return described(
            "Fibers with an abnormal PSF width along the dispersion, per Legendre coefficient "
            "(P0 mean width, P1 slope, P2 curvature with wavelength), and each fiber's P0.",
            camera_figure(qa, ["P0", "P1", "P2"]),
            per_fiber,
            how="Red fibers have a PSF width unlike the others (a defocused fiber, a "
            "contaminated line); many of them is a focus problem. " + BANDS_HOW,
        )
