"""CHECK_SPECTRA survey speed: the effective exposure time of a science exposure.

EFFTIME is the exposure time that would have given the same signal-to-noise on a faint
target in nominal dark conditions (DESI's survey-speed definition, in its background-limited
form: Schlafly et al. 2023, AJ 166, 259, "Survey Operations for the Dark Energy Spectroscopic
Instrument"; see docs/pipeline.md). For a faint source the S/N² per second is a²/b (a: the
electrons per second a nanomaggy delivers, b: the sky's), so

    EFFTIME = EXPTIME × (a / a₀)² / (b / b₀)

with a₀ and b₀ those of the nominal instrument (the built-in throughput) under the nominal
dark sky (:mod:`qlf.quicklook.skymodel`). a / a₀ is measured on the fibers: the camera's
throughput over the nominal one times 10^(−0.4 ΔM), ΔM the standard stars' median
spectroscopic − imaging magnitude (clouds, seeing and fiber losses, a throughput loss); b / b₀
on the sky model in SKYCONT's line-free windows, in detected electrons. A throughput loss η
multiplies a and b by η, so EFFTIME by η.
"""

from __future__ import annotations

import numpy as np

from qlf.quicklook.lines import BANDS, SKY_CONTINUUM_WINDOWS
from qlf.quicklook.qa.registry import REASON, Metric, register
from qlf.quicklook.qa.targets import STD_CLASS, target_photometry
from qlf.quicklook.skymodel import EFFTIME_PROGRAM, sky_window_electrons
from qlf.quicklook.stats import nanmedian
from qlf.quicklook.throughput import Throughput

__all__ = ["EffTime", "measured_sky_electrons", "signal_ratio"]


def measured_sky_electrons(products) -> float:
    """The sky model's continuum in the arm's line-free windows, e-/s/Å in one fiber."""
    sky = products.sky
    rates = []
    for lo, hi in SKY_CONTINUUM_WINDOWS[products.arm]:
        inside = (sky.grid >= lo) & (sky.grid <= hi)
        values = sky.spectrum[inside]
        values = values[np.isfinite(values)]
        if values.size:
            rates.append(float(np.mean(values)) / products.info.exptime)
    return float(np.mean(rates)) if rates else float("nan")


def signal_ratio(products) -> tuple[float, float]:
    """(a / a₀, ΔM): the signal of a faint target against the nominal instrument's, from the
    median spectroscopic − imaging magnitude ΔM of the standard stars (bright: their fluxes
    are precise, as DESI measures transparency on stars), of the targets without stars."""
    phot = products.memo("target_photometry", target_photometry)
    delta = np.asarray(phot["spec_mag"] - phot["mag"], dtype=float)
    finite = np.isfinite(delta)
    stars = finite & (phot["class"] == STD_CLASS)
    delta = delta[stars] if stars.any() else delta[finite]
    if not delta.size:
        return float("nan"), float("nan")
    _, lo, hi = BANDS[products.arm]
    grid = np.arange(lo, hi + 1.0, 1.0)
    camera = products.throughput.electrons_per_angstrom(grid, exptime=1.0)
    nominal = Throughput(products.arm).electrons_per_angstrom(grid, exptime=1.0)
    dm = float(nanmedian(delta))
    return float(np.sum(camera) / np.sum(nominal)) * 10 ** (-0.4 * dm), dm


@register
class EffTime(Metric):
    uses_throughput = True
    name = "efftime"
    key = "EFFTIME_RATIO"
    granularity = "camera"
    flavors = ("science",)
    units = "EFFTIME / EXPTIME"
    description = (
        "Effective exposure time over the exposure time: the time nominal dark conditions "
        "would need for the same S/N on a faint target, EXPTIME × (a/a₀)² / (b/b₀), a/a₀ the "
        "targets' signal (throughput and median spectro − imaging magnitude) and b/b₀ the sky "
        "continuum against the nominal instrument under the nominal dark sky."
    )

    def compute(self, products):
        exptime = products.info.exptime
        if not exptime > 0:
            return {self.key: None, REASON: f"EXPTIME is {exptime}: no effective time"}
        ratio_a, deltamag = signal_ratio(products)
        sky = measured_sky_electrons(products)
        nominal_sky = sky_window_electrons(products.arm, EFFTIME_PROGRAM)
        sky_ratio = sky / nominal_sky
        aux = {
            "SIGNAL_RATIO": _finite(ratio_a),
            "SKY_RATIO": _finite(sky_ratio),
            "EFFTIME_DELTAMAG": _finite(deltamag),
            "EXPTIME": exptime,
        }
        if not np.isfinite(ratio_a):
            why = "no target or standard star with both an imaging and a spectroscopic flux"
            return {self.key: None, "EFFTIME": None, **aux, REASON: f"EFFTIME: {why}"}
        if not (np.isfinite(sky_ratio) and sky_ratio > 0):
            why = f"the sky model has no positive continuum in the {products.arm} windows"
            return {self.key: None, "EFFTIME": None, **aux, REASON: f"EFFTIME: {why}"}
        value = ratio_a**2 / sky_ratio
        return {self.key: float(value), "EFFTIME": float(value * exptime), **aux}

    def plot(self, qa):
        from bokeh.models import ColumnDataSource, Span

        from qlf.quicklook.plots.common import REF_COLOR, as_floats, described, hover, new_figure
        from qlf.quicklook.plots.defaults import BANDS_HOW, camera_figure

        graded = camera_figure(qa, labels=["EFFTIME / EXPTIME"])
        signal, sky = qa.aux("SIGNAL_RATIO"), qa.aux("SKY_RATIO")
        labels = ["signal (a/a₀)²", "sky b₀/b", "EFFTIME / EXPTIME"]
        values = [
            None if signal is None else signal**2,
            None if not sky else 1.0 / sky,
            qa.value,
        ]
        factors = new_figure(qa, x_label="factor", y_label="× nominal dark", x_range=labels)
        source = ColumnDataSource({"x": labels, "value": as_floats(values)}, name="ingredients")
        dots = factors.scatter(x="x", y="value", size=14, color="#58a6ff", source=source)
        factors.add_layout(
            Span(location=1.0, dimension="width", line_dash="dashed", line_color=REF_COLOR)
        )
        hover(factors, [dots], [("factor", "@x"), ("value", "@value{0.000}")])
        seconds = qa.aux("EFFTIME")
        return described(
            "Effective exposure time over the exposure time (graded) and its two factors "
            "against nominal dark conditions (dashed line at 1)"
            + (f"; EFFTIME {seconds:.0f} s." if seconds is not None else "."),
            graded,
            factors,
            how="A low signal factor means light lost before the spectrograph (clouds, seeing, "
            "guiding, a throughput loss); a low sky factor a bright sky (moon, twilight). "
            + BANDS_HOW,
        )


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
