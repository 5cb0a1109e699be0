"""Throughput: photo-electrons for a given flux, and its inverse (DESIGN.md 4.3).

One model serves both sides: the simulator turns fibermap fluxes and sky brightness into
electrons with it, and the pipeline turns extracted electrons back into magnitudes
(DELTAMAG_TGT, FIDSNR_TGT, SKYCONT, SKYRBAND). Fluxes are AB flux densities f_ν in nanomaggies
(mag = 22.5 − 2.5 log10 f), wavelengths vacuum Å.

A camera's throughput is its calibration file ``throughput-{camera}.fits`` when there is one
(HDU ``THROUGHPUT``: columns ``WAVELENGTH`` (vacuum Å) and ``THROUGHPUT`` (end to end, 0–1,
atmosphere at the header's ``AIRMASS`` included); header ``GEOMAREA`` (m²) and ``FIBAREA``
(arcsec²) override the built-in areas), else the built-in model below. :attr:`Throughput.source`
names which, and the QA JSON records it in ``PARAMS["THROUGHPUT"]``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from astropy.io import fits

from qlf.quicklook.lines import ARM_RANGES, BANDS, RAYLEIGH_PHOTONS
from qlf.quicklook.stats import nanmean

__all__ = [
    "BUILT_IN",
    "FIBER_AREA_ARCSEC2",
    "TELESCOPE_AREA_CM2",
    "Throughput",
    "band_mean",
    "nanomaggies_to_mag",
    "rayleigh_to_nmgy_angstrom",
    "read_throughput",
    "throughput",
    "write_throughput",
]

#: Collecting area of the Mayall 4-m with its central obstruction (DESI: 8.678 m²), cm².
TELESCOPE_AREA_CM2 = 8.678e4
#: Sky area of one fiber (1.5 arcsec diameter), arcsec².
FIBER_AREA_ARCSEC2 = np.pi * 0.75**2
#: Photons s⁻¹ cm⁻² Å⁻¹ from 1 nanomaggy at 1 Å: 3.631e-29 erg s⁻¹ cm⁻² Hz⁻¹ / h.
_PHOTONS_PER_NMGY = 3.631e-29 / 6.62607015e-27
#: Peak end-to-end throughput (atmosphere, telescope, fiber, spectrograph, CCD).
_PEAK_THROUGHPUT = {"b": 0.30, "r": 0.36, "z": 0.32}
#: How the built-in model is named in the QA.
BUILT_IN = "built-in model"


def throughput(wave: np.ndarray, arm: str) -> np.ndarray:
    """Built-in end-to-end throughput at ``wave`` (Å) for ``arm``: a dome, 45 % of peak at edges."""
    lo, hi = ARM_RANGES[arm]
    t = 2.0 * (np.asarray(wave, dtype=float) - lo) / (hi - lo) - 1.0
    t2 = np.square(np.clip(t, -1, 1))
    return _PEAK_THROUGHPUT[arm] * (1.0 - 0.55 * t2 * t2)


@dataclass(frozen=True)
class Throughput:
    """End-to-end throughput of one camera and the areas that go with it.

    ``wave``/``values`` tabulate the curve (linear interpolation, 0 outside); None means the
    built-in model of ``arm``.
    """

    arm: str
    source: str = BUILT_IN
    wave: np.ndarray | None = None
    values: np.ndarray | None = None
    area_cm2: float = TELESCOPE_AREA_CM2
    fiber_area_arcsec2: float = FIBER_AREA_ARCSEC2

    def __call__(self, wave: np.ndarray | float) -> np.ndarray:
        if self.wave is None:
            return throughput(wave, self.arm)
        return np.interp(np.asarray(wave, dtype=float), self.wave, self.values, left=0, right=0)

    def scaled(self, factor: float, source: str) -> Throughput:
        """This throughput times ``factor`` (an instrument more or less efficient), tabulated."""
        grid = np.arange(*ARM_RANGES[self.arm], 1.0)
        return Throughput(
            self.arm, source, grid, factor * self(grid), self.area_cm2, self.fiber_area_arcsec2
        )

    def electrons_per_angstrom(
        self, wave: np.ndarray, *, exptime: float, fnu_nmgy: np.ndarray | float = 1.0
    ) -> np.ndarray:
        """Photo-electrons per Å detected from a source of flux density ``fnu_nmgy``.

        A source of constant f_ν delivers f_ν / (h λ) photons s⁻¹ cm⁻² Å⁻¹.
        """
        wave = np.asarray(wave, dtype=float)
        photons = _PHOTONS_PER_NMGY / wave * self.area_cm2 * exptime
        return np.asarray(fnu_nmgy) * photons * self(wave)

    def line_electrons_per_second(self, wave: np.ndarray, rayleigh: np.ndarray) -> np.ndarray:
        """Electrons s⁻¹ in one fiber from sky lines of ``rayleigh`` at ``wave`` (Å)."""
        photons = np.asarray(rayleigh, dtype=float) * RAYLEIGH_PHOTONS
        return photons * self.area_cm2 * self.fiber_area_arcsec2 * self(wave)


def rayleigh_to_nmgy_angstrom(wave: np.ndarray, rayleigh: np.ndarray) -> np.ndarray:
    """Integrated line flux, nanomaggy·Å per arcsec², of lines of ``rayleigh`` at ``wave``."""
    return np.asarray(rayleigh) * RAYLEIGH_PHOTONS * np.asarray(wave) / _PHOTONS_PER_NMGY


def read_throughput(path: Path | str, arm: str | None = None) -> Throughput:
    """Read ``throughput-{camera}.fits`` (arm from the name unless given).

    A ValueError names the file and the bad field.
    """
    path = Path(path)
    arm = arm or path.stem.rsplit("-", 1)[-1][:1]
    if arm not in ARM_RANGES:
        raise ValueError(f"{path}: no arm (b, r, z) in the name; expected throughput-{{camera}}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with fits.open(path, memmap=False) as hdul:
                if "THROUGHPUT" not in hdul:
                    raise ValueError(f"{path} [THROUGHPUT]: missing HDU")
                hdu = hdul["THROUGHPUT"]
                header = hdu.header
                columns = {}
                for name in ("WAVELENGTH", "THROUGHPUT"):
                    if hdu.columns is None or name not in hdu.columns.names:
                        raise ValueError(f"{path} [THROUGHPUT.{name}]: missing column")
                    columns[name] = np.asarray(hdu.data[name], dtype=float)
                areas = {}
                for key, default, scale in (
                    ("GEOMAREA", TELESCOPE_AREA_CM2, 1e4),
                    ("FIBAREA", FIBER_AREA_ARCSEC2, 1.0),
                ):
                    value = header.get(key, hdul[0].header.get(key))
                    if value is None:
                        areas[key] = default
                        continue
                    if not isinstance(value, int | float) or not value > 0:
                        raise ValueError(f"{path} [{key}]: not a positive number: {value!r}")
                    areas[key] = float(value) * scale
    except (OSError, TypeError, AttributeError, Warning) as exc:
        raise ValueError(f"{path}: not a readable throughput file ({exc})") from exc
    wave, values = columns["WAVELENGTH"], columns["THROUGHPUT"]
    if wave.size < 2 or not np.all(np.isfinite(wave)) or np.any(np.diff(wave) <= 0):
        raise ValueError(f"{path} [WAVELENGTH]: needs ≥ 2 finite, increasing wavelengths")
    if not np.all(np.isfinite(values)) or values.min() < 0 or values.max() > 1:
        raise ValueError(f"{path} [THROUGHPUT]: values must lie in 0–1")
    return Throughput(
        arm, f"file:{path.name}", wave, values, areas["GEOMAREA"], areas["FIBAREA"]
    )  # fmt: skip


def write_throughput(
    path: Path | str, model: Throughput, *, airmass: float = 1.0, header: dict | None = None
) -> Path:
    """Write ``model`` as a ``throughput-{camera}.fits`` file (DESIGN.md 4.3)."""
    grid = model.wave if model.wave is not None else np.arange(*ARM_RANGES[model.arm], 1.0)
    table = fits.BinTableHDU.from_columns(
        [
            fits.Column("WAVELENGTH", "D", unit="Angstrom", array=grid),
            fits.Column("THROUGHPUT", "D", array=model(grid)),
        ],
        name="THROUGHPUT",
    )
    table.header["GEOMAREA"] = (model.area_cm2 / 1e4, "collecting area, m2")
    table.header["FIBAREA"] = (model.fiber_area_arcsec2, "sky area of a fiber, arcsec2")
    table.header["AIRMASS"] = (airmass, "airmass of the atmosphere included")
    table.header["AIRORVAC"] = ("vac", "wavelengths in vacuum")
    primary = fits.PrimaryHDU()
    for key, value in (header or {}).items():
        primary.header[key] = value
    fits.HDUList([primary, table]).writeto(path, overwrite=True)
    return Path(path)


def band_mean(wave: np.ndarray, fnu: np.ndarray, arm: str) -> np.ndarray:
    """Mean f_ν over the arm's broad band (top hat); ``fnu`` may be (nspec, nwave)."""
    _, lo, hi = BANDS[arm]
    inband = (wave >= lo) & (wave <= hi)
    return nanmean(np.asarray(fnu)[..., inband], axis=-1)


def nanomaggies_to_mag(flux: np.ndarray | float) -> np.ndarray:
    """AB magnitude of a flux in nanomaggies (NaN for non-positive flux)."""
    flux = np.asarray(flux, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(flux > 0, 22.5 - 2.5 * np.log10(flux), np.nan)
