"""Fibermap files (DESIGN.md 4.2): which target sits behind each fiber.

``fibermap-{EXPID:08d}.fits`` holds a binary table HDU ``FIBERMAP``, one row per fiber of
every spectrograph, and the tile keywords ``TILEID``, ``TELRA``, ``TELDEC`` in its header.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from astropy.io import fits
from astropy.table import Table

__all__ = [
    "FIBERMAP_COLUMNS",
    "FIBERMAP_HEADER",
    "FibermapError",
    "fibermap_path",
    "read_fibermap",
    "write_fibermap",
]

#: Required columns and the numpy kind each must have ('i' integer, 'f' float, 'U' text).
FIBERMAP_COLUMNS: dict[str, str] = {
    "FIBER": "i",
    "PETAL_LOC": "i",
    "OBJTYPE": "U",
    "TARGET_CLASS": "U",
    "TARGET_RA": "f",
    "TARGET_DEC": "f",
    "FLUX_G": "f",
    "FLUX_R": "f",
    "FLUX_Z": "f",
    "FIBERSTATUS": "i",
}
#: Header keywords of the FIBERMAP HDU.
FIBERMAP_HEADER = ("TILEID", "TELRA", "TELDEC")

_ACCEPTED_KINDS = {"i": ("i", "u"), "f": ("f", "i", "u"), "U": ("U", "S")}

#: On-disk dtypes written by :func:`write_fibermap`.
_WRITE_DTYPES = {
    "FIBER": np.int32,
    "PETAL_LOC": np.int16,
    "OBJTYPE": "U3",
    "TARGET_CLASS": "U5",
    "TARGET_RA": np.float64,
    "TARGET_DEC": np.float64,
    "FLUX_G": np.float32,
    "FLUX_R": np.float32,
    "FLUX_Z": np.float32,
    "FIBERSTATUS": np.int32,
}


class FibermapError(ValueError):
    """A fibermap that cannot be used; names the file and the offending field."""

    def __init__(self, path: Path | str, message: str, *, field: str | None = None):
        self.path = str(path)
        self.field = field
        where = f"{self.path} [{field}]" if field else self.path
        super().__init__(f"{where}: {message}")


def fibermap_path(data_dir: Path | str, night: int, expid: int) -> Path:
    """``{data_dir}/{NIGHT}/{EXPID:08d}/fibermap-{EXPID:08d}.fits``."""
    return (
        Path(data_dir) / str(int(night)) / f"{int(expid):08d}" / f"fibermap-{int(expid):08d}.fits"
    )


def read_fibermap(path: Path | str) -> Table:
    """Read and validate a fibermap.

    Returns
    -------
    astropy.table.Table
        One row per fiber with the columns of :data:`FIBERMAP_COLUMNS` (text columns as
        ``str``); ``meta`` holds ``TILEID``, ``TELRA``, ``TELDEC`` when present.

    Raises
    ------
    FibermapError
        Missing file, no ``FIBERMAP`` HDU, a missing or mistyped column, duplicate fibers.
    """
    path = Path(path)
    if not path.exists():
        raise FibermapError(path, "no such file")
    try:
        # Warnings (e.g. truncation) are recorded, not raised inside fits.open, which would
        # leave the file handle open.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with fits.open(path, memmap=False) as hdul:
                if "FIBERMAP" not in hdul:
                    raise FibermapError(path, "no FIBERMAP HDU", field="FIBERMAP")
                hdu = hdul["FIBERMAP"]
                if not isinstance(hdu, fits.BinTableHDU):
                    raise FibermapError(path, "FIBERMAP is not a binary table", field="FIBERMAP")
                table = Table.read(hdu, character_as_bytes=False)
                header = hdu.header
    except FibermapError:
        raise
    except (OSError, ValueError, TypeError) as exc:
        raise FibermapError(path, f"not a readable FITS table ({exc})") from exc
    if caught:
        raise FibermapError(path, f"not a readable FITS table ({caught[0].message})")

    for name, kind in FIBERMAP_COLUMNS.items():
        if name not in table.colnames:
            raise FibermapError(path, "missing column", field=name)
        if table[name].dtype.kind not in _ACCEPTED_KINDS[kind]:
            raise FibermapError(
                path, f"column has dtype {table[name].dtype}, expected {kind!r}", field=name
            )
    if len(np.unique(table["FIBER"])) != len(table):
        raise FibermapError(path, "duplicate fiber numbers", field="FIBER")
    for key in FIBERMAP_HEADER:
        if key in header:
            table.meta[key] = header[key]
    return table


def write_fibermap(path: Path | str, table: Table, header: dict | None = None) -> Path:
    """Write ``table`` as the ``FIBERMAP`` HDU of ``path`` (overwriting it).

    ``header`` supplies ``TILEID``, ``TELRA``, ``TELDEC`` (and any other keywords); values
    already in ``table.meta`` are used for keys it lacks.
    """
    missing = [name for name in FIBERMAP_COLUMNS if name not in table.colnames]
    if missing:
        raise ValueError(f"fibermap table lacks column(s) {', '.join(missing)}")
    out = Table()
    for name in table.colnames:
        dtype = _WRITE_DTYPES.get(name)
        out[name] = np.asarray(table[name], dtype=dtype) if dtype else table[name]
    hdu = fits.BinTableHDU(out, name="FIBERMAP")
    keywords = {k: v for k, v in table.meta.items() if k in FIBERMAP_HEADER}
    keywords.update(header or {})
    for key, value in keywords.items():
        hdu.header[key] = value
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(path, overwrite=True)
    return Path(path)
