"""An independent writer of DESI-format exposures, for acceptance tests of Quick Look.

It imports nothing from ``qlf``: geometry, traces, sky, throughput, lamps and file layout are
written here from DESI's raw data model (DESIGN.md 4.1-4.3) and from published values, so
that QLF's measurements are checked against a truth that QLF's simulator did not produce.

* Geometry: DESI's section keywords (r/z: prescan 7, 2057 x 2064 pixels per amp, 64 overscan
  columns, 32 overscan rows; b: prescan 4, 2048 x 2048), or a "mini-like" size with the same
  layout (``GEOMETRIES``). Amps C D over A B; raw rows: 1 blank, A/B data, A/B overscan rows,
  C/D overscan rows, C/D data, 1 blank.
* PSF in vacuum: Legendre ``XTRACE``/``YTRACE`` over ``[WAVEMIN, WAVEMAX]``, 0-indexed trimmed
  pixels, ``XSIGMA``; the image is rendered with a 2-D Gaussian PSF integrated over pixels.
* Sky (dark, zenith, Kitt Peak): continuum from broad-band dark-sky measurements at Kitt Peak
  (Massey & Foltz 2000, PASP 112, 566: zenith B = 22.63, V = 21.45 mag/arcsec2 with the lines;
  r ~ 21.0-21.2, Neugent & Massey 2010), in AB mag/arcsec2 per wavelength
  (``SKY_CONTINUUM_AB``); airglow lines in rayleigh with air
  wavelengths from Osterbrock et al. (1996, PASP 108, 277) and intensities of the order of the
  averages of Hanuschik (2003, A&A 407, 1157) and Roach & Gordon (1973), converted to vacuum
  with Ciddor (1996, Appl. Opt. 35, 1566) -- a different formula from QLF's.
* Arc lamps: desispec ``data/arc_lines/goodlines_vacuum.ascii`` (NIST vacuum), every line.
* Throughput (end to end, atmosphere included) per arm, written as ``throughput-{camera}.fits``
  (optional), collecting area 8.678 m2 (Mayall, DESI), fiber area 1.862 arcsec2 (107 um
  fibers at 70 um/arcsec: 1.53 arcsec diameter).

Truth (``Truth``) is computed from the same model that rendered the pixels, by the formulas
of QLF's metric definitions (docs/pipeline.md), never by running QLF.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from astropy.io import fits
from numpy.polynomial import legendre
from scipy.special import erf

H_ERG_S = 6.62607015e-27
NMGY_CGS = 3.631e-29  # erg s-1 cm-2 Hz-1
GEOMAREA_M2 = 8.678
FIBAREA_ARCSEC2 = 1.862
RAYLEIGH_PH_ARCSEC2 = 1e6 / (4 * np.pi) / 4.2545170296e10  # photons s-1 cm-2 arcsec-2
WAVE_RANGE = {"b": (3570.0, 5730.0), "r": (5630.0, 7740.0), "z": (7650.0, 9830.0)}


@dataclass(frozen=True)
class Geometry:
    """One arm's CCD: per-amp data size, prescan, overscan columns and rows."""

    prescan: int
    ncols: int
    nrows: int
    ocols: int
    orows: int

    @property
    def raw_shape(self) -> tuple[int, int]:
        return 2 * (1 + self.nrows + self.orows), 2 * (self.prescan + self.ncols + self.ocols)

    @property
    def trimmed_shape(self) -> tuple[int, int]:
        return 2 * self.nrows, 2 * self.ncols

    def slices(self, amp: str) -> dict[str, tuple[slice, slice]]:
        """numpy (rows, cols) slices of the amp's sections in the raw image, and its CCDSEC."""
        nrow, ncol, pre, oc, orow = self.nrows, self.ncols, self.prescan, self.ocols, self.orows
        rows, cols = self.raw_shape
        if amp in "AB":
            drows, orrows, crows = slice(1, 1 + nrow), slice(1 + nrow, 1 + nrow + orow), (0, nrow)
        else:
            drows = slice(rows - 1 - nrow, rows - 1)
            orrows = slice(1 + nrow + orow, 1 + nrow + 2 * orow)
            crows = (nrow, 2 * nrow)
        if amp in "AC":
            pcols, dcols = slice(0, pre), slice(pre, pre + ncol)
            bcols, ccols = slice(pre + ncol, pre + ncol + oc), (0, ncol)
        else:
            bcols = slice(pre + ncol + oc, pre + ncol + 2 * oc)
            dcols = slice(pre + ncol + 2 * oc, pre + 2 * ncol + 2 * oc)
            pcols, ccols = slice(cols - pre, cols), (ncol, 2 * ncol)
        return {
            "PRESEC": (drows, pcols),
            "DATASEC": (drows, dcols),
            "BIASSEC": (drows, bcols),
            "ORSEC": (orrows, dcols),
            "CCDSEC": (slice(*crows), slice(*ccols)),
        }


