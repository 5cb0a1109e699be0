"""CHECK_CCDs metrics from the overscan and the low tail of the data (DESI Quick Look's Get_RMS).

DESI Quick Look (desispec 0.20–0.29, ``qa_quicklook.Get_RMS``) reported, next to NOISE_AMP,
the overscan noise NOISE_OVERSCAN_AMP, the row pattern BIAS_PATNOISE, the spreads DIFF1SIG and
DIFF2SIG of the overscan's distribution and DATA5SIG, the pixels far below the bias. QLF keeps
the quantities and makes each one measure what its name says, in electrons (DESI divided
counts by EXPTIME and, from 0.22, took the BIASSEC sections of the already trimmed image):
see docs/pipeline.md.
"""

from __future__ import annotations

import numpy as np

from qlf.quicklook.qa.registry import Metric, register
from qlf.quicklook.stats import Tally

__all__ = ["BiasPatNoise", "Data5Sig", "Diff1Sig", "Diff2Sig", "NoiseOverscanAmp"]

#: variance of rounding to integer ADU, ADU²
QUANTISATION_ADU2 = 1.0 / 12.0
#: 1σ and 2σ of a normal distribution as central percentile spans (DESI's PERCENTILES)
SPAN_1SIG, SPAN_2SIG = 68.27, 95.45


def overscan_stats(products) -> dict[str, np.ndarray]:
    """Per amp: total overscan noise (e-), row-pattern noise (in read noises), and the pooled
    bias-subtracted overscan pixels (e-). Computed once for the metrics of this module."""
    pre = products.preproc
    total, pattern, pooled = [], [], []
    for i, amp in enumerate(products.frame.amps):
        gain = float(pre.gain[i])
        ov = amp.overscan.astype(np.float32) - np.float32(pre.bias_adu[i])  # ADU
        tally = Tally.of_integers(amp.overscan, pre.bias_adu[i])  # the same values, counted
        if tally is not None:
            median = float(tally.median())
            scale = 1.4826 * float(tally.deviations(np.float32(median)).median()) or 1.0
        else:
            median = float(np.median(ov))
            scale = 1.4826 * float(np.median(np.abs(ov - median))) or 1.0
        keep = np.abs(ov - median) < 5 * scale  # bleed trails or glitches into the overscan
        kept = ov[keep]
        total.append(gain * np.sqrt(max(float(kept.var()) - QUANTISATION_ADU2, 0.0)))
        # row means minus the white noise they carry: what remains is a pattern along rows
        n_row = keep.sum(axis=1)
        rows = np.where(keep, ov, 0).sum(axis=1)[n_row > 0] / n_row[n_row > 0]
        rn_adu = float(pre.readnoise_e[i]) / gain
        white = (rn_adu**2 + QUANTISATION_ADU2) / float(np.median(n_row))
        excess = max(float(rows.var()) - white, 0.0) if rows.size > 1 else float("nan")
        pattern.append(np.sqrt(excess) / rn_adu if rn_adu > 0 else float("nan"))
        pooled.append(kept * np.float32(gain))
    return {
        "total": np.array(total),
        "pattern": np.array(pattern),
        "pooled": np.concatenate(pooled) if pooled else np.zeros(0, np.float32),
    }


def _stats(products) -> dict[str, np.ndarray]:
    return products.memo("overscan_stats", overscan_stats)


def _spans(products) -> dict[float, float]:
    """Width of the central SPAN_1SIG and SPAN_2SIG percent of the pooled overscan pixels:
    the four percentiles in one selection over the pixels, shared by DIFF1SIG and DIFF2SIG."""
    spans = (SPAN_1SIG, SPAN_2SIG)
    edges = [q for span in spans for q in (50.0 - span / 2, 50.0 + span / 2)]
    # sorting first makes numpy's selection 3× cheaper (the same values, the same result)
    values = np.percentile(np.sort(_stats(products)["pooled"]), edges)
    return {span: float(values[2 * i + 1] - values[2 * i]) for i, span in enumerate(spans)}


def _span(products, percent: float) -> float:
    return products.memo("overscan_spans", _spans)[percent]


@register
class NoiseOverscanAmp(Metric):
    name = "noise_overscan"
    key = "NOISE_OVERSCAN_AMP"
    granularity = "amp"
    flavors = ("zero", "dark", "flat", "arc", "science")
    units = "e-"
    description = (
        "Total noise of each amplifier's overscan (standard deviation around its bias level, "
        "5σ-clipped): the read noise plus any pattern along the rows, which NOISE_AMP excludes."
    )

    def compute(self, products):
        return {self.key: _stats(products)["total"].tolist()}


@register
class BiasPatNoise(Metric):
    name = "bias_patnoise"
    key = "BIAS_PATNOISE"
    granularity = "amp"
    flavors = ("zero", "dark", "flat", "arc", "science")
    units = "read noise"
    description = (
        "Bias pattern noise of each amplifier: the scatter of the overscan's row means, less "
        "the white read noise they carry, in units of the read noise."
    )

    def compute(self, products):
        return {self.key: _stats(products)["pattern"].tolist()}


@register
class Diff1Sig(Metric):
    name = "diff1sig"
    key = "DIFF1SIG"
    granularity = "camera"
    flavors = ("zero", "dark", "flat", "arc", "science")
    units = "e-"
    description = (
        "Width of the central 68.27 % of the bias-subtracted overscan pixels of all amplifiers "
        "(2σ for Gaussian noise)."
    )

    def compute(self, products):
        return {self.key: _span(products, SPAN_1SIG)}


@register
class Diff2Sig(Metric):
    name = "diff2sig"
    key = "DIFF2SIG"
    granularity = "camera"
    flavors = ("zero", "dark", "flat", "arc", "science")
    units = "e-"
    description = (
        "Width of the central 95.45 % of the bias-subtracted overscan pixels of all amplifiers "
        "(4σ for Gaussian noise): with DIFF1SIG, the tails of the noise."
    )

    def compute(self, products):
        return {self.key: _span(products, SPAN_2SIG)}


@register
class Data5Sig(Metric):
    name = "data5sig"
    key = "DATA5SIG"
    granularity = "camera"
    flavors = ("zero", "dark", "flat", "arc", "science")
    units = "pixels"
    description = (
        "Pixels of the image more than 5 × their amplifier's read noise below the bias level "
        "(a data bias under the overscan's, an undershoot); Gaussian noise gives 3 per 10⁷."
    )

    def compute(self, products):
        per_amp = products.preproc.low_pixels.tolist()  # below −5 × the read noise
        return {self.key: int(sum(per_amp)), "DATA5SIG_AMP": per_amp}
