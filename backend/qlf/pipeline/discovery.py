"""Finding complete raw exposures in the data directory (DESIGN.md 4.1).

A file is complete when it has its final name (writers write a temporary name and rename) and

- its FITS structure is whole (the headers' sizes add up to exactly the file's size and it holds
  at least one camera HDU) and it has not been modified for ``min(settle_s, 0.5)`` s: a renamed
  file is accepted at first sight, so discovery costs about one poll rather than ``settle_s``;
  the short quiet time guards against a writer paused between two HDUs; or
- its size and mtime have not changed for ``settle_s``, or its mtime is older than that (the
  fallback for writers that write in place). This includes a 0-byte file: it is reported (and
  refused as empty, with an alert) rather than ignored forever.

Dot names and other temporary names never match the pattern. A file refused as unreadable is
remembered with its size and mtime, in ``var/`` (``rejected-raw.json``) so that a restart does
not report it again; it is retried when it changes.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from astropy.io import fits

from qlf.quicklook.io.atomic import write_text_atomic
from qlf.quicklook.io.fits_layout import BLOCK, CARD, data_bytes, hdu_layout, padded, read_header

__all__ = [
    "RAW_NAME",
    "Discovery",
    "RawFile",
    "RawSummary",
    "calibrated_cameras",
    "cameras_to_run",
    "fits_complete",
    "parse_raw_path",
    "raw_summary",
]

RAW_NAME = re.compile(r"^desi-(\d{8})\.fits\.fz$")
_NIGHT = re.compile(r"^\d{8}$")
_CAMERA_EXT = re.compile(r"^'([BRZ]\d)\s*'$")
_CAMERA = re.compile(r"^[brz]\d$")
_CAMERA_NAME = re.compile(r"^[BRZ]\d$")
_EXTNAME_CARD = re.compile(r"^EXTNAME\s*=\s*'\s*([A-Za-z0-9]+)\s*'")
log = logging.getLogger("qlf.pipeline")


@dataclass(frozen=True, order=True)
class RawFile:
    night: int
    expid: int
    path: Path
    mtime: float


def parse_raw_path(path: Path) -> tuple[int, int] | None:
    """(night, expid) of ``{NIGHT}/{EXPID:08d}/desi-{EXPID:08d}.fits.fz``, else None."""
    match = RAW_NAME.match(path.name)
    if not match or path.parent.name != match.group(1) or not _NIGHT.match(path.parent.parent.name):
        return None
    return int(path.parent.parent.name), int(match.group(1))


class Discovery:
    """Polls ``data_dir`` and reports each complete exposure once per instance.

    ``known`` expids (already registered) are never reported; the caller adds to it.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        settle_s: float = 2.0,
        known: set[int] | None = None,
        rejections: Path | None = None,
    ):
        self.data_dir = Path(data_dir)
        self.settle_s = settle_s
        self.known: set[int] = set(known or ())
        self._seen: dict[Path, tuple[int, int, float]] = {}  # size, mtime_ns, first seen
        #: unreadable files (size, mtime_ns): retried if they change; kept in ``rejections``
        self.rejections = rejections
        self._rejected: dict[Path, tuple[int, int]] = _load_rejections(rejections)
        #: wall time at which a file seen incomplete by the last scan may become complete
        self.next_due: float | None = None

    def reject(self, raw: RawFile) -> None:
        """Do not report ``raw`` again unless the file changes (e.g. it is rewritten)."""
        try:
            stat = raw.path.stat()
        except FileNotFoundError:
            return
        self._rejected[raw.path] = (stat.st_size, stat.st_mtime_ns)
        if self.rejections is not None:
            _save_rejections(self.rejections, self._rejected)

    def scan(self, now: float | None = None) -> list[RawFile]:
        """Complete, not yet known exposures, in (night, expid) order."""
        now = time.time() if now is None else now
        found: list[RawFile] = []
        self.next_due = None
        if not self.data_dir.is_dir():
            return found
        for path in self.data_dir.glob("*/*/desi-*.fits.fz"):
            ident = parse_raw_path(path)
            if ident is None or ident[1] in self.known:
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:  # renamed or removed between glob and stat
                continue
            if self._rejected.get(path) == (stat.st_size, stat.st_mtime_ns):
                continue
            due = self._due(path, stat.st_size, stat.st_mtime_ns, now)
            if due is not None and due <= now:
                found.append(RawFile(ident[0], ident[1], path, stat.st_mtime))
                self._seen.pop(path, None)
            elif due is not None:
                self.next_due = due if self.next_due is None else min(self.next_due, due)
        return sorted(found)

    def _due(self, path: Path, size: int, mtime_ns: int, now: float) -> float | None:
        """When the file counts as complete if it does not change (None: not foreseeable)."""
        mtime = mtime_ns / 1e9
        if now - mtime >= self.settle_s:
            return mtime + self.settle_s
        if fits_complete(path, size):
            return mtime + min(self.settle_s, 0.5)
        previous = self._seen.get(path)
        if previous is None or previous[:2] != (size, mtime_ns):
            self._seen[path] = (size, mtime_ns, now)
            return now + self.settle_s
        return previous[2] + self.settle_s


