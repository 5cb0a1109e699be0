"""Targets of a tile: the fibermap (DESIGN.md 4.2) and the spectrum behind every fiber.

Fibermap fluxes are computed from the same spectral model the exposure is rendered with
(top-hat band means of f_ν, lines included), so magnitudes measured by the pipeline agree
with the fibermap by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy.table import Table

from qlf.sim.profiles import Profile
from qlf.sim.spectra import PROGRAMS, TargetSpectra

__all__ = ["CLASS_MIX", "MAG_RANGES", "Tile", "make_tile"]

#: Share of each target class among the non-sky, non-standard fibers, per program.
CLASS_MIX: dict[str, dict[str, float]] = {
    "DARK": {"ELG": 0.64, "LRG": 0.21, "QSO": 0.15},
    "GRAY": {"ELG": 0.82, "LRG": 0.09, "QSO": 0.09},
    "BRIGHT": {"BGS": 0.7, "MWS": 0.3},
}
#: r-band magnitude range of each class (uniform).
MAG_RANGES: dict[str, tuple[float, float]] = {
    "ELG": (21.5, 23.2),
    "LRG": (20.5, 22.3),
    "QSO": (20.0, 22.5),
    "BGS": (16.5, 19.5),
    "MWS": (16.0, 19.0),
    "STAR": (16.5, 18.5),
}
_SKY_FRACTION = 0.10
_STD_FRACTION = 0.04
_TILE_RADIUS_DEG = 1.6


@dataclass(frozen=True)
class Tile:
    """A tile: its fibermap (all spectrographs) and the spectral model of each fiber.

    ``spectra`` is indexed like the fibermap rows (row = FIBER).
    """

    tileid: int
    program: str
    ra: float
    dec: float
    fibermap: Table
    spectra: TargetSpectra

    def petal(self, spectrograph: int, nfiber: int) -> TargetSpectra:
        """Spectral model of the fibers of one spectrograph, in fiber order."""
        return self.spectra.subset(slice(spectrograph * nfiber, (spectrograph + 1) * nfiber))

    @property
    def header(self) -> dict[str, float | int]:
        return {"TILEID": self.tileid, "TELRA": self.ra, "TELDEC": self.dec}


def make_tile(profile: Profile, *, tileid: int, program: str, seed: int = 0) -> Tile:
    """Targets for every fiber of ``profile``'s spectrographs, deterministic in (seed, tileid)."""
    if program not in PROGRAMS:
        raise ValueError(f"unknown program {program!r}: expected one of {', '.join(PROGRAMS)}")
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), int(tileid), 4242]))
    ra = float(rng.uniform(0.0, 360.0))
    dec = float(np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(-10)), np.sin(np.radians(70))))))
    nfiber = profile.nfiber
    classes = np.concatenate(
        [_petal_classes(nfiber, program, rng) for _ in range(profile.nspectrograph)]
    )
    ntotal = classes.size
    petal = np.repeat(np.arange(profile.nspectrograph), nfiber)

    # Positions: petal p covers the 36° sector p of the tile, uniform in area.
    theta = np.radians(36.0 * (petal + rng.uniform(0.02, 0.98, ntotal)))
    radius = _TILE_RADIUS_DEG * np.sqrt(rng.uniform(0.0, 1.0, ntotal))
    tdec = dec + radius * np.sin(theta)
    tra = (ra + radius * np.cos(theta) / np.cos(np.radians(tdec))) % 360.0

    redshift = np.zeros(ntotal)
    temperature = np.full(ntotal, 6000.0)
    zranges = {"ELG": (0.6, 1.6), "LRG": (0.4, 1.0), "QSO": (0.8, 3.0), "BGS": (0.05, 0.4)}
    for cls, (lo, hi) in zranges.items():
        sel = classes == cls
        redshift[sel] = rng.uniform(lo, hi, sel.sum())
    for cls, (lo, hi) in (("MWS", (4500.0, 7500.0)), ("STAR", (5800.0, 6600.0))):
        sel = classes == cls
        temperature[sel] = rng.uniform(lo, hi, sel.sum())
    mag_r = np.full(ntotal, np.nan)
    for cls, (lo, hi) in MAG_RANGES.items():
        sel = classes == cls
        mag_r[sel] = rng.uniform(lo, hi, sel.sum())

    unit = TargetSpectra(classes, np.ones(ntotal), redshift, temperature)
    unit_flux = unit.band_fluxes()
    has_light = ~np.isnan(mag_r)
    scale = np.zeros(ntotal)
    scale[has_light] = 10 ** (-0.4 * (mag_r[has_light] - 22.5)) / unit_flux["R"][has_light]
    spectra = TargetSpectra(classes, scale, redshift, temperature)

    objtype = np.where(classes == "SKY", "SKY", np.where(classes == "STAR", "STD", "TGT"))
    table = Table()
    table["FIBER"] = np.arange(ntotal, dtype=np.int32)
    table["PETAL_LOC"] = petal.astype(np.int16)
    table["OBJTYPE"] = objtype.astype("U3")
    table["TARGET_CLASS"] = classes.astype("U5")
    table["TARGET_RA"] = tra
    table["TARGET_DEC"] = tdec
    for band in ("G", "R", "Z"):
        table[f"FLUX_{band}"] = (unit_flux[band] * scale).astype(np.float32)
    table["FIBERSTATUS"] = np.zeros(ntotal, dtype=np.int32)
    tile = Tile(int(tileid), program, ra, dec, table, spectra)
    table.meta.update(tile.header)
    return tile


def _petal_classes(nfiber: int, program: str, rng: np.random.Generator) -> np.ndarray:
    nsky = max(3, round(_SKY_FRACTION * nfiber))
    nstd = max(1, round(_STD_FRACTION * nfiber))
    mix = CLASS_MIX[program]
    names = list(mix)
    drawn = rng.choice(names, size=nfiber - nsky - nstd, p=np.array(list(mix.values())))
    classes = np.concatenate([np.full(nsky, "SKY"), np.full(nstd, "STAR"), drawn]).astype("U5")
    return rng.permutation(classes)