def _fits_section(rows: slice, cols: slice) -> str:
    return f"[{cols.start + 1}:{cols.stop},{rows.start + 1}:{rows.stop}]"


GEOMETRIES = {
    "desi": {
        "b": Geometry(4, 2048, 2048, 64, 32),
        "r": Geometry(7, 2057, 2064, 64, 32),
        "z": Geometry(7, 2057, 2064, 64, 32),
    },
    # same layout, 25 fibers: fewer columns and rows
    "small": {
        "b": Geometry(4, 128, 300, 24, 12),
        "r": Geometry(7, 130, 300, 24, 12),
        "z": Geometry(7, 130, 300, 24, 12),
    },
}
FIBERS = {"desi": (20, 25), "small": (5, 5)}  # bundles, fibers per bundle
PITCH, BUNDLE_GAP = 7.25, 17.5

# --- sky ----------------------------------------------------------------------------------
#: Dark zenith sky continuum between the lines, AB mag/arcsec2 (Kitt Peak; see module doc:
#: 22.4-22.7 across B, 21.8 under V once 5577, Na D and street lights are left out).
SKY_CONTINUUM_AB = np.array(
    [(3600, 22.9), (4000, 22.7), (4500, 22.4), (5000, 22.1), (5500, 21.8), (6000, 21.3),
     (6500, 21.1), (7000, 21.0), (7500, 20.9), (8000, 20.8), (8500, 20.7), (9000, 20.6),
     (9500, 20.5), (9900, 20.4)]
)  # fmt: skip
#: Airglow: (air wavelength Å, Osterbrock et al. 1996; zenith intensity, rayleigh).
SKY_LINES_AIR = np.array(
    [(5197.90, 5.0), (5200.26, 3.5), (5577.34, 250.0), (5889.95, 18.0), (5895.92, 12.0),
     (6300.30, 150.0), (6363.78, 50.0),
     (6498.73, 12.0), (6553.62, 10.0), (6604.28, 16.0), (6863.96, 30.0), (6923.22, 18.0),
     (6948.94, 20.0), (7276.41, 45.0), (7316.28, 50.0), (7340.89, 55.0), (7369.25, 45.0),
     (7401.69, 30.0), (7524.00, 35.0), (7571.75, 25.0), (7750.64, 90.0), (7794.11, 70.0),
     (7821.50, 80.0), (7913.71, 110.0), (7964.65, 85.0), (7993.33, 95.0), (8344.60, 200.0),
     (8399.17, 150.0), (8430.17, 180.0), (8465.36, 120.0), (8767.91, 150.0), (8827.10, 350.0),
     (8885.85, 260.0), (8919.63, 290.0), (8958.08, 220.0), (9001.38, 130.0), (9375.96, 500.0),
     (9439.67, 400.0), (9476.91, 400.0), (9519.18, 300.0), (9567.09, 220.0), (9792.13, 450.0)]
)  # fmt: skip


def air_to_vacuum(air: np.ndarray) -> np.ndarray:
    """Ciddor (1996) standard air (15 C, 101325 Pa, 450 ppm CO2), iterated."""
    air = np.asarray(air, float)
    vac = air.copy()
    for _ in range(4):
        s2 = (1e4 / vac) ** 2
        n = 1 + 0.05792105 / (238.0185 - s2) + 0.00167917 / (57.362 - s2)
        vac = air * n
    return vac


SKY_LINES = np.column_stack([air_to_vacuum(SKY_LINES_AIR[:, 0]), SKY_LINES_AIR[:, 1]])


def sky_continuum_nmgy_arcsec2(wave: np.ndarray, moon_mag: float | None = None) -> np.ndarray:
    """Continuum f_nu per arcsec2, nanomaggies; ``moon_mag``: add a flat moonlit f_nu."""
    mag = np.interp(wave, SKY_CONTINUUM_AB[:, 0], SKY_CONTINUUM_AB[:, 1])
    f = 10 ** (-0.4 * (mag - 22.5))
    if moon_mag is not None:
        f = f + 10 ** (-0.4 * (moon_mag - 22.5))
    return f


# --- instrument -------------------------------------------------------------------------
#: End-to-end throughput (atmosphere at airmass 1 included) per arm: (Å, fraction) nodes.
THROUGHPUT_NODES = {
    "b": [(3550, 0.08), (3800, 0.20), (4200, 0.32), (4700, 0.38), (5200, 0.38), (5500, 0.34),
          (5750, 0.20)],
    "r": [(5600, 0.20), (5800, 0.36), (6200, 0.42), (6800, 0.44), (7300, 0.42), (7600, 0.38),
          (7760, 0.25)],
    "z": [(7630, 0.22), (7800, 0.36), (8300, 0.40), (8800, 0.38), (9300, 0.30), (9600, 0.22),
          (9850, 0.12)],
}  # fmt: skip


