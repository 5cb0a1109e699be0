"""Reader of raw exposures in the DESI raw data model (DESIGN.md 4.1).

Only the requested camera's header is parsed and its HDU decompressed. Geometry comes from the
header sections, so real DESI files, 2-amp cameras, HDUs in any order and extra HDUs are all
read alike. Identity keywords (EXPID, NIGHT, CAMERA of the camera HDU) are not checked here:
the runner compares them with the path and the SPEC header and grades the result
(:mod:`qlf.quicklook.identity`).

>>> with open_raw(path) as raw:
...     frame = raw.read_camera("r3")
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from astropy.io import fits

from qlf.quicklook.io.fits_layout import (
    HduLayout,
    decompress_rice_rows,
    hdu_layout,
    rice_rows_readable,
    single_hdu_file,
)
from qlf.quicklook.io.sections import parse_section

__all__ = ["Amp", "CameraFrame", "MissingCameraError", "RawExposure", "RawFormatError", "open_raw"]

AMP_NAMES = ("A", "B", "C", "D")
_CAMERA = re.compile(r"^[brz]\d$")
GLOBAL_KEYWORDS = ("EXPID", "NIGHT", "FLAVOR")


class RawFormatError(ValueError):
    """A raw file that cannot be read; the message names the file and, if known, the camera."""

    def __init__(self, path: Path | str, message: str, *, camera: str | None = None):
        self.path = str(path)
        self.camera = camera
        where = f"{self.path} [{camera}]" if camera else self.path
        super().__init__(f"{where}: {message}")


class MissingCameraError(RawFormatError):
    """The file has no HDU for the camera (``note``: e.g. the file is truncated before it)."""

    def __init__(self, path: Path | str, camera: str, present: list[str], note: str | None):
        self.present = present
        self.note = note
        shown = ", ".join(present) or "none"
        hint = f"; {note}" if note else ""
        super().__init__(
            path, f"no HDU {camera.upper()} (cameras present: {shown}){hint}", camera=camera
        )


@dataclass(frozen=True)
class Amp:
    """One amplifier's regions of a raw camera image (views, no copies).

    ``data`` and ``overscan`` are raw ADU; ``ccd`` is where ``data`` lands in the trimmed image.
    """

    name: str
    data: np.ndarray
    overscan: np.ndarray
    overscan_rows: np.ndarray | None
    ccd: tuple[slice, slice]
    gain: float | None
    saturation: float | None


@dataclass(frozen=True)
class CameraFrame:
    """One camera of one exposure: its header, raw pixels and amplifier regions."""

    camera: str
    header: fits.Header
    image: np.ndarray
    amps: list[Amp] = field(default_factory=list)

    @property
    def trimmed_shape(self) -> tuple[int, int]:
        """(rows, columns) of the image once prescan and overscan are removed."""
        return (
            max(amp.ccd[0].stop for amp in self.amps),
            max(amp.ccd[1].stop for amp in self.amps),
        )

    @property
    def amp_names(self) -> list[str]:
        return [amp.name for amp in self.amps]


class RawExposure:
    """An open raw exposure file. Use :func:`open_raw`; close it (or use ``with``).

    Opening walks the header blocks (:func:`~qlf.quicklook.io.fits_layout.hdu_layout`): only the
    global header is parsed, and a camera's header and data are read when it is asked for.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self._file = open(self.path, "rb")  # noqa: SIM115 - closed by close()
        except FileNotFoundError:
            raise RawFormatError(path, "no such file") from None
        except OSError as exc:
            raise RawFormatError(path, f"not a readable FITS file ({exc})") from exc
        try:
            self.size = os.fstat(self._file.fileno()).st_size
            hdus, note = hdu_layout(self._file, self.size)
            # a truncated file still opens; only the cameras whose data are cut will fail
            self.notes = [note] if note else []
            self._hdus = {hdu.name.lower(): hdu for hdu in hdus if hdu.name}
            self.header = self._global_header(hdus)
        except (OSError, ValueError) as exc:
            self._file.close()
            if isinstance(exc, RawFormatError):
                raise
            raise RawFormatError(path, f"not a readable FITS file ({exc})") from exc

    def _global_header(self, hdus: list[HduLayout]) -> fits.Header:
        # some files carry the global keywords in the primary header
        hdu = self._hdus.get("spec", hdus[0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # astropy fixes non-standard cards as it parses
            header = hdu.header()
        missing = [key for key in GLOBAL_KEYWORDS if key not in header]
        if missing:
            raise RawFormatError(self.path, f"SPEC header lacks {', '.join(missing)}")
        return header

    def __enter__(self) -> RawExposure:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    @property
    def expid(self) -> int:
        return int(self.header["EXPID"])

    @property
    def night(self) -> int:
        return int(self.header["NIGHT"])

    @property
    def flavor(self) -> str:
        return str(self.header["FLAVOR"]).strip().lower()

    @property
    def program(self) -> str | None:
        program = self.header.get("PROGRAM")
        return str(program).strip().upper() if program else None

    @property
    def exptime(self) -> float:
        return float(self.header.get("EXPTIME", 0.0))

    @property
    def cameras(self) -> list[str]:
        """Cameras present in the file, sorted (b0..b9, r0.., z0..)."""
        return sorted(name for name in self._hdus if _CAMERA.match(name))

    def read_camera(self, camera: str) -> CameraFrame:
        """Decompress one camera and locate its amplifiers."""
        camera = camera.lower()
        if camera not in self._hdus:
            cut = next((n for n in self.notes if n.startswith("truncated")), None)
            if cut:  # it may have been in the part cut away: a failure, not a missing camera
                raise RawFormatError(
                    self.path, f"{cut} (no complete {camera.upper()} HDU)", camera=camera
                )
            raise MissingCameraError(
                self.path, camera, self.cameras, self.notes[0] if self.notes else None
            )
        hdu = self._hdus[camera]
        if hdu.data_end > self.size:
            raise RawFormatError(
                self.path,
                f"truncated file: the camera's data end at byte {hdu.data_end}, "
                f"the file has {self.size}",
                camera=camera,
            )
        try:
            header, image = self._read_hdu(hdu)
        except Exception as exc:  # astropy raises many types on corrupt tiles
            raise RawFormatError(
                self.path, f"pixel data unreadable ({type(exc).__name__}: {exc})", camera=camera
            ) from exc
        if image is None or image.ndim != 2:
            shape = None if image is None else image.shape
            raise RawFormatError(self.path, f"expected a 2-d image, got {shape}", camera=camera)
        amps = [self._amp(header, image, camera, name) for name in _amp_names(header)]
        if not amps:
            raise RawFormatError(self.path, "no DATASECx keywords: no amplifiers", camera=camera)
        return CameraFrame(camera=camera, header=header, image=image, amps=amps)

    def _read_hdu(self, hdu: HduLayout) -> tuple[fits.Header, np.ndarray | None]:
        """The header and pixels of one HDU: Rice row tiles decoded here, others by astropy."""
        self._file.seek(hdu.data_offset)
        data = self._file.read(hdu.data_size)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # astropy fixes non-standard cards as it parses
            header = hdu.header()
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a warning while decoding means corrupt data
            if rice_rows_readable(header):
                return header, decompress_rice_rows(header, data)
            with single_hdu_file(hdu.header_text, data) as hdul:
                return hdul[1].header, hdul[1].data

    def _amp(self, header: fits.Header, image: np.ndarray, camera: str, name: str) -> Amp:
        def section(key: str, *, required: bool = True) -> tuple[slice, slice] | None:
            text = header.get(f"{key}{name}")
            if text is None:
                if required:
                    raise RawFormatError(self.path, f"missing {key}{name}", camera=camera)
                return None
            try:
                rows, cols = parse_section(text)
            except ValueError as exc:
                raise RawFormatError(self.path, f"{key}{name}: {exc}", camera=camera) from None
            if rows.stop > image.shape[0] or cols.stop > image.shape[1]:
                raise RawFormatError(
                    self.path,
                    f"{key}{name} {text} lies outside the {image.shape[1]}x{image.shape[0]} image",
                    camera=camera,
                )
            return rows, cols

        data_sec = section("DATASEC")
        bias_sec = section("BIASSEC")
        orsec = section("ORSEC", required=False)
        ccd = section("CCDSEC", required=False) or _ccdsec_from_layout(header, data_sec, name)
        height = data_sec[0].stop - data_sec[0].start
        width = data_sec[1].stop - data_sec[1].start
        if (ccd[0].stop - ccd[0].start, ccd[1].stop - ccd[1].start) != (height, width):
            raise RawFormatError(
                self.path, f"CCDSEC{name} and DATASEC{name} differ in shape", camera=camera
            )
        return Amp(
            name=name,
            data=image[data_sec],
            overscan=image[bias_sec],
            overscan_rows=image[orsec] if orsec else None,
            ccd=ccd,
            gain=_optional_float(header, f"GAIN{name}"),
            saturation=_optional_float(header, f"SATURLEV{name}"),
        )


def open_raw(path: Path | str) -> RawExposure:
    """Open a raw exposure; raises :class:`RawFormatError` if it is not a readable one."""
    return RawExposure(path)


def _amp_names(header: fits.Header) -> list[str]:
    return [name for name in AMP_NAMES if f"DATASEC{name}" in header]


def _optional_float(header: fits.Header, key: str) -> float | None:
    value = header.get(key)
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _ccdsec_from_layout(
    header: fits.Header, data_sec: tuple[slice, slice], name: str
) -> tuple[slice, slice]:
    """Place an amp without CCDSEC by the standard layout (C D over A B), from its size."""
    height = data_sec[0].stop - data_sec[0].start
    width = data_sec[1].stop - data_sec[1].start
    row0 = height if name in "CD" and "DATASECA" in header else 0
    col0 = width if name in "BD" else 0
    return slice(row0, row0 + height), slice(col0, col0 + width)