def fits_complete(path: Path, size: int | None = None) -> bool:
    """True if the FITS headers of ``path`` account for exactly its ``size`` bytes.

    Reads only the header blocks (a few kB per HDU). A file still being written in place is
    shorter than its headers promise; a file with junk after the last HDU is not accepted, and
    neither is one without any camera HDU (a writer that has only written the SPEC header).
    """
    try:
        with open(path, "rb") as handle:
            size = size if size is not None else handle.seek(0, 2)
            offset, cameras = 0, 0
            while offset < size:
                header = read_header(handle, offset)
                if header is None:
                    return False
                length, cards, _ = header
                cameras += bool(_CAMERA_EXT.match(cards.get("EXTNAME", "")))
                offset += length + padded(data_bytes(cards))
            return offset == size and cameras > 0
    except (OSError, ValueError):
        return False


class RawSummary(NamedTuple):
    header: fits.Header
    cameras: list[str]
    #: why cameras may be missing when the file ends inside a header whose camera is unknown
    cut: str | None = None


def raw_summary(path: Path) -> RawSummary:
    """The global header and the cameras of a raw file, from its headers alone.

    Registering an exposure needs only these; walking the header blocks takes milliseconds where
    opening every HDU with astropy takes a fifth of a second for 30 cameras. A file cut short
    still lists the cameras whose headers it holds, and the camera whose header it ends in (its
    job then fails as truncated; the whole cameras are processed); if that header is cut before
    its EXTNAME, ``cut`` says where the file ends. Raises ValueError naming the
    file when it is empty, not FITS, has no SPEC keywords or no camera HDU at all.
    """
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            if size == 0:
                raise ValueError("empty file (0 bytes)")
            hdus, note = hdu_layout(handle, size)
            cut = _camera_cut_in_header(handle, hdus, size)
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"{path}: not a readable raw exposure ({exc})") from None
    spec_hdu = next((h for h in hdus if h.name.upper() == "SPEC"), None)
    if spec_hdu is None and "EXPID" in hdus[0].cards:
        spec_hdu = hdus[0]
    spec = fits.Header.fromstring(spec_hdu.header_text) if spec_hdu else None
    missing = [k for k in ("EXPID", "NIGHT", "FLAVOR") if spec is None or k not in spec]
    if missing:
        raise ValueError(f"{path}: SPEC header lacks {', '.join(missing)}")
    cameras = [h.name.lower() for h in hdus if _CAMERA_NAME.match(h.name.upper())] + cut
    if not cameras:
        raise ValueError(f"{path}: no camera HDU (B0 ... Z9) in the file")
    unnamed = note if note and not cut and hdus[-1].data_end <= size else None
    return RawSummary(spec, sorted(set(cameras)), f"{path}: {unnamed}" if unnamed else None)


def calibrated_cameras(calib_dir: Path | str | None) -> set[str]:
    """The cameras the instrument has: those with a folder in the calibration directory."""
    if not calib_dir or not Path(calib_dir).is_dir():
        return set()
    return {p.name for p in Path(calib_dir).iterdir() if p.is_dir() and _CAMERA.match(p.name)}


def cameras_to_run(present: list[str], config) -> tuple[str, ...]:
    """The selected cameras (``config.wants``) that are in the file or that the instrument has
    (a calibration folder): a camera missing from the file is run, to be graded ALARM."""
    expected = set(present) | calibrated_cameras(getattr(config, "calib_dir", None))
    return tuple(sorted(c for c in expected if config.wants(c)))


def _camera_cut_in_header(handle, hdus, size: int) -> list[str]:
    """``[camera]`` if the file ends inside the header of a camera HDU, else ``[]``."""
    end = hdus[-1].padded_end if hdus else 0
    if not hdus or hdus[-1].data_end > size or end >= size:
        return []
    handle.seek(end)
    partial = handle.read(min(size - end, BLOCK))
    for start in range(0, len(partial) - CARD + 1, CARD):
        match = _EXTNAME_CARD.match(partial[start : start + CARD].decode("ascii", "replace"))
        if match:
            name = match.group(1).upper()
            return [name.lower()] if _CAMERA_NAME.match(name) else []
    return []


def _load_rejections(path: Path | None) -> dict[Path, tuple[int, int]]:
    if path is None:
        return {}
    try:
        entries = json.loads(path.read_text())
        return {Path(name): (int(size), int(mtime)) for name, (size, mtime) in entries.items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError) as exc:  # unreadable: bad files are reported again
        log.warning("discovery: ignoring %s (%s)", path, exc)
        return {}


def _save_rejections(path: Path, rejected: dict[Path, tuple[int, int]]) -> None:
    entries = {str(p): list(v) for p, v in rejected.items() if p.exists()}
    try:
        write_text_atomic(path, json.dumps(entries, indent=0))
    except OSError as exc:  # a full disk: they are reported again after a restart, no more
        log.warning("discovery: cannot record rejected files in %s (%s)", path, exc)