def throughput(wave: np.ndarray, arm: str) -> np.ndarray:
    nodes = np.array(THROUGHPUT_NODES[arm])
    return np.interp(wave, nodes[:, 0], nodes[:, 1])


def electrons_per_s_per_A_per_nmgy(wave: np.ndarray, arm: str) -> np.ndarray:
    """Photo-electrons s-1 Å-1 of a 1-nanomaggy source (f_nu flat) through the instrument."""
    photons = NMGY_CGS / (H_ERG_S * wave)  # s-1 cm-2 Å-1
    return photons * GEOMAREA_M2 * 1e4 * throughput(wave, arm)


@dataclass
class Camera:
    """What to render in one camera."""

    camera: str
    bias: tuple[float, ...] = (1350.0, 1420.0, 1510.0, 1290.0)
    # no gain puts 5 x read noise on a whole ADU: the lit fraction would hinge on 0.1 % of noise
    gain: tuple[float, ...] = (1.45, 1.52, 1.38, 1.58)
    readnoise: tuple[float, ...] = (2.7, 3.0, 2.9, 3.2)
    xsigma: float = 1.05
    wsigma: float = 1.10
    dx: float = 0.0
    dy: float = 0.0
    dead_fibers: tuple[int, ...] = ()
    transmission: float = 1.0  # multiplies every light source (cloud, throughput loss)


@dataclass
class Exposure:
    expid: int
    night: int
    flavor: str  # zero, dark, flat, arc, science
    program: str | None = None
    exptime: float = 900.0
    cameras: list[Camera] = field(default_factory=list)
    size: str = "small"
    seed: int = 1
    moon_mag: float | None = None  # BRIGHT/GRAY: flat moonlit continuum, AB mag/arcsec2
    spec_expid: int | None = None  # headers' EXPID if it should differ from the path's
    omit_hdus: tuple[str, ...] = ()


# --- traces --------------------------------------------------------------------------------
def _fiber_x0(size: str, arm: str) -> np.ndarray:
    nb, nf = FIBERS[size]
    bundle = np.repeat(np.arange(nb), nf)
    within = np.tile(np.arange(nf), nb)
    offset = bundle * ((nf - 1) * PITCH + BUNDLE_GAP) + within * PITCH
    ncol = GEOMETRIES[size][arm].trimmed_shape[1]
    return (ncol - 1) / 2.0 - offset[-1] / 2.0 + offset


def trace_functions(size: str, arm: str):
    """x(fiber, λ) and y(fiber, λ) in trimmed pixels: gently curved traces, non-linear rows."""
    nrow = GEOMETRIES[size][arm].trimmed_shape[0]
    lo, hi = WAVE_RANGE[arm]
    x0 = _fiber_x0(size, arm)
    ncol = GEOMETRIES[size][arm].trimmed_shape[1]
    bow = 3.0 if size == "small" else 18.0
    margin = 6.0 if size == "small" else 20.0

    def t(wave):
        return (np.asarray(wave, float) - lo) / (hi - lo)

    def x(fiber, wave):
        rel = (x0[fiber] - (ncol - 1) / 2) / ((ncol - 1) / 2)
        return x0[fiber] + bow * rel * (2 * t(wave) - 1) ** 2 + 0.4 * (t(wave) - 0.5)

    def y(fiber, wave):
        s = t(wave)
        frac = s + 0.04 * s * (1 - s)  # a slightly non-linear dispersion
        return margin + (nrow - 1 - 2 * margin) * frac + 0.3 * (fiber / len(x0) - 0.5)

    return x, y, len(x0)


def legendre_coefficients(size: str, arm: str, ncoef: int = 6):
    x, y, nfiber = trace_functions(size, arm)
    lo, hi = WAVE_RANGE[arm]
    wave = np.linspace(lo, hi, 200)
    u = 2 * (wave - lo) / (hi - lo) - 1
    xc = np.array([legendre.legfit(u, x(i, wave), ncoef - 1) for i in range(nfiber)])
    yc = np.array([legendre.legfit(u, y(i, wave), ncoef - 1) for i in range(nfiber)])
    return xc, yc


