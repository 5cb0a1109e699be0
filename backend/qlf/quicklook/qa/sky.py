"""CHECK_SPECTRA sky metrics: continuum, line fluxes, residuals and the r-band sky brightness."""

from __future__ import annotations

import numpy as np

from qlf.quicklook.lines import BANDS, SKY_CONTINUUM_WINDOWS
from qlf.quicklook.qa.registry import Metric, register
from qlf.quicklook.stats import nanmean, nanmedian
from qlf.quicklook.throughput import nanomaggies_to_mag

__all__ = ["PeakCount", "SkyCont", "SkyRBand", "SkyResid"]


def _sky_mag_per_arcsec2(products, lo: float, hi: float) -> float:
    """Surface brightness (AB mag/arcsec²) of the sky model between ``lo`` and ``hi`` Å."""
    sky = products.sky
    inside = (sky.grid >= lo) & (sky.grid <= hi)
    model = products.throughput
    per_nmgy = model.electrons_per_angstrom(sky.grid[inside], exptime=products.info.exptime)
    fnu = nanmean(sky.spectrum[inside] / per_nmgy)
    return float(nanomaggies_to_mag(fnu / model.fiber_area_arcsec2))


@register
class SkyCont(Metric):
    uses_throughput = True
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
        return {
            self.key: float(nanomaggies_to_mag(flux)),
            "SKYCONT_WINDOWS": per_window,
            "SKYCONT_WAVE": [list(w) for w in windows],
        }

    def plot(self, qa):
        from qlf.quicklook.plots.common import PlotInput, described
        from qlf.quicklook.plots.defaults import BANDS_HOW, element_figure

        windows = qa.aux("SKYCONT_WINDOWS", [])
        edges = qa.aux("SKYCONT_WAVE") or [None] * len(windows)
        labels = [f"{e[0]:.0f}–{e[1]:.0f} Å" if e else f"window {i}" for i, e in enumerate(edges)]
        labels.append("mean")
        values = [*windows, qa.value]
        grading = PlotInput(qa.key, qa.camera, {qa.key: values}, qa.params)
        fig = element_figure(
            qa, labels, values, grading.element_statuses(), x_label="continuum window",
            refs=[qa.ref_of(0)] * len(values), element="window",
        )  # fmt: skip
        fig.y_range.flipped = True  # magnitudes: brighter sky up
        return described(
            "Sky continuum surface brightness in each line-free window of the arm and their "
            "mean (the graded value), AB mag/arcsec²; brighter sky is up.",
            fig,
            how="Moon, twilight or clouds lit by city light brighten it. " + BANDS_HOW,
        )


@register
class SkyRBand(Metric):
    uses_throughput = True
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
        return {
            self.key: float(nanmedian(total)),
            "PEAKCOUNT_FIB": total.tolist(),
            "PEAKCOUNT_FIBERS": sky_fibers.tolist(),
        }

    def plot(self, qa):
        from qlf.quicklook.plots.common import described
        from qlf.quicklook.plots.defaults import BANDS_HOW, fiber_figure

        values = qa.aux("PEAKCOUNT_FIB", [])
        fig = fiber_figure(
            qa, values, fibers=qa.aux("PEAKCOUNT_FIBERS") or qa.aux("SKY_FIBERS"),
            ref=qa.ref_of(0), name="PEAKCOUNT_FIB", y_label="sky-line flux (e-/s)",
        )  # fmt: skip
        return described(
            "Integrated flux of the bright sky lines per second in each sky fiber; the metric "
            "is their median.",
            fig,
            how="A single low fiber is vignetted or badly placed; all low is cloud. " + BANDS_HOW,
        )


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

    def plot(self, qa):
        from qlf.quicklook.plots.common import described
        from qlf.quicklook.plots.defaults import BANDS_HOW, fiber_figure

        fibers = qa.aux("SKY_FIBERS", [])
        chi2 = qa.aux("SKY_CHI2", [])
        fig = fiber_figure(
            qa, qa.aux("SKYRESID_FIB", []), fibers=fibers, ref=qa.ref_of(0),
            name="SKYRESID_FIB", y_label="median residual (% of sky)",
            extra={"chi2": [None if c is None else float(c) for c in chi2][: len(fibers)]},
        )  # fmt: skip
        return described(
            "Median residual of each sky fiber after sky subtraction, in percent of the sky "
            f"({qa.aux('NBAD_SKYFIBERS', 0)} sky fibers failed the χ² test).",
            fig,
            how="Residuals scattered around 0 mean a good sky model; one fiber off is a "
            "contaminated sky fiber. " + BANDS_HOW,
        )
