"""CHECK_SPECTRA target metrics: S/N at a fiducial magnitude and spectro − imaging magnitudes."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from qlf.quicklook.lines import BANDS
from qlf.quicklook.qa.registry import Metric, register
from qlf.quicklook.stats import nanmean, nanmedian
from qlf.quicklook.throughput import nanomaggies_to_mag

__all__ = ["DeltaMagTgt", "FidSnrTgt", "fit_snr_model", "fit_snr_response", "target_photometry"]

FIDUCIAL_MAG = 22.0
#: the class label of the standard stars (fibermap OBJTYPE STD), graded beside the targets
STD_CLASS = "STD"
#: fewer fibers than this in a class (or standard stars): the fit over all targets is used
MIN_FIT_FIBERS = 3
BAND_COLUMNS = ("normal_low", "normal_high", "warn_low", "warn_high")


def target_photometry(products) -> dict[str, np.ndarray]:
    """Per target and standard-star fiber: class (``STD`` for the standard stars), imaging flux
    and magnitude, spectro magnitude, median S/N per √Å.

    All in the camera's band (b → G, r → R, z → Z).
    """
    band, lo, hi = BANDS[products.arm]
    targets, stars = products.fibers_of_type("TGT"), products.fibers_of_type(STD_CLASS)
    fibers = np.concatenate([targets, stars])
    fmap = products.fibers[fibers]
    imaging = np.asarray(fmap[f"FLUX_{band}"], dtype=float)
    # only the rows where some target fiber sees the band
    wave = products.wave[fibers]
    in_rows = np.flatnonzero(((wave >= lo) & (wave <= hi)).any(axis=0))
    rows = slice(in_rows[0], in_rows[-1] + 1) if in_rows.size else slice(0, 0)
    wave = wave[:, rows]
    inband = (wave >= lo) & (wave <= hi)
    _, variance = products.flatfielded
    resid = products.sky.residual[fibers, rows]
    continuum = inband & ~_sky_line_rows(products, wave)
    with np.errstate(all="ignore"):
        fnu = nanmean(np.where(inband, products.fnu(fibers, rows), np.nan), axis=1)
        snr_row = resid / np.sqrt(variance[fibers, rows])
        # S/N grows as the square root of the bin width: per row → per √Å
        snr_row /= np.sqrt(products.dwave[fibers, rows])
        snr = nanmedian(np.where(continuum, snr_row, np.nan), axis=1)
    return {
        "fiber": fibers,
        "class": np.concatenate(
            [
                np.char.strip(np.asarray(fmap["TARGET_CLASS"][: targets.size]).astype(str)),
                np.full(stars.size, STD_CLASS),
            ]
        ),
        "flux": imaging,
        "mag": nanomaggies_to_mag(imaging),
        "spec_mag": nanomaggies_to_mag(fnu),
        "snr": snr,
    }


def _sky_line_rows(products, wave: np.ndarray) -> np.ndarray:
    """Rows whose wavelength falls on a sky line (sky model 20 % over its running median)."""
    sky = products.sky
    spectrum = np.nan_to_num(sky.spectrum)
    continuum = ndimage.median_filter(spectrum, size=31, mode="nearest")
    on_line = ndimage.binary_dilation(spectrum > 1.2 * continuum, iterations=2)
    return np.interp(wave, sky.grid, on_line.astype(float)) > 0


def fit_snr_model(x: np.ndarray, snr: np.ndarray, exptime: float) -> tuple[float, float] | None:
    """Fit SNR = t·a·x / √(t(a·x + b)) for (a, b).

    Squared and inverted the model is linear: x²/SNR² = x/(t·a) + b/(t·a²), solved by a
    least-squares line with 3σ clipping. Returns None with fewer than 3 usable points.
    """
    good = np.isfinite(x) & np.isfinite(snr) & (x > 0) & (snr > 0)
    for _ in range(3):
        if good.sum() < MIN_FIT_FIBERS:
            return None
        y = x[good] ** 2 / snr[good] ** 2
        slope, intercept = np.polyfit(x[good], y, 1)
        model = slope * x + intercept
        resid = x**2 / np.where(snr > 0, snr, np.nan) ** 2 - model
        scale = 1.4826 * nanmedian(np.abs(resid[good])) or np.inf
        keep = good & (np.abs(resid) < 3 * scale)
        if keep.sum() == good.sum():
            break
        good = keep
    if slope <= 0:
        return None
    a = 1.0 / (exptime * slope)
    b = intercept * exptime * a * a
    return float(a), float(max(b, 0.0))


def fit_snr_response(
    x: np.ndarray, snr: np.ndarray, exptime: float, overall: tuple[float, float] | None
) -> tuple[float, float] | None:
    """(a, b) for bright fibers (standard stars): b, the background of every fiber of the
    camera, from ``overall`` (the targets' fit); a, the median over the fibers of the response
    solving SNR² (a·x + b) = t·a²·x². None without ``overall`` or a usable fiber."""
    if overall is None:
        return None
    b = overall[1]
    good = np.isfinite(x) & np.isfinite(snr) & (x > 0) & (snr > 0)
    if not good.any():
        return None
    x, s2 = x[good], snr[good] ** 2
    a = (s2 * x + np.sqrt(s2**2 * x**2 + 4 * exptime * x**2 * s2 * b)) / (2 * exptime * x**2)
    return float(np.median(a)), float(b)


def snr_model(x, a: float, b: float, exptime: float):
    return exptime * a * x / np.sqrt(exptime * (a * x + b))


@register
class FidSnrTgt(Metric):
    name = "fidsnr"
    key = "FIDSNR_TGT"
    granularity = "class"
    flavors = ("science",)
    units = "S/N per √Å"
    description = (
        "Per target class and for the standard stars (STD), median S/N per √Å in the band at "
        "magnitude 22 from a fit of SNR = t·a·x / √(t(a·x + b)) over the class's fibers, "
        "x = 10^(−0.4(mag − 22.5)) (over all targets when the class, or the standard stars, "
        "count fewer than three fibers; for three or more bright standard stars, b is the "
        "targets' and a their median response)."
    )

    def compute(self, products):
        phot = products.memo("target_photometry", target_photometry)
        t = products.info.exptime
        x_fid = 10 ** (-0.4 * (FIDUCIAL_MAG - 22.5))
        targets = phot["class"] != STD_CLASS  # the fallback fit: targets only, as before
        overall = fit_snr_model(phot["flux"][targets], phot["snr"][targets], t)
        values, fits = {}, {"ALL": list(overall) if overall else None}
        for cls in sorted(set(phot["class"])):
            sel = phot["class"] == cls
            if cls == STD_CLASS and sel.sum() >= MIN_FIT_FIBERS:
                # bright stars alone cannot tell the background b: theirs is the targets'
                fit = fit_snr_response(phot["flux"][sel], phot["snr"][sel], t, overall)
            elif cls == STD_CLASS:
                # one or two stars (a small instrument's camera): one star's S/N read 0.5 x the
                # targets' on a nominal exposure; the instrument's scaling is the targets'
                fit = overall
            else:
                # a class with too few targets for its own fit takes the fit over all targets:
                # the S/N scaling is the instrument's, the class only shifts it slightly
                fit = fit_snr_model(phot["flux"][sel], phot["snr"][sel], t) or overall
            values[cls] = float(snr_model(x_fid, *fit, t)) if fit else None
            fits[cls] = list(fit) if fit else None
        return {
            self.key: values,
            "SNR_FIT": fits,
            "TGT_FIBER": phot["fiber"].tolist(),
            "TGT_CLASS": phot["class"].tolist(),
            "TGT_MAG": phot["mag"].tolist(),
            "TGT_SNR": phot["snr"].tolist(),
        }

    def plot(self, qa):
        from bokeh.models import ColumnDataSource

        from qlf.quicklook.plots.common import (
            BAND_COLORS,
            REF_COLOR,
            as_floats,
            described,
            hover,
            new_figure,
        )
        from qlf.quicklook.plots.defaults import class_colors

        mag, snr = as_floats(qa.aux("TGT_MAG", [])), as_floats(qa.aux("TGT_SNR", []))
        classes = [str(c) for c in qa.aux("TGT_CLASS", [])]
        colors = class_colors(classes)
        fig = new_figure(
            qa, x_label="imaging magnitude", y_label="median S/N per √Å", y_axis_type="log"
        )
        targets = ColumnDataSource(
            {"fiber": qa.aux("TGT_FIBER", []), "mag": mag, "snr": snr, "class": classes,
             "color": [colors[c] for c in classes]},
            name="targets",
        )  # fmt: skip
        dots = fig.scatter(x="mag", y="snr", size=7, color="color", source=targets, alpha=0.8)
        hover(fig, [dots], [("fiber", "@fiber"), ("class", "@class"), ("mag", "@mag{0.00}"),
                            ("S/N", "@snr{0.00}")])  # fmt: skip
        finite = mag[np.isfinite(mag)]
        grid = np.linspace(min(finite.min(), FIDUCIAL_MAG) - 0.2, finite.max() + 0.2, 60) \
            if finite.size else np.linspace(19, 24, 60)  # fmt: skip
        t = qa.exptime or 0.0
        fits = qa.aux("SNR_FIT", {}) or {}
        value = qa.value or {}
        for cls, fit in sorted(fits.items()):
            if not fit or not t:
                continue
            x = 10 ** (-0.4 * (grid - 22.5))
            curve = ColumnDataSource({"mag": grid, "snr": snr_model(x, *fit, t)}, name=f"fit_{cls}")
            fig.line(x="mag", y="snr", source=curve, color=colors.get(cls, "#555"),
                     line_dash="solid" if cls in value else "dotted", legend_label=cls)  # fmt: skip
        fiducial = {name: [] for name in ("class", "mag", "snr", "ref", *BAND_COLUMNS)}
        for cls, v in sorted(value.items()):
            ref = qa.ref_of(cls)
            fiducial["class"].append(cls)
            fiducial["mag"].append(FIDUCIAL_MAG)
            fiducial["snr"].append(np.nan if v is None else v)
            fiducial["ref"].append(np.nan if ref is None else ref)
            for name, rng in (("normal", qa.normal_range), ("warn", qa.warn_range)):
                bad = ref is None or rng is None
                fiducial[f"{name}_low"].append(np.nan if bad else ref + rng[0])
                fiducial[f"{name}_high"].append(np.nan if bad else ref + rng[1])
        # a log axis cannot draw a band reaching 0 or below (REF + the low end of a range):
        # start such a band at a floor under every value drawn, so it stays visible
        positive = [v for v in (*snr, *fiducial["snr"], *fiducial["ref"]) if v > 0]
        floor = 0.5 * min(positive) if positive else 1e-2
        for low in ("normal_low", "warn_low"):
            fiducial[low] = [v if np.isnan(v) else max(v, floor) for v in fiducial[low]]
        source = ColumnDataSource(fiducial, name="values")
        for name, band, width in (("warn", "WARNING", 14), ("normal", "NORMAL", 8)):
            fig.segment(x0="mag", x1="mag", y0=f"{name}_low", y1=f"{name}_high", source=source,
                        line_width=width, color=BAND_COLORS[band], alpha=0.9)  # fmt: skip
        stars = fig.scatter(x="mag", y="snr", marker="star", size=16, source=source,
                            color=REF_COLOR, line_color="#000")  # fmt: skip
        hover(fig, [stars], [("class", "@class"), ("S/N at 22", "@snr{0.00}"),
                             ("REF", "@ref{0.00}")])  # fmt: skip
        fig.legend.location = "top_right"
        return described(
            "S/N per √Å of each target against its imaging magnitude, with the fit "
            "SNR = t·a·x/√(t(a·x+b)) per class; stars are the graded S/N at magnitude 22.",
            fig,
            how="Points below their class's curve are faint for their magnitude (a bad "
            "positioner or a wrong target); the bars at magnitude 22 are the NORMAL (green) and "
            "WARNING (yellow) ranges around each class's reference.",
        )


@register
class DeltaMagTgt(Metric):
    uses_throughput = True
    name = "deltamag"
    key = "DELTAMAG_TGT"
    granularity = "class"
    flavors = ("science",)
    units = "mag"
    description = (
        "Per target class and for the standard stars (STD), mean of spectroscopic minus "
        "imaging magnitude in the band."
    )

    def compute(self, products):
        phot = products.memo("target_photometry", target_photometry)
        delta = phot["spec_mag"] - phot["mag"]
        values = {}
        for cls in sorted(set(phot["class"])):
            d = delta[(phot["class"] == cls) & np.isfinite(delta)]
            values[cls] = float(np.mean(d)) if d.size else None
        return {
            self.key: values,
            "TGT_DELTAMAG": delta.tolist(),
            "TGT_SPECMAG": phot["spec_mag"].tolist(),
        }

    def plot(self, qa):
        from bokeh.models import ColumnDataSource

        from qlf.quicklook.plots.common import as_floats, described, hover, new_figure
        from qlf.quicklook.plots.defaults import BANDS_HOW, class_colors, class_figure

        classes = [str(c) for c in qa.aux("TGT_CLASS", [])]
        colors = class_colors(classes)
        scatter = new_figure(qa, x_label="imaging magnitude", y_label="Δmag (spectro − imaging)")
        targets = ColumnDataSource(
            {"fiber": qa.aux("TGT_FIBER", []), "mag": as_floats(qa.aux("TGT_MAG", [])),
             "deltamag": as_floats(qa.aux("TGT_DELTAMAG", [])), "class": classes,
             "color": [colors[c] for c in classes]},
            name="targets",
        )  # fmt: skip
        dots = scatter.scatter(x="mag", y="deltamag", size=7, color="color", source=targets)
        hover(scatter, [dots], [("fiber", "@fiber"), ("class", "@class"), ("mag", "@mag{0.00}"),
                                ("Δmag", "@deltamag{0.000}")])  # fmt: skip
        return described(
            "Spectroscopic minus imaging magnitude: the mean per target class (graded) and "
            "each target against its magnitude.",
            class_figure(qa),
            scatter,
            how="Positive Δmag means less light than expected (clouds, a misplaced fiber, a "
            "throughput loss). " + BANDS_HOW,
        )