# --- spectra ---------------------------------------------------------------------------------
def fibermap_rows(size: str, nspec: int = 10) -> dict[str, np.ndarray]:
    """Per spectrograph: fibers 0-2 mod 25 ... a fixed pattern of SKY, STD and targets."""
    nb, nf = FIBERS[size]
    n = nb * nf
    kinds = []
    for i in range(n):
        if i % 5 == 2:
            kinds.append(("SKY", "SKY", 0.0))
        elif i % 25 == 9:
            kinds.append(("STD", "STAR", 10 ** (-0.4 * (17.5 - 22.5))))
        else:
            mag = 19.5 + 3.0 * ((i * 7) % 11) / 10.0  # 19.5 .. 22.5
            cls = ("ELG", "LRG", "QSO")[i % 3]
            kinds.append(("TGT", cls, 10 ** (-0.4 * (mag - 22.5))))
    rows = {k: [] for k in ("FIBER", "PETAL_LOC", "OBJTYPE", "TARGET_CLASS", "FLUX")}
    for spec in range(nspec):
        for i, (obj, cls, flux) in enumerate(kinds):
            rows["FIBER"].append(spec * n + i)
            rows["PETAL_LOC"].append(spec)
            rows["OBJTYPE"].append(obj)
            rows["TARGET_CLASS"].append(cls)
            rows["FLUX"].append(flux)
    return {k: np.array(v) for k, v in rows.items()}


def fibers_by_class(size: str, dead=()) -> dict[str, list[tuple[int, float]]]:
    """Per class (``STD`` for the standard stars) the (fiber, magnitude) of one petal's
    lit target fibers."""
    fmap = fibermap_rows(size)
    mine = np.flatnonzero(fmap["PETAL_LOC"] == 0)
    out: dict[str, list[tuple[int, float]]] = {}
    for fiber, index in enumerate(mine):
        if fiber in dead or fmap["OBJTYPE"][index] == "SKY":
            continue
        cls = "STD" if fmap["OBJTYPE"][index] == "STD" else str(fmap["TARGET_CLASS"][index])
        mag = 22.5 - 2.5 * np.log10(fmap["FLUX"][index])
        out.setdefault(cls, []).append((fiber, mag))
    return out


def fiberflat_truth(size: str, nfiber: int) -> np.ndarray:
    """Relative fiber throughput (mean 1), independent of wavelength."""
    i = np.arange(nfiber)
    return 1.0 + 0.04 * np.sin(1.7 * i) + 0.02 * np.cos(0.3 * i)


# --- rendering -----------------------------------------------------------------------------
def _pixel_gauss(centre: np.ndarray, sigma: float, start: np.ndarray, n: int) -> np.ndarray:
    """Fraction of a Gaussian (centre, sigma) in pixels start..start+n-1 (pixel i spans i±0.5)."""
    edges = start[:, None] + np.arange(n + 1)[None, :] - 0.5
    cdf = 0.5 * (1 + erf((edges - centre[:, None]) / (np.sqrt(2) * sigma)))
    return np.diff(cdf, axis=1)


def render_electrons(size, arm, cam: Camera, continuum_e_per_A, lines, flat):
    """Noiseless photo-electron image: continuum (fiber, λ) → e-/Å on a λ grid, ``lines``
    (fiber-independent list of (vacuum λ, e-) per fiber before flat) and the flat."""
    x, y, nfiber = trace_functions(size, arm)
    nrow, ncol = GEOMETRIES[size][arm].trimmed_shape
    lo, hi = WAVE_RANGE[arm]
    fine = np.linspace(lo, hi, 20 * nrow)
    image = np.zeros((nrow, ncol))
    rows = np.arange(nrow)
    half = 6
    for f in range(nfiber):
        if f in cam.dead_fibers:
            continue
        yf = y(f, fine) + cam.dy
        # row → wavelength (and dλ/drow) for this fiber
        wave_row = np.interp(rows, yf, fine, left=np.nan, right=np.nan)
        dwdr = np.gradient(fine, yf)
        per_row = np.interp(rows, yf, continuum_e_per_A(f, fine) * dwdr, left=0, right=0)
        per_row = np.nan_to_num(per_row) * flat[f] * cam.transmission
        # lines: integrated over rows with the along-dispersion Gaussian
        for wave_line, electrons in lines(f):
            if not lo < wave_line < hi:
                continue
            yc = float(np.interp(wave_line, fine, yf))
            start = int(np.floor(yc)) - half
            prof = _pixel_gauss(np.array([yc]), cam.wsigma, np.array([start]), 2 * half + 1)[0]
            sel = np.arange(start, start + 2 * half + 1)
            ok = (sel >= 0) & (sel < nrow)
            per_row[sel[ok]] += electrons * prof[ok] * flat[f] * cam.transmission
        good = np.isfinite(wave_row)
        xc = np.where(good, x(f, np.where(good, wave_row, lo)) + cam.dx, np.nan)
        r = rows[good]
        xs = np.floor(xc[good]).astype(int) - half
        prof = _pixel_gauss(xc[good], cam.xsigma, xs, 2 * half + 1)
        cols = xs[:, None] + np.arange(2 * half + 1)[None, :]
        ok = (cols >= 0) & (cols < ncol)
        np.add.at(image, (np.broadcast_to(r[:, None], cols.shape)[ok], cols[ok]),
                  (per_row[r][:, None] * prof)[ok])  # fmt: skip
    return image


