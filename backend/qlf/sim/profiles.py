"""Instrument profiles: CCD geometry, amplifier sections and fiber layout (DESIGN.md 4.1).

``desi`` reproduces the DESI cameras (4096-pixel CCDs, 500 fibers per spectrograph); ``mini``
has the same layout, keywords and wavelength ranges on a few hundred pixels per amp and 25
fibers, so tests run in milliseconds. Coordinates: raw and trimmed images are indexed
``[row, column]`` (numpy, 0-indexed); section keywords are FITS ``[x1:x2,y1:y2]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from qlf.quicklook.io.sections import format_section

__all__ = [
    "AMPS",
    "ARMS",
    "PROFILES",
    "ArmGeometry",
    "Profile",
    "camera_names",
    "get_profile",
    "parse_cameras",
    "select_cameras",
]

#: Amplifier names in truth/array order; laid out C D over A B.
AMPS = ("A", "B", "C", "D")
#: Spectrograph arms in camera order.
ARMS = ("b", "r", "z")

_SECTION_KEYS = ("PRESEC", "DATASEC", "BIASSEC", "ORSEC", "CCDSEC")


@dataclass(frozen=True)
class ArmGeometry:
    """Raw and trimmed geometry of one arm's CCD (all four amps alike).

    The raw image is, from the bottom: one blank row, amp A/B data rows, A/B overscan rows,
    C/D overscan rows, C/D data rows, one blank row; from the left: prescan, amp A/C data,
    A/C overscan columns, B/D overscan columns, B/D data, prescan.
    """

    arm: str
    prescan: int
    ncols_amp: int
    nrows_amp: int
    overscan_cols: int
    overscan_rows: int
    #: Cross-dispersion Gaussian σ, pixels.
    xsigma: float

    @property
    def raw_shape(self) -> tuple[int, int]:
        """(rows, columns) of the raw image."""
        rows = 2 * (1 + self.nrows_amp + self.overscan_rows)
        cols = 2 * (self.prescan + self.ncols_amp + self.overscan_cols)
        return rows, cols

    @property
    def trimmed_shape(self) -> tuple[int, int]:
        """(rows, columns) once prescan and overscan are removed."""
        return 2 * self.nrows_amp, 2 * self.ncols_amp

    def quadrant(self, amp: str) -> tuple[slice, slice]:
        """The raw pixels read out by ``amp``: its data, prescan, overscan and blank row."""
        rows, cols = self.raw_shape
        rmid, cmid = rows // 2, cols // 2
        rsl = slice(0, rmid) if amp in "AB" else slice(rmid, rows)
        csl = slice(0, cmid) if amp in "AC" else slice(cmid, cols)
        return rsl, csl

    def sections(self, amp: str) -> dict[str, tuple[slice, slice]]:
        """Numpy (rows, columns) slices of PRESEC, DATASEC, BIASSEC, ORSEC and CCDSEC."""
        if amp not in AMPS:
            raise ValueError(f"unknown amp {amp!r}: expected one of {', '.join(AMPS)}")
        nrow, ncol = self.nrows_amp, self.ncols_amp
        pre, ocol, orow = self.prescan, self.overscan_cols, self.overscan_rows
        rows, cols = self.raw_shape
        if amp in "AB":
            data_rows = slice(1, 1 + nrow)
            or_rows = slice(1 + nrow, 1 + nrow + orow)
            ccd_rows = slice(0, nrow)
        else:
            data_rows = slice(rows - 1 - nrow, rows - 1)
            or_rows = slice(rows // 2, rows // 2 + orow)
            ccd_rows = slice(nrow, 2 * nrow)
        if amp in "AC":
            pre_cols = slice(0, pre)
            data_cols = slice(pre, pre + ncol)
            bias_cols = slice(pre + ncol, pre + ncol + ocol)
            ccd_cols = slice(0, ncol)
        else:
            bias_cols = slice(cols // 2, cols // 2 + ocol)
            data_cols = slice(cols // 2 + ocol, cols // 2 + ocol + ncol)
            pre_cols = slice(cols - pre, cols)
            ccd_cols = slice(ncol, 2 * ncol)
        return {
            "PRESEC": (data_rows, pre_cols),
            "DATASEC": (data_rows, data_cols),
            "BIASSEC": (data_rows, bias_cols),
            "ORSEC": (or_rows, data_cols),
            "CCDSEC": (ccd_rows, ccd_cols),
        }

    def section_keywords(self) -> dict[str, str]:
        """Header keywords ``PRESECA`` … ``CCDSECD`` as FITS section strings."""
        out = {}
        for amp in AMPS:
            secs = self.sections(amp)
            for key in _SECTION_KEYS:
                out[f"{key}{amp}"] = format_section(*secs[key])
        return out

    @property
    def ccdsize(self) -> str:
        """``CCDSIZE`` keyword: trimmed columns,rows."""
        nrow, ncol = self.trimmed_shape
        return f"{ncol},{nrow}"


@dataclass(frozen=True)
class Profile:
    """A simulated instrument: geometry of each arm and the fiber slit layout.

    Attributes
    ----------
    nbundle, fibers_per_bundle : int
        Fibers per spectrograph = ``nbundle * fibers_per_bundle``.
    pitch : float
        Centre-to-centre spacing of fibers in a bundle, pixels.
    bundle_gap : float
        Centre-to-centre spacing of the edge fibers of neighbouring bundles, pixels.
    curvature : float
        Bow of the outermost traces between the centre and the ends of the CCD, pixels.
    row_margin : int
        Rows left unilluminated at each end of the wavelength range.
    """

    name: str
    arms: dict[str, ArmGeometry]
    nspectrograph: int
    nbundle: int
    fibers_per_bundle: int
    pitch: float
    bundle_gap: float
    curvature: float
    row_margin: int
    #: Along-dispersion Gaussian σ, pixels.
    wsigma: float = 1.0
    #: Cosmic-ray track length range, pixels, and the saturated-blob radius, pixels.
    max_track: int = 8
    blob_radius: float = 25.0

    @property
    def nfiber(self) -> int:
        """Fibers per spectrograph."""
        return self.nbundle * self.fibers_per_bundle

    def fiber_columns(self, arm: str) -> np.ndarray:
        """Nominal trimmed-image column of each fiber at the centre of the CCD, shape (nfiber,)."""
        bundle = np.repeat(np.arange(self.nbundle), self.fibers_per_bundle)
        within = np.tile(np.arange(self.fibers_per_bundle), self.nbundle)
        bundle_width = (self.fibers_per_bundle - 1) * self.pitch
        offset = bundle * (bundle_width + self.bundle_gap) + within * self.pitch
        span = offset[-1]
        centre = self.arms[arm].trimmed_shape[1] / 2.0 - 0.5
        return centre - span / 2.0 + offset


def _desi() -> Profile:
    blue = ArmGeometry("b", 4, 2048, 2048, 64, 32, 1.05)
    red = ArmGeometry("r", 7, 2057, 2064, 64, 32, 1.05)
    nir = ArmGeometry("z", 7, 2057, 2064, 64, 32, 1.10)
    return Profile(
        name="desi",
        arms={"b": blue, "r": red, "z": nir},
        nspectrograph=10,
        nbundle=20,
        fibers_per_bundle=25,
        pitch=7.25,
        bundle_gap=17.5,
        curvature=20.0,
        row_margin=24,
        max_track=8,
        blob_radius=25.0,
    )


def _mini() -> Profile:
    blue = ArmGeometry("b", 4, 150, 200, 32, 16, 1.05)
    red = ArmGeometry("r", 7, 150, 200, 32, 16, 1.05)
    nir = ArmGeometry("z", 7, 150, 200, 32, 16, 1.10)
    return Profile(
        name="mini",
        arms={"b": blue, "r": red, "z": nir},
        nspectrograph=10,
        nbundle=5,
        fibers_per_bundle=5,
        pitch=7.25,
        bundle_gap=17.5,
        curvature=2.0,
        row_margin=4,
        max_track=5,
        blob_radius=6.0,
    )


PROFILES: dict[str, Profile] = {"desi": _desi(), "mini": _mini()}


def get_profile(name: str | Profile) -> Profile:
    """The profile called ``name`` (a :class:`Profile` passes through)."""
    if isinstance(name, Profile):
        return name
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(
            f"unknown profile {name!r}: expected one of {', '.join(PROFILES)}"
        ) from None


def camera_names(profile: Profile) -> list[str]:
    """Every camera of the profile: b0..b9, r0..r9, z0..z9."""
    return [f"{arm}{spec}" for arm in ARMS for spec in range(profile.nspectrograph)]


_CAMERA = re.compile(r"^([brz])(\d)$")


def parse_cameras(text: str, profile: Profile) -> list[str]:
    """``'b0,r0,z1'`` → validated camera names in instrument order."""
    wanted = {token.strip().lower() for token in text.split(",") if token.strip()}
    if not wanted:
        raise ValueError("--cameras: no camera given")
    known = camera_names(profile)
    bad = sorted(c for c in wanted if c not in known)
    if bad:
        raise ValueError(f"--cameras: unknown camera(s) {', '.join(bad)} (expected e.g. b0, r9)")
    return [c for c in known if c in wanted]


def _parse_int_ranges(text: str, what: str) -> set[int]:
    out: set[int] = set()
    for token in text.split(","):
        token = token.strip()
        if not token:
            continue
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", token)
        if not match:
            raise ValueError(f"{what}: malformed {token!r}: expected N or N-M")
        lo = int(match.group(1))
        hi = int(match.group(2) or lo)
        if hi < lo:
            raise ValueError(f"{what}: empty range {token!r}")
        out.update(range(lo, hi + 1))
    return out


def select_cameras(
    profile: Profile,
    *,
    cameras: str | None = None,
    arms: str | None = None,
    spectrographs: str | None = None,
) -> list[str]:
    """Cameras chosen by a list (``'b0,r0'``) or by arms (``'br'``) × spectrographs (``'0-2'``)."""
    if cameras:
        if arms or spectrographs:
            raise ValueError("give either --cameras or --arms/--spectrographs, not both")
        return parse_cameras(cameras, profile)
    arm_set = set((arms or "".join(ARMS)).replace(",", "").lower())
    bad_arms = sorted(arm_set - set(ARMS))
    if bad_arms:
        raise ValueError(f"--arms: unknown arm(s) {', '.join(bad_arms)} (expected b, r, z)")
    if spectrographs:
        specs = _parse_int_ranges(spectrographs, "--spectrographs")
        bad = sorted(s for s in specs if s >= profile.nspectrograph)
        if bad:
            raise ValueError(f"--spectrographs: {bad} out of range 0-{profile.nspectrograph - 1}")
    else:
        specs = set(range(profile.nspectrograph))
    return [c for c in camera_names(profile) if c[0] in arm_set and int(c[1]) in specs]
