"""Light sources: night sky, calibration lamps and target spectra (AB f_ν in nanomaggies).

Sky continuum and target spectra are flux densities f_ν (nanomaggies; per arcsec² for the
sky), turned into electrons by the instrument's :class:`qlf.quicklook.throughput.Throughput`
so the pipeline inverts exactly the model used here. Emission lines are integrated fluxes,
nanomaggy·Å (per arcsec² for the sky). The night sky is the measured reference sky of
:mod:`qlf.quicklook.skymodel`; every wavelength is in vacuum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qlf.quicklook.lines import ARC_LINES, ARM_RANGES, BANDS, lines_in_arm
from qlf.quicklook.skymodel import PROGRAMS, sky_band_mag, sky_continuum, sky_lines
from qlf.quicklook.throughput import band_mean

__all__ = [
    "ARC_RATE",
    "DEFAULT_EXPTIME",
    "FLAT_ROW_RATE",
    "PROGRAMS",
    "TargetSpectra",
    "arc_lines",
    "default_exptime",
    "flat_lamp",
    "sky_band_mag",
    "sky_continuum",
    "sky_lines",
]

#: Default exposure time of each flavor (science: per program), seconds.
DEFAULT_EXPTIME: dict[str, float | dict[str, float]] = {
    "zero": 0.0,
    "dark": 1200.0,
    "flat": 120.0,
    "arc": 5.0,
    "science": {"DARK": 1000.0, "GRAY": 1000.0, "BRIGHT": 300.0},
}

#: Electrons per second in an arc line of strength 1, for a fiber of throughput 1.
ARC_RATE = 16000.0
#: Electrons per row per second of the flat lamp at its peak, for a fiber of throughput 1.
FLAT_ROW_RATE = 400.0

_REF_WAVE = 6450.0
#: Grid on which band means of target spectra are taken (covers G, R and Z).
_BAND_GRID = np.arange(4100.0, 9701.0, 2.0)


def default_exptime(flavor: str, program: str | None = None) -> float:
    value = DEFAULT_EXPTIME[flavor]
    if isinstance(value, dict):
        return value[program or "DARK"]
    return value


def arc_lines(arm: str) -> np.ndarray:
    """Arc lamp lines of ``arm``: rows of (wave Å, electrons per second at throughput 1)."""
    lines = lines_in_arm(ARC_LINES, arm, margin=5.0).copy()
    lines[:, 1] *= ARC_RATE
    return lines


def flat_lamp(wave: np.ndarray, arm: str) -> np.ndarray:
    """Relative spectral shape of the continuum lamp, peak 1 (smooth, no lines)."""
    lo, hi = ARM_RANGES[arm]
    u = 2.0 * (np.asarray(wave) - lo) / (hi - lo) - 1.0
    return 0.55 + 0.45 * (1.0 - np.clip(u, -1, 1) ** 2)


# --- targets -------------------------------------------------------------------------------

# Rest-frame lines below: NIST vacuum wavelengths ([O II] 3727.09/3729.88 as their mean).
#: Rest-frame emission lines of star-forming galaxies: (wave Å, equivalent width Å).
_ELG_LINES = np.array([(3728.48, 40.0), (4862.68, 10.0), (5008.24, 15.0), (6564.61, 40.0)])
_BGS_LINES = np.array([(6564.61, 10.0)])
#: Rest-frame broad quasar lines: (wave Å, peak relative to the continuum).
_QSO_LINES = np.array([(1215.67, 2.0), (1549.06, 0.8), (1908.73, 0.5), (2798.75, 0.5),
                       (4862.68, 0.4), (6564.61, 0.8)])  # fmt: skip
#: Stellar Balmer absorption: (wave Å, depth).
_BALMER = np.array([(4102.89, 0.25), (4341.69, 0.3), (4862.68, 0.35), (6564.61, 0.4)])


def _smooth_step(wave: np.ndarray, edge: np.ndarray, width: float = 40.0) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh((wave - edge) / width))


def _continuum_shape(cls: str, wave: np.ndarray, z: np.ndarray, temp: np.ndarray) -> np.ndarray:
    """Continuum shape of targets of one class, ≈ 1 at 6450 Å. ``wave`` is (n, nwave)."""
    z = z[:, None]
    lam = wave / _REF_WAVE
    if cls == "ELG":
        return lam**0.2
    if cls in ("LRG", "BGS"):
        slope, drop = (2.0, 0.45) if cls == "LRG" else (1.2, 0.6)
        return lam**slope * (drop + (1 - drop) * _smooth_step(wave, 4000.0 * (1 + z)))
    if cls == "QSO":
        shape = lam**-0.4
        for rest, peak in _QSO_LINES:
            obs = rest * (1 + z)
            shape = shape + peak * (obs / _REF_WAVE) ** -0.4 * np.exp(
                -0.5 * ((wave - obs) / (0.01 * obs)) ** 2
            )
        forest = 0.6 + 0.4 * _smooth_step(wave, 1215.7 * (1 + z), 20.0)
        return shape * forest
    if cls in ("STAR", "MWS"):
        t = temp[:, None]
        x = 1.4388e8 / (wave * t)
        xref = 1.4388e8 / (_REF_WAVE * t)
        shape = lam**-3 * np.expm1(xref) / np.expm1(x)
        for line, depth in _BALMER:
            shape = shape * (1 - depth * np.exp(-0.5 * ((wave - line) / 6.0) ** 2))
        return shape
    return np.zeros_like(wave)


@dataclass(frozen=True)
class TargetSpectra:
    """Spectral model of a set of fibers (``SKY`` and ``''`` fibers carry no target light).

    Attributes
    ----------
    target_class : ndarray of str, shape (n,)
    scale : ndarray, shape (n,)
        Continuum level at 6450 Å, nanomaggies.
    redshift : ndarray, shape (n,)
    temperature : ndarray, shape (n,)
        Stellar effective temperature, K (stars only).
    """

    target_class: np.ndarray
    scale: np.ndarray
    redshift: np.ndarray
    temperature: np.ndarray

    def __len__(self) -> int:
        return len(self.target_class)

    def subset(self, index: np.ndarray | slice) -> TargetSpectra:
        return TargetSpectra(
            self.target_class[index], self.scale[index], self.redshift[index],
            self.temperature[index],
        )  # fmt: skip

    def continuum(self, wave: np.ndarray) -> np.ndarray:
        """f_ν of each target at its own wavelengths ``wave`` (n, nwave), nanomaggies."""
        wave = np.atleast_2d(np.asarray(wave, dtype=float))
        if wave.shape[0] == 1 and len(self) != 1:
            wave = np.broadcast_to(wave, (len(self), wave.shape[1]))
        out = np.zeros(wave.shape)
        for cls in np.unique(self.target_class):
            sel = self.target_class == cls
            shape = _continuum_shape(str(cls), wave[sel], self.redshift[sel], self.temperature[sel])
            out[sel] = self.scale[sel, None] * shape
        return out

    def lines(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Narrow emission lines: (target index, observed wave Å, flux nanomaggy·Å)."""
        index, wave, flux = [], [], []
        for cls, table in (("ELG", _ELG_LINES), ("BGS", _BGS_LINES)):
            sel = np.flatnonzero(self.target_class == cls)
            if sel.size == 0:
                continue
            z = self.redshift[sel]
            for rest, ew in table:
                obs = rest * (1 + z)
                level = self.scale[sel] * _continuum_shape(cls, obs[:, None], z, z)[:, 0]
                index.append(sel)
                wave.append(obs)
                flux.append(ew * (1 + z) * level)
        if not index:
            empty = np.zeros(0)
            return empty.astype(int), empty, empty
        return np.concatenate(index), np.concatenate(wave), np.concatenate(flux)

    def band_fluxes(self) -> dict[str, np.ndarray]:
        """Top-hat band means of f_ν (lines included) in G, R, Z: the fibermap fluxes."""
        index, lwave, lflux = self.lines()
        arms = (("b", "G"), ("r", "R"), ("z", "Z"))
        out = {band: np.empty(len(self)) for _, band in arms}
        for start in range(0, len(self), 500):
            cont = self.subset(slice(start, start + 500)).continuum(_BAND_GRID)
            for arm, band in arms:
                out[band][start : start + 500] = band_mean(_BAND_GRID, cont, arm)
        step = _BAND_GRID[1] - _BAND_GRID[0]
        for arm, band in arms:
            _, lo, hi = BANDS[arm]
            inband = (lwave >= lo) & (lwave <= hi)
            grid = _BAND_GRID
            width = np.count_nonzero((grid >= lo) & (grid <= hi)) * step
            np.add.at(out[band], index[inband], lflux[inband] / width)
        return out