ARC_LINE_DIR = Path(__file__).with_name("arc_lines")
#: the lamps of DESI's arc exposures (Hg, Cd, Ne, Ar, Kr, Xe)
LAMPS = ("HgI", "CdI", "NeI", "ArI", "KrI", "XeI")


def arc_lines(lamps=LAMPS, min_relative: float = 0.01) -> np.ndarray:
    """(vacuum Å, relative strength) of every NIST line of the lamps (desispec's
    ``data/arc_lines/{lamp}_vacuum.ascii``: observed vacuum wavelength and NIST relative
    intensity), each lamp scaled to its brightest line; lines under ``min_relative`` dropped."""
    out = []
    for lamp in lamps:
        rows = []
        for line in (ARC_LINE_DIR / f"{lamp}_vacuum.ascii").read_text().splitlines():
            if line.startswith("#") or "|" not in line:
                continue
            cells = [c.strip() for c in line.split("|")]
            digits = "".join(ch for ch in cells[2] if ch.isdigit())
            try:
                wave = float(cells[0])
            except ValueError:
                continue
            if digits:
                rows.append((wave, float(digits)))
        rows = np.unique(np.array(rows), axis=0)
        rows[:, 1] /= rows[:, 1].max()
        out.append(rows[rows[:, 1] >= min_relative])
    return np.concatenate(out)


@dataclass
class Truth:
    cameras: dict = field(default_factory=dict)


def _camera_sources(exp: Exposure, arm: str, fmap: dict, spec: int, size: str):
    """continuum(f, λ) e-/Å and lines(f) → [(λ, e-)] of this exposure's light."""
    t = exp.exptime
    n = FIBERS[size][0] * FIBERS[size][1]
    mine = fmap["PETAL_LOC"] == spec
    flux = fmap["FLUX"][mine]
    if exp.flavor == "science":

        def continuum(f, wave):
            sky = sky_continuum_nmgy_arcsec2(wave, exp.moon_mag) * FIBAREA_ARCSEC2
            return (sky + flux[f]) * electrons_per_s_per_A_per_nmgy(wave, arm) * t

        sky_e = SKY_LINES[:, 1] * RAYLEIGH_PH_ARCSEC2 * FIBAREA_ARCSEC2 * GEOMAREA_M2 * 1e4
        sky_e = sky_e * throughput(SKY_LINES[:, 0], arm) * t
        line_list = list(zip(SKY_LINES[:, 0], sky_e, strict=True))
        return continuum, (lambda f: line_list)
    if exp.flavor == "flat":
        return (lambda f, wave: np.full_like(wave, 40000.0 / 0.6)), (lambda f: [])
    if exp.flavor == "arc":
        lamp = arc_lines()
        line_list = [(w, 30000.0 * rel) for w, rel in lamp]
        return (lambda f, wave: np.zeros_like(wave)), (lambda f: line_list)
    del n
    return None, None


