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
