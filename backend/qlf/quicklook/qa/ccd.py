"""CHECK_CCDs metrics: per-amp bias, read noise, lit fraction and cosmic-ray rate."""

from __future__ import annotations

import numpy as np

from qlf.quicklook.qa.registry import Metric, register

__all__ = ["BiasAmp", "CosmicsRate", "LitFracAmp", "NoiseAmp"]

#: Cosmic rays also land during the readout of a frame (≈1 min), also for zero exposures.
READOUT_S = 60.0
#: Pixel size of the CCDs, cm (15 µm): rates are per cm² so that any CCD size compares.
PIXEL_CM = 15e-4


@register
class BiasAmp(Metric):
    name = "bias"
    key = "BIAS_AMP"
    granularity = "amp"
    flavors = ("zero", "dark", "flat", "arc", "science")
    units = "ADU"
    description = "Overscan level of each amplifier (clipped mean of the overscan columns)."

    def compute(self, products):
        pre = products.preproc
        return {self.key: pre.bias_adu.tolist(), "ROW_CORRECTED_AMP": pre.row_corrected.tolist()}


@register
class NoiseAmp(Metric):
    name = "noise"
    key = "NOISE_AMP"
    granularity = "amp"
    flavors = ("zero", "dark", "flat", "arc", "science")
    units = "e-"
    description = "Read noise of each amplifier from its overscan (MAD, then 5σ-clipped std)."

    def compute(self, products):
        return {self.key: products.preproc.readnoise_e.tolist()}


@register
class LitFracAmp(Metric):
    name = "litfrac"
    key = "LITFRAC_AMP"
    granularity = "amp"
    flavors = ("zero", "dark", "flat", "arc", "science")
    units = "fraction"
    description = "Fraction of each amplifier's pixels above 5 × its read noise."

    def compute(self, products):
        pre = products.preproc  # pixels above 5 × the read noise, counted by preproc
        fractions = [
            float(int(lit) / pre.amp_pixels(i).size) for i, lit in enumerate(pre.lit_pixels)
        ]
        return {self.key: fractions}


@register
class CosmicsRate(Metric):
    name = "cosmics"
    key = "COSMICS_RATE"
    granularity = "amp"
    flavors = ("zero", "dark")
    units = "hits / cm² / min"
    description = (
        "Cosmic-ray hits per amplifier, per cm² of its area and per minute of exposure plus "
        "readout."
    )

    def compute(self, products):
        pre = products.preproc
        minutes = (max(products.info.exptime, 0.0) + READOUT_S) / 60.0
        area = np.array([pre.amp_pixels(i).size for i in range(len(pre.amp_names))]) * PIXEL_CM**2
        hits = pre.ncosmic
        return {self.key: (hits / area / minutes).tolist(), "COSMICS_AMP": hits.tolist()}