def write_exposure(exp: Exposure, data_dir: Path, calib_dir: Path, *, throughput_file=True):
    """Write raw file, fibermap and calibration; return the truth per camera."""
    size = exp.size
    rng = np.random.default_rng(exp.seed)
    night_dir = Path(data_dir) / str(exp.night) / f"{exp.expid:08d}"
    night_dir.mkdir(parents=True, exist_ok=True)
    fmap = fibermap_rows(size)
    hdr_expid = exp.spec_expid if exp.spec_expid is not None else exp.expid
    primary = fits.PrimaryHDU()
    spec = fits.ImageHDU(name="SPEC")
    flavor_keys = {
        "EXPID": hdr_expid, "NIGHT": exp.night, "FLAVOR": exp.flavor,
        "OBSTYPE": exp.flavor.upper(), "PROGRAM": exp.program or "", "TILEID": 1000 + exp.expid,
        "EXPTIME": exp.exptime, "DATE-OBS": "2026-11-23T05:00:00.000", "MJD-OBS": 61367.2083,
        "AIRMASS": 1.0, "SEEING": 1.1, "SKYRA": 150.0, "SKYDEC": 30.0, "TILERA": 150.0,
        "TILEDEC": 30.0,
    }  # fmt: skip
    for key, value in flavor_keys.items():
        spec.header[key] = value
    hdus = [primary, spec]
    truth = Truth()
    for cam in exp.cameras:
        arm, specgrph = cam.camera[0], int(cam.camera[1])
        geo = GEOMETRIES[size][arm]
        nfiber = FIBERS[size][0] * FIBERS[size][1]
        flat = fiberflat_truth(size, nfiber)
        _write_calibration(Path(calib_dir), cam, size, flat, throughput_file)
        continuum, lines = _camera_sources(exp, arm, fmap, specgrph, size)
        if continuum is None:
            electrons = np.zeros(geo.trimmed_shape)
        else:
            electrons = render_electrons(size, arm, cam, continuum, lines, flat)
        # noise and digitisation
        noisy = rng.poisson(np.clip(electrons, 0, None)).astype(float)
        raw = np.zeros(geo.raw_shape)
        lit = []
        for k, amp in enumerate("ABCD"):
            sl = geo.slices(amp)
            rn, gain, bias = cam.readnoise[k], cam.gain[k], cam.bias[k]
            rmid, cmid = geo.raw_shape[0] // 2, geo.raw_shape[1] // 2
            quad_rows = slice(0, rmid) if amp in "AB" else slice(rmid, None)
            quad_cols = slice(0, cmid) if amp in "AC" else slice(cmid, None)
            shape = raw[quad_rows, quad_cols].shape
            raw[quad_rows, quad_cols] = bias + rng.normal(0, rn / gain, shape)
            data_e = noisy[sl["CCDSEC"]] + rng.normal(0, rn, noisy[sl["CCDSEC"]].shape)
            raw[sl["DATASEC"]] = bias + data_e / gain
        adu = np.clip(np.round(raw), 0, 65535).astype(np.uint16)
        # lit fraction of the digitized pixels: rounding to ADU moves pixels across the
        # 5 x read-noise threshold by up to ±2.5 % of the lit fraction at these gains
        for k, amp in enumerate("ABCD"):
            electrons_amp = (adu[geo.slices(amp)["DATASEC"]] - cam.bias[k]) * cam.gain[k]
            lit.append(float(np.mean(electrons_amp > 5 * cam.readnoise[k])))
        header = fits.Header()
        header["CAMERA"] = cam.camera
        header["SPECGRPH"] = specgrph
        header["EXPID"] = hdr_expid
        header["NIGHT"] = exp.night
        header["DETECTOR"] = f"sn22{specgrph:03d}{arm}"
        ny, nx = geo.trimmed_shape
        header["CCDSIZE"] = f"{nx},{ny}"
        for k, amp in enumerate("ABCD"):
            sl = geo.slices(amp)
            for key in ("PRESEC", "DATASEC", "BIASSEC", "ORSEC", "CCDSEC"):
                header[f"{key}{amp}"] = _fits_section(*sl[key])
            header[f"GAIN{amp}"] = cam.gain[k]
        if cam.camera.upper() not in exp.omit_hdus:
            hdus.append(fits.CompImageHDU(adu, header=header, name=cam.camera.upper(),
                                          compression_type="RICE_1"))  # fmt: skip
        truth.cameras[cam.camera] = {
            "bias": list(cam.bias), "readnoise": list(cam.readnoise), "litfrac": lit,
            "dx": cam.dx, "dy": cam.dy, "xsigma": cam.xsigma, "wsigma": cam.wsigma,
            "nfiber": nfiber, "ngood": nfiber - len(cam.dead_fibers),
            "flat": flat.tolist(), "transmission": cam.transmission,
        }  # fmt: skip
    hdus.append(fits.BinTableHDU.from_columns(
        [fits.Column(name="CAMERA", format="8A", array=np.array([c.camera for c in exp.cameras]))],
        name="SPECTCONS",
    ))  # fmt: skip
    path = night_dir / f"desi-{exp.expid:08d}.fits.fz"
    _atomic(path, lambda p: fits.HDUList(hdus).writeto(p, overwrite=True))
    if exp.flavor == "science":
        _write_fibermap(night_dir / f"fibermap-{exp.expid:08d}.fits", fmap, exp)
    return path, truth


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def _write_fibermap(path: Path, fmap: dict, exp: Exposure) -> None:
    n = len(fmap["FIBER"])
    flux = fmap["FLUX"].astype(float)
    cols = [
        fits.Column(name="FIBER", format="J", array=fmap["FIBER"]),
        fits.Column(name="PETAL_LOC", format="I", array=fmap["PETAL_LOC"]),
        fits.Column(name="OBJTYPE", format="3A", array=fmap["OBJTYPE"]),
        fits.Column(name="TARGET_CLASS", format="8A", array=fmap["TARGET_CLASS"]),
        fits.Column(name="TARGET_RA", format="D", array=np.full(n, 150.0)),
        fits.Column(name="TARGET_DEC", format="D", array=np.full(n, 30.0)),
        fits.Column(name="FLUX_G", format="E", array=flux),
        fits.Column(name="FLUX_R", format="E", array=flux),
        fits.Column(name="FLUX_Z", format="E", array=flux),
        fits.Column(name="FIBERSTATUS", format="J", array=np.zeros(n, int)),
    ]
    table = fits.BinTableHDU.from_columns(cols, name="FIBERMAP")
    table.header["TILEID"] = 1000 + exp.expid
    table.header["TELRA"] = 150.0
    table.header["TELDEC"] = 30.0
    _atomic(path, lambda p: fits.HDUList([fits.PrimaryHDU(), table]).writeto(p))


