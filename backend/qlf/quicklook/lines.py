"""Emission-line lists, band and window edges, and the one air ↔ vacuum conversion.

**Every wavelength here is in vacuum, Å** (DESI's convention: its PSFs, calibration files and
Quick Look line lists are in vacuum); a calibration written in air says so (PSF header
``AIRORVAC = 'air'``) and is converted on reading with :func:`air_to_vacuum` /
:func:`vacuum_to_air`, the single conversion used everywhere.

Line positions carry 0.01 Å (0.018 px at DESI's 0.55 Å/row; the 0.1 Å rounding of the air
lists before biased dy by up to 0.09 px):

* arc lamps (Hg, Cd, Ne, Ar, Kr, Xe): NIST Atomic Spectra Database *observed vacuum*
  wavelengths, as shipped with desispec (``py/desispec/data/arc_lines/*I_vacuum.ascii`` and
  ``goodlines_vacuum.ascii``, the lines DESI's own wavelength calibration starts from);
* atomic airglow ([O I] 5577, 6300, 6364; Na D; [N I] 5200): NIST vacuum wavelengths;
* OH Meinel-band lines: the centroid of each line (of the unresolved Λ-doublet or blend, which
  is what a spectrograph of DESI's resolution sees) in DESI's dark-sky spectrum
  (desimodel ``spec-sky.dat``, shipped as ``desispec/data/spec-sky.dat`` in 2018, vacuum,
  0.1 Å sampling). Against Osterbrock et al. (1996, PASP 108, 277) air wavelengths of the
  strongest component, converted to vacuum, they differ by ≤ 0.06 Å, and by 0.09 and 0.12 Å
  at 6865.76 and 8922.10 where a second component shifts the blend's centroid.

Sky-line intensities are zenith dark-sky intensities in rayleigh (1 R = 10⁶/4π photons s⁻¹
cm⁻² sr⁻¹), integrated over each line in the same DESI dark-sky spectrum (continuum = its
running 20th percentile). [O I] 5577 comes out at 340 R, within the 150–400 R range of zenith
measurements (≈ 250 R on average: Roach & Gordon 1973, *The Light of the Night Sky*; Hanuschik
2003, A&A 407, 1157). Airglow does not depend on the moon, so one table serves all programs.
No light-pollution lines (Hg 4047/4358/5461, Kitt Peak's sky has < 0.2 R of them there) are
listed: the blue arm's sky lines are [N I] 5200 and [O I] 5577.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ARC_LINES",
    "ARM_RANGES",
    "BANDS",
    "BLENDED_ARC_LINES",
    "LINE_ISOLATION_A",
    "MEDIA",
    "RAYLEIGH_PHOTONS",
    "SKY_CONTINUUM_WINDOWS",
    "SKY_LINES",
    "air_to_vacuum",
    "isolated_lines",
    "lines_in_arm",
    "refractive_index_of_air",
    "to_vacuum",
    "vacuum_to_air",
]

#: Wavelength media a calibration may declare (PSF header ``AIRORVAC``).
MEDIA = ("vac", "air")

#: Photons s⁻¹ cm⁻² arcsec⁻² of one rayleigh: 10⁶/(4π) per steradian, 4.2545e10 arcsec²/sr.
RAYLEIGH_PHOTONS = 1e6 / (4.0 * np.pi) / 4.254517029615221e10

#: Minimum separation of the lines the QA fits, Å (and ≥ 8 rows): the same lines on every
#: instrument size.
LINE_ISOLATION_A = 45.0

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

#: Night-sky (airglow) lines: (vacuum wavelength Å, zenith dark-sky intensity, rayleigh).
SKY_LINES: np.ndarray = np.array(
    [
        # [N I] 5200 doublet (NIST), [O I] 5577 (NIST)
        (5199.35, 9.0), (5201.71, 6.0), (5578.89, 340.0),
        # Na D (NIST), [O I] 6300, 6364 (NIST)
        (5891.58, 33.0), (5897.56, 20.0), (6302.05, 357.0), (6365.54, 124.0),
        # OH, r arm
        (6500.43, 17.0), (6617.99, 37.0), (6865.76, 33.0), (6950.98, 21.0), (7242.09, 51.0),
        (7278.29, 72.0), (7318.31, 54.0), (7342.93, 65.0), (7371.42, 52.0), (7403.90, 32.0),
        (7526.03, 44.0), (7573.84, 28.0), (7714.62, 60.0), (7719.11, 72.0),
        # OH, z arm
        (7752.68, 103.0), (7823.66, 93.0), (7855.53, 97.0), (7915.82, 123.0), (7966.85, 91.0),
        (7995.54, 102.0), (8346.84, 217.0), (8401.49, 165.0), (8432.50, 196.0),
        (8467.69, 134.0), (8770.09, 166.0), (8780.76, 143.0), (8829.49, 378.0),
        (8838.90, 139.0), (8888.30, 280.0), (8922.10, 310.0), (8960.56, 236.0),
        (9003.84, 137.0), (9315.80, 296.0), (9326.03, 296.0), (9378.49, 621.0),
        (9442.26, 423.0), (9479.49, 444.0), (9505.45, 152.0), (9521.99, 324.0),
        (9570.00, 243.0), (9701.99, 157.0), (9722.51, 210.0), (9793.76, 528.0),
    ]
)  # fmt: skip

#: Calibration-lamp lines: (NIST vacuum wavelength Å, relative strength in the simulated lamps).
ARC_LINES: np.ndarray = np.array(
    [
        # Cd I 3611.54, Hg I 3651.20, 4047.71, 4359.56, Cd I 4679.46, 4801.25, 5087.24
        (3611.54, 0.4), (3651.20, 0.6), (4047.71, 0.7), (4359.56, 1.0), (4679.46, 0.5),
        (4801.25, 0.6), (5087.24, 0.7),
        # Hg I 5462.27, Kr I 5571.84, Hg I 5771.21, Ne I 5854.11, 5946.48, 6144.76, 6268.23
        (5462.27, 1.0), (5571.84, 0.6), (5771.21, 0.5), (5854.11, 0.8), (5946.48, 0.6),
        (6144.76, 0.9), (6268.23, 0.7),
        # Ne I 6404.02, 6508.33, 6680.12, 6931.38, 7034.35, 7247.16, Ar I 7386.01, 7637.21
        (6404.02, 1.0), (6508.33, 0.8), (6680.12, 0.7), (6931.38, 0.8), (7034.35, 0.9),
        (7247.16, 0.6), (7386.01, 0.7), (7637.21, 0.9),
        # Ar I 7950.36, Kr I 8061.72, Ar I 8117.54, 8266.79, 8426.96, 8523.78, Ne I 8783.03
        (7950.36, 0.8), (8061.72, 0.6), (8117.54, 1.0), (8266.79, 0.7), (8426.96, 0.8),
        (8523.78, 0.7), (8783.03, 0.5),
        # Xe I 9047.93, Ar I 9125.47, 9227.03, 9660.44
        (9047.93, 0.6), (9125.47, 1.0), (9227.03, 0.6), (9660.44, 0.8),
    ]
)  # fmt: skip

#: Lamp lines the QA does not fit (the simulator's lamps still shine them): in DESI's lamps a
#: NIST line of ≥ 10 % of their intensity lies within 4 Å, inside the ±6-row fit window at
#: 0.55 Å/row (NIST relative intensities of desispec ``data/arc_lines/*I_vacuum.ascii``, each
#: lamp scaled to its brightest line): Cd I 3611.54 (3613.90), Cd I 4679.46 (4679.53,
#: 4680.44), Ne I 6508.33 (6505.98), Kr I 8061.72 (8059.47, 8063.56), Ar I 8117.54 (8115.13),
#: Ar I 8266.79 (8265.51, 8268.35, 8268.79), Ne I 8783.03 (8779.16, 8786.17). On a DESI-size
#: exposure written independently with every NIST line, 8061.72 fitted σ = 2.5 px for 1.15
#: and made a nominal z camera's CHECKPSF a WARNING or an ALARM. desispec's
#: ``goodlines_vacuum.ascii`` (where DESI's wavelength solution starts) omits 8266.79 and 8783.03.
BLENDED_ARC_LINES: np.ndarray = np.array(
    [3611.54, 4679.46, 6508.33, 8061.72, 8117.54, 8266.79, 8783.03]
)

#: Two line-free windows of sky continuum per arm, Å (SKYCONT): DESI Quick Look's
#: (desispec ``qlconfig_darksurvey.yaml``, ``B_CONT``/``R_CONT``/``Z_CONT``), clear of every
#: line above.
SKY_CONTINUUM_WINDOWS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "b": ((4000.0, 4500.0), (5250.0, 5550.0)),
    "r": ((5950.0, 6200.0), (6990.0, 7230.0)),
    "z": ((8120.0, 8270.0), (9110.0, 9280.0)),
}


def refractive_index_of_air(wave_vacuum: np.ndarray | float) -> np.ndarray:
    """Refractive index of standard air at vacuum wavelength ``wave_vacuum`` (Å).

    The IAU standard (Edlén 1966 as given by Morton 2000, ApJS 130, 403, eq. 8; the formula of
    SDSS ``vactoair`` and VALD): n − 1 = 8.34254e-5 + 2.406147e-2/(130 − σ²)
    + 1.5998e-4/(38.9 − σ²), σ = 10⁴/λ in µm⁻¹. It reproduces NIST's air/vacuum pairs to
    0.01 Å (e.g. [O I] 5577.339 air ↔ 5578.888 vacuum, NIST 5578.887).
    """
    sigma2 = (1e4 / np.asarray(wave_vacuum, dtype=float)) ** 2
    return 1.0 + 8.34254e-5 + 2.406147e-2 / (130.0 - sigma2) + 1.5998e-4 / (38.9 - sigma2)


def vacuum_to_air(wave: np.ndarray | float) -> np.ndarray:
    """Air wavelength (Å) of vacuum wavelength ``wave`` (Å)."""
    wave = np.asarray(wave, dtype=float)
    return wave / refractive_index_of_air(wave)


def air_to_vacuum(wave: np.ndarray | float) -> np.ndarray:
    """Vacuum wavelength (Å) of air wavelength ``wave`` (Å): :func:`vacuum_to_air` inverted.

    Fixed-point iteration λ_vac = λ_air · n(λ_vac); n varies so slowly that three steps
    reach 1e-7 Å.
    """
    wave = np.asarray(wave, dtype=float)
    vacuum = wave.copy()
    for _ in range(3):
        vacuum = wave * refractive_index_of_air(vacuum)
    return vacuum


def to_vacuum(wave: np.ndarray | float, medium: str) -> np.ndarray:
    """``wave`` (Å) in ``medium`` (``'vac'`` or ``'air'``) as a vacuum wavelength."""
    if medium == "vac":
        return np.asarray(wave, dtype=float)
    if medium == "air":
        return air_to_vacuum(wave)
    raise ValueError(f"wavelength medium {medium!r}: expected one of {', '.join(MEDIA)}")


def lines_in_arm(lines: np.ndarray, arm: str, *, margin: float = 60.0) -> np.ndarray:
    """The lines of ``lines`` (rows of (wave, strength)) inside the arm's range, Å margin kept.

    The default margin keeps a line's fit window (± 6 rows) clear of the unlit rows at the
    CCD ends on every instrument size (mini: 10 rows of 5.5 Å).
    """
    lo, hi = ARM_RANGES[arm]
    keep = (lines[:, 0] > lo + margin) & (lines[:, 0] < hi - margin)
    return lines[keep]


def isolated_lines(lines: np.ndarray, min_separation: float) -> np.ndarray:
    """The lines with no other line closer than ``min_separation`` Å."""
    wave = lines[:, 0]
    gaps = np.abs(wave[:, None] - wave[None, :])
    np.fill_diagonal(gaps, np.inf)
    return lines[gaps.min(axis=1) >= min_separation]
