"""Everything the QA metrics of one camera draw on, computed once and only when first needed.

A metric asks for ``products.extraction`` or ``products.sky``; the chain beneath it (preproc →
trace shift → extraction → line fits → fiber flat → sky → flux calibration) runs on demand, so
a zero exposure never extracts and a failing product fails only the metrics that need it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from qlf.quicklook import lines as linelists
from qlf.quicklook.io.raw import CameraFrame
from qlf.quicklook.psf import TraceSet
from qlf.quicklook.stats import nanmedian
from qlf.quicklook.steps.extract import Extraction, extract_boxcar
from qlf.quicklook.steps.preproc import PreprocResult
from qlf.quicklook.steps.preproc import preproc as run_preproc
from qlf.quicklook.steps.sky import SkyModel, subtract_sky
from qlf.quicklook.steps.spectra import apply_fiberflat, per_angstrom
from qlf.quicklook.steps.traces import LineFits, XShift, fit_lines, measure_xshift
from qlf.quicklook.throughput import Throughput

__all__ = ["CameraCalibration", "CameraProducts", "ExposureInfo"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExposureInfo:
    expid: int
    night: int
    flavor: str
    program: str | None
    exptime: float
    header: dict
    #: path, SPEC and camera-HDU identity (:class:`qlf.quicklook.identity.Identity`)
    identity: Any = None


@dataclass
class CameraCalibration:
    """The calibration of one camera; any part may be missing (None) with a reason."""

    camera: str
    psf: TraceSet | None = None
    fiberflat: np.ndarray | None = None
    fiberflat_wave: np.ndarray | None = None
    amps: dict[str, dict] | None = None
    missing: dict[str, str] | None = None
    #: the throughput file, or None for the built-in model
    throughput: Throughput | None = None

    def require_psf(self) -> TraceSet:
        if self.psf is None:
            raise ValueError(f"{self.camera}: no PSF calibration ({self.why_missing('psf')})")
        return self.psf

    def why_missing(self, part: str) -> str:
        return (self.missing or {}).get(part, "not provided")

    def amp_values(self, key: str, amp_names: list[str]) -> list[float] | None:
        """A per-amp calibration value in ``amp_names`` order, or None if any is missing."""
        if not self.amps:
            return None
        values = [self.amps.get(name, {}).get(key) for name in amp_names]
        return None if any(v is None for v in values) else [float(v) for v in values]


class CameraProducts:
    """Lazily computed products of one camera of one exposure."""

    def __init__(
        self,
        frame: CameraFrame,
        info: ExposureInfo,
        calibration: CameraCalibration,
        *,
        fibermap: np.ndarray | None = None,
    ):
        self.frame = frame
        self.info = info
        self.calibration = calibration
        self.fibermap = fibermap
        self.camera = frame.camera
        self.arm = frame.camera[0]
        self.spectrograph = int(frame.camera[1:])
        self._memo: dict[str, Any] = {}

    def memo(self, name: str, compute: Callable[[CameraProducts], Any]) -> Any:
        """``compute(self)``, evaluated once: for products that several metrics share."""
        if name not in self._memo:
            self._memo[name] = compute(self)
        return self._memo[name]

    @cached_property
    def throughput(self) -> Throughput:
        """The camera's throughput: its calibration file, else the built-in model."""
        return self.calibration.throughput or Throughput(self.arm)

    @cached_property
    def preproc(self) -> PreprocResult:
        names = self.frame.amp_names
        dark = self.calibration.amp_values("dark_current", names)  # e-/pixel/hour
        exposed = max(self.info.exptime, 0.0) / 3600.0
        return run_preproc(
            self.frame,
            gains=self.calibration.amp_values("gain", names),
            saturation=self.calibration.amp_values("saturation", names),
            dark_electrons=[d * exposed for d in dark] if dark else None,
        )

    @cached_property
    def psf(self) -> TraceSet:
        return self.calibration.require_psf()

    @cached_property
    def calib_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Calibration trace centre and wavelength of every fiber at every row, (nfiber, nrow)."""
        return self.psf.x_at_rows(self.preproc.image.shape[0])

    @cached_property
    def calib_x(self) -> np.ndarray:
        return self.calib_rows[0]

    @cached_property
    def xshift(self) -> XShift:
        return measure_xshift(self.preproc.image, self.calib_x)

    @cached_property
    def shifted_psf(self) -> TraceSet:
        dx = self.xshift.dx if np.isfinite(self.xshift.dx) else 0.0
        return self.psf.shifted(dx=dx)

    @cached_property
    def extraction(self) -> Extraction:
        pre = self.preproc
        dx = self.xshift.dx if np.isfinite(self.xshift.dx) else 0.0
        return extract_boxcar(
            pre.image,
            self.calib_x + dx,
            bad_pixels=pre.bad_pixels,
            readnoise=float(np.mean(pre.readnoise_e)),
        )

    @cached_property
    def line_list(self) -> np.ndarray:
        """Bright isolated lines of this arm: arc lamps for arcs, the night sky otherwise."""
        source = linelists.ARC_LINES if self.info.flavor == "arc" else linelists.SKY_LINES
        in_arm = linelists.lines_in_arm(source, self.arm)
        dwave = np.abs(np.gradient(self.calib_rows[1][0]))
        # ≥ 8 rows apart so fits do not blend, and a fixed floor in Å so that every
        # instrument size measures the same lines
        min_sep = max(8 * float(nanmedian(dwave)), linelists.LINE_ISOLATION_A)
        isolated = linelists.isolated_lines(in_arm, min_sep)
        if self.info.flavor == "arc":  # isolated in the list, but blended in the real lamps
            isolated = isolated[~np.isin(isolated[:, 0], linelists.BLENDED_ARC_LINES)]
        return isolated

    @cached_property
    def line_fits(self) -> LineFits:
        return fit_lines(
            self.preproc.image, self.extraction, self.shifted_psf, self.line_list[:, 0]
        )

    @cached_property
    def dy(self) -> float:
        """Along-dispersion trace offset (rows); 0 when no line could be measured."""
        dy = self.line_fits.median_dy() if self.line_list.size else float("nan")
        return dy

    @cached_property
    def wave(self) -> np.ndarray:
        """Wavelength of every fiber at every row, with the measured shifts applied."""
        dy = self.dy if np.isfinite(self.dy) else 0.0
        # traces moved down by dy rows: row r now sees what the calibration put at r − dy
        calib_wave = self.calib_rows[1]
        return calib_wave - dy * np.gradient(calib_wave, axis=1)

    @cached_property
    def dwave(self) -> np.ndarray:
        """|dλ/drow| of every fiber at every row, Å: the wavelength width of each sample."""
        return np.abs(np.gradient(self.wave, axis=1))

    @cached_property
    def flux_per_angstrom(self) -> tuple[np.ndarray, np.ndarray]:
        """Extracted flux and variance per Å, cosmic-hit rows set to NaN."""
        ext = self.extraction
        return (
            per_angstrom(ext.flux, self.dwave, masked=ext.masked),
            per_angstrom(ext.variance, self.dwave, masked=ext.masked, power=2),
        )

    @cached_property
    def flatfielded(self) -> tuple[np.ndarray, np.ndarray]:
        """Flux and variance per Å divided by the calibration fiber flat."""
        flux, variance = self.flux_per_angstrom
        cal = self.calibration
        if cal.fiberflat is None:
            raise ValueError(
                f"{self.camera}: no fiber-flat calibration ({cal.why_missing('fiberflat')})"
            )
        ones = np.ones_like(flux)
        flat = apply_fiberflat(ones, self.wave, cal.fiberflat, cal.fiberflat_wave)
        return flux * flat, variance * flat**2

    @cached_property
    def fibers(self) -> np.ndarray:
        """This camera's rows of the fibermap, in fiber order; raises without a fibermap."""
        if self.fibermap is None:
            raise ValueError(f"{self.camera}: no fibermap for exposure {self.info.expid}")
        mine = self.fibermap[self.fibermap["PETAL_LOC"] == self.spectrograph]
        mine = mine[np.argsort(mine["FIBER"])]
        if len(mine) != self.psf.nfiber:
            raise ValueError(
                f"{self.camera}: fibermap has {len(mine)} fibers for petal "
                f"{self.spectrograph}, the PSF has {self.psf.nfiber}"
            )
        return mine

    def fibers_of_type(self, objtype: str) -> np.ndarray:
        objtypes = np.char.strip(np.asarray(self.fibers["OBJTYPE"]).astype(str))
        good = np.asarray(self.fibers["FIBERSTATUS"]) == 0
        return np.nonzero((objtypes == objtype) & good)[0]

    @cached_property
    def sky(self) -> SkyModel:
        flux, variance = self.flatfielded
        return subtract_sky(flux, variance, self.wave, self.fibers_of_type("SKY"))

    def fnu(self, fibers: np.ndarray, rows: slice = slice(None)) -> np.ndarray:
        """Sky-subtracted f_ν of the given fibers at the given rows, nanomaggies."""
        if not self.info.exptime > 0:
            raise ValueError(f"{self.camera}: EXPTIME {self.info.exptime} cannot be calibrated")
        wave = self.wave[fibers, rows]
        per_nmgy = self.throughput.electrons_per_angstrom(wave, exptime=self.info.exptime)
        return self.sky.residual[fibers, rows] / per_nmgy