def _write_calibration(calib_dir: Path, cam: Camera, size: str, flat, with_throughput) -> None:
    arm = cam.camera[0]
    d = calib_dir / cam.camera
    d.mkdir(parents=True, exist_ok=True)
    xc, yc = legendre_coefficients(size, arm)
    lo, hi = WAVE_RANGE[arm]
    px = fits.PrimaryHDU()
    px.header["AIRORVAC"] = "vac"
    xt = fits.ImageHDU(xc, name="XTRACE")
    yt = fits.ImageHDU(yc, name="YTRACE")
    for h in (xt, yt):
        h.header["WAVEMIN"] = lo
        h.header["WAVEMAX"] = hi
    xs = fits.ImageHDU(np.full(len(xc), cam.xsigma), name="XSIGMA")
    _atomic(d / f"psf-{cam.camera}.fits",
            lambda p: fits.HDUList([px, xt, yt, xs]).writeto(p))  # fmt: skip
    wave = np.linspace(lo, hi, 200)
    ff = np.repeat(np.asarray(flat)[:, None], wave.size, axis=1)
    _atomic(d / f"fiberflat-{cam.camera}.fits", lambda p: fits.HDUList([
        fits.PrimaryHDU(), fits.ImageHDU(ff, name="FIBERFLAT"),
        fits.ImageHDU(wave, name="WAVELENGTH")]).writeto(p))  # fmt: skip
    ccd = {
        amp: {"gain": cam.gain[k], "readnoise": cam.readnoise[k], "saturation": 65000.0,
              "bias": cam.bias[k]}
        for k, amp in enumerate("ABCD")
    }  # fmt: skip
    (d / f"ccd-{cam.camera}.json").write_text(json.dumps(ccd, indent=1))
    tpath = d / f"throughput-{cam.camera}.fits"
    if with_throughput:
        w = np.linspace(lo - 20, hi + 20, 400)
        table = fits.BinTableHDU.from_columns(
            [fits.Column(name="WAVELENGTH", format="D", array=w),
             fits.Column(name="THROUGHPUT", format="D", array=throughput(w, arm))],
            name="THROUGHPUT",
        )  # fmt: skip
        table.header["GEOMAREA"] = GEOMAREA_M2
        table.header["FIBAREA"] = FIBAREA_ARCSEC2
        _atomic(tpath, lambda p: fits.HDUList([fits.PrimaryHDU(), table]).writeto(p))
    elif tpath.exists():
        tpath.unlink()


# --- truth of the sky metrics (QLF's definitions, docs/pipeline.md) ---------------------------
def _line_fnu_nmgy(wave_line: float, rayleigh: float, width: float) -> float:
    """Mean f_nu per arcsec2 (nanomaggies) of a line of ``rayleigh`` spread over ``width`` Å."""
    photons_per_A = rayleigh * RAYLEIGH_PH_ARCSEC2 / width
    return photons_per_A * H_ERG_S * wave_line / NMGY_CGS


def sky_mag_truth(lo: float, hi: float, moon_mag: float | None = None) -> float:
    """Mean surface brightness (AB mag/arcsec2) of the injected sky between lo and hi Å,
    lines included (mean f_nu over the range)."""
    wave = np.linspace(lo, hi, 2001)
    fnu = float(np.mean(sky_continuum_nmgy_arcsec2(wave, moon_mag)))
    inside = (SKY_LINES[:, 0] >= lo) & (SKY_LINES[:, 0] <= hi)
    fnu += sum(_line_fnu_nmgy(w, i, hi - lo) for w, i in SKY_LINES[inside])
    return 22.5 - 2.5 * np.log10(fnu)


def skycont_truth(windows, moon_mag: float | None = None) -> float:
    """SKYCONT: the mean flux of the windows' surface brightnesses, as a magnitude."""
    flux = np.mean([10 ** (-0.4 * (sky_mag_truth(lo, hi, moon_mag) - 22.5)) for lo, hi in windows])
    return float(22.5 - 2.5 * np.log10(flux))


def line_electrons_per_s(arm: str, waves, tol: float = 3.0, transmission: float = 1.0) -> float:
    """Sum over ``waves`` (vacuum Å) of the injected airglow within ``tol`` Å of each, e-/s
    in one fiber (flat-fielded: the fiber flat divided out)."""
    total = 0.0
    for w in waves:
        near = np.abs(SKY_LINES[:, 0] - w) <= tol
        for wave_line, intensity in SKY_LINES[near]:
            total += (intensity * RAYLEIGH_PH_ARCSEC2 * FIBAREA_ARCSEC2 * GEOMAREA_M2 * 1e4
                      * throughput(np.array([wave_line]), arm)[0])  # fmt: skip
    return total * transmission


