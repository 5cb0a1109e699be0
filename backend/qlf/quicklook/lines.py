"""Emission-line lists and line-free windows used by both the instrument model and the QA.

Wavelengths are in Å (air). Relative strengths are rough lamp/sky intensities, used by the
simulator to draw lines and by the QA to pick the bright, isolated ones.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ARC_LINES",
    "ARM_RANGES",
    "BANDS",
    "SKY_CONTINUUM_WINDOWS",
    "SKY_LINES",
    "isolated_lines",
    "lines_in_arm",
]

#: Wavelength range of each arm, Å (DESIGN.md 4.1).
ARM_RANGES: dict[str, tuple[float, float]] = {
    "b": (3570.0, 5730.0),
    "r": (5630.0, 7740.0),
    "z": (7650.0, 9830.0),
}

#: Broad band measured by each arm's camera: name and top-hat range, Å.
BANDS: dict[str, tuple[str, float, float]] = {
    "b": ("G", 4100.0, 5400.0),
    "r": ("R", 5700.0, 7200.0),
    "z": ("Z", 8300.0, 9700.0),
}

#: Night-sky emission lines: (wavelength Å, relative strength). [OI], NaD, Hg light pollution,
#: and the bright OH bands of the red and near-infrared.
SKY_LINES: np.ndarray = np.array(
    [
        (4046.6, 0.15), (4358.3, 0.35), (5460.7, 0.30), (5577.3, 1.00), (5889.9, 0.40),
        (5895.9, 0.30), (6300.3, 0.60), (6363.8, 0.20), (6498.7, 0.15), (6863.9, 0.35),
        (7276.4, 0.30), (7316.3, 0.55), (7340.9, 0.45), (7750.6, 0.50), (7794.1, 0.50),
        (7821.5, 0.40), (7913.7, 0.60), (7993.3, 0.70), (8344.6, 1.00), (8399.2, 0.80),
        (8430.2, 0.70), (8827.1, 1.00), (8885.8, 0.90), (8919.6, 0.70), (8958.1, 0.80),
        (9001.4, 0.60), (9375.9, 0.90), (9439.7, 0.90), (9476.9, 0.70), (9703.5, 0.60),
    ]
)  # fmt: skip

#: Calibration-lamp lines (Hg, Cd, Ne, Ar, Kr, Xe): (wavelength Å, relative strength).
ARC_LINES: np.ndarray = np.array(
    [
        (3610.5, 0.4), (3650.2, 0.6), (4046.6, 0.7), (4358.3, 1.0), (4678.2, 0.5),
        (4799.9, 0.6), (5085.8, 0.7), (5460.7, 1.0), (5769.6, 0.5), (5852.5, 0.8),
        (5944.8, 0.6), (6143.1, 0.9), (6266.5, 0.7), (6402.2, 1.0), (6506.5, 0.8),
        (6678.3, 0.7), (6929.5, 0.8), (7032.4, 0.9), (7245.2, 0.6), (7383.9, 0.7),
        (7635.1, 0.9), (7948.2, 0.8), (8115.3, 1.0), (8264.5, 0.7), (8424.6, 0.8),
        (8521.4, 0.7), (8780.6, 0.5), (9122.9, 1.0), (9224.5, 0.6), (9657.8, 0.8),
    ]
)  # fmt: skip

#: Two line-free windows of sky continuum per arm, Å (SKYCONT).
SKY_CONTINUUM_WINDOWS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "b": ((4150.0, 4300.0), (5050.0, 5350.0)),
    "r": ((6000.0, 6250.0), (6600.0, 6800.0)),
    "z": ((8050.0, 8300.0), (9080.0, 9330.0)),
}


def lines_in_arm(lines: np.ndarray, arm: str, *, margin: float = 30.0) -> np.ndarray:
    """The lines of ``lines`` (rows of (wave, strength)) inside the arm's range, Å margin kept."""
    lo, hi = ARM_RANGES[arm]
    keep = (lines[:, 0] > lo + margin) & (lines[:, 0] < hi - margin)
    return lines[keep]


def isolated_lines(lines: np.ndarray, min_separation: float) -> np.ndarray:
    """The lines with no other line closer than ``min_separation`` Å."""
    wave = lines[:, 0]
    gaps = np.abs(wave[:, None] - wave[None, :])
    np.fill_diagonal(gaps, np.inf)
    return lines[gaps.min(axis=1) >= min_separation]