def fidsnr_truth(
    arm: str,
    band: tuple[float, float],
    exptime: float,
    readnoise: float,
    size: str,
    moon_mag: float | None = None,
    boxcar: int = 7,
) -> float:
    """S/N per sqrt(Å) of a 22nd-magnitude source (flat f_nu) on the dark sky continuum:
    the median over the band of signal/sqrt(signal + sky + boxcar·rn²) per row, per sqrt(Å)."""
    lo, hi = band
    wave = np.linspace(lo, hi, 1000)
    x22 = 10 ** (-0.4 * (22.0 - 22.5))
    e = electrons_per_s_per_A_per_nmgy(wave, arm) * exptime
    sky = sky_continuum_nmgy_arcsec2(wave, moon_mag) * FIBAREA_ARCSEC2 * e
    _, yf, nfiber = trace_functions(size, arm)
    fine = np.linspace(*WAVE_RANGE[arm], 4000)
    dwave = np.interp(wave, fine, np.gradient(fine, yf(nfiber // 2, fine)))
    signal = x22 * e * dwave
    variance = signal + sky * dwave + boxcar * readnoise**2
    return float(np.median(signal / np.sqrt(variance) / np.sqrt(dwave)))


def snr_per_fiber_truth(arm, band, exptime, readnoise, size, mags, fibers, moon_mag=None,
                        boxcar=7):  # fmt: skip
    """Median over the band's continuum rows (sky lines masked) of the exact S/N per sqrt(Å)
    of sources of magnitudes ``mags`` (flat f_nu) in ``fibers`` (``readnoise``: per amp
    A, B, C, D, each row taking its amp's)."""
    lo, hi = band
    wave = np.linspace(lo, hi, 2000)
    _, yf, nfiber = trace_functions(size, arm)
    fine = np.linspace(*WAVE_RANGE[arm], 4000)
    dwave = np.interp(wave, fine, np.gradient(fine, yf(nfiber // 2, fine)))
    nrow, ncol = GEOMETRIES[size][arm].trimmed_shape
    upper = yf(nfiber // 2, wave) >= nrow / 2
    left = _fiber_x0(size, arm) < ncol / 2
    near_line = np.any(np.abs(wave[:, None] - SKY_LINES[None, :, 0]) < 3.5 * dwave[:, None], 1)
    e = electrons_per_s_per_A_per_nmgy(wave, arm) * exptime
    sky = sky_continuum_nmgy_arcsec2(wave, moon_mag) * FIBAREA_ARCSEC2 * e
    out = []
    rn_a, rn_b, rn_c, rn_d = readnoise
    for mag, fiber in zip(np.atleast_1d(mags), fibers, strict=True):
        rn = np.where(upper, rn_c if left[fiber] else rn_d, rn_a if left[fiber] else rn_b)
        signal = 10 ** (-0.4 * (mag - 22.5)) * e * dwave
        snr = signal / np.sqrt(signal + sky * dwave + boxcar * rn**2) / np.sqrt(dwave)
        out.append(float(np.median(snr[~near_line])))
    return np.array(out)


def fidsnr_fit_truth(arm, band, exptime, readnoise, size, targets, stars=(), moon_mag=None):
    """FIDSNR_TGT's definition applied to the exact S/N of each fiber: SNR = t·a·x/√(t(a·x+b))
    fitted to the targets (x²/SNR² linear in x), evaluated at magnitude 22; for the stars, the
    response a of each star with the targets' b (their median). ``targets``, ``stars``:
    (fiber, magnitude) pairs."""
    fib, target_mags = np.transpose(targets)
    x = 10 ** (-0.4 * (target_mags - 22.5))
    snr = snr_per_fiber_truth(
        arm, band, exptime, readnoise, size, target_mags, fib.astype(int), moon_mag
    )
    slope, intercept = np.polyfit(x, x**2 / snr**2, 1)
    a = 1 / (exptime * slope)
    b = intercept * exptime * a * a
    x22 = 10 ** (-0.4 * (22.0 - 22.5))

    def at22(a_):
        return exptime * a_ * x22 / np.sqrt(exptime * (a_ * x22 + b))

    result = {"targets": float(at22(a))}
    if len(stars):
        sfib, star_mags = np.transpose(stars)
        xs = 10 ** (-0.4 * (star_mags - 22.5))
        s2 = (
            snr_per_fiber_truth(
                arm, band, exptime, readnoise, size, star_mags, sfib.astype(int), moon_mag
            )
            ** 2
        )
        a_s = (s2 * xs + np.sqrt(s2**2 * xs**2 + 4 * exptime * xs**2 * s2 * b)) / (
            2 * exptime * xs**2
        )
        result["stars"] = float(at22(np.median(a_s)))
    return result
