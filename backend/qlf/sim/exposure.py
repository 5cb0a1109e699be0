"""Write one simulated exposure: raw file, fibermap, truth and (once) the calibration.

Cameras are rendered and Rice-compressed in worker processes; each returns the bytes of its
compressed HDU, and the file is assembled in camera order from the primary and ``SPEC`` HDUs
and those blocks (a FITS file is a concatenation of HDUs), then renamed into place. The
fibermap and truth are written first, so when the raw file appears its companions exist.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import io
import os
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
from astropy.io import fits
from tqdm import tqdm

from qlf.quicklook.io.atomic import atomic_path, write_bytes_atomic, write_json_atomic
from qlf.quicklook.io.fibermap import fibermap_path, write_fibermap
from qlf.sim.calibration import ensure_calibration
from qlf.sim.compress import rice_image_hdu_bytes
from qlf.sim.defects import Defect, parse_defect
from qlf.sim.instrument import INSTRUMENT_SEED, camera_model
from qlf.sim.observation import ExposureInfo, camera_header, exposure_info, spec_header
from qlf.sim.profiles import Profile, camera_names, get_profile
from qlf.sim.render import CameraJob, render_camera
from qlf.sim.targets import make_tile

__all__ = [
    "ExposureResult",
    "camera_pool",
    "default_workers",
    "exposure_dir",
    "raw_path",
    "simulate_exposure",
    "truth_path",
]

#: Above this many raw pixels in total, cameras are rendered in a process pool.
_POOL_MIN_PIXELS = 8_000_000
_PRIMARY = fits.PrimaryHDU()


@dataclass(frozen=True)
class ExposureResult:
    """Where an exposure was written, its wall time and each camera's CPU seconds."""

    info: ExposureInfo
    raw: Path
    truth: Path
    fibermap: Path | None
    calib_dir: Path
    seconds: float
    camera_seconds: dict[str, float] = field(default_factory=dict)


def exposure_dir(out: Path | str, night: int, expid: int) -> Path:
    """``{out}/{NIGHT}/{EXPID:08d}``."""
    return Path(out) / str(int(night)) / f"{int(expid):08d}"


def raw_path(out: Path | str, night: int, expid: int) -> Path:
    """``{out}/{NIGHT}/{EXPID:08d}/desi-{EXPID:08d}.fits.fz``."""
    return exposure_dir(out, night, expid) / f"desi-{int(expid):08d}.fits.fz"


def truth_path(out: Path | str, night: int, expid: int) -> Path:
    """``{out}/{NIGHT}/{EXPID:08d}/truth-{EXPID:08d}.json``."""
    return exposure_dir(out, night, expid) / f"truth-{int(expid):08d}.json"


def _hdu_bytes(hdu: fits.hdu.base.ExtensionHDU) -> bytes:
    """The bytes of one extension HDU as it sits inside a file (header + padded data)."""
    buffer = io.BytesIO()
    fits.HDUList([_PRIMARY, hdu]).writeto(buffer)
    return buffer.getvalue()[len(_primary_bytes()) :]


def _primary_bytes() -> bytes:
    buffer = io.BytesIO()
    fits.HDUList([_PRIMARY]).writeto(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class _CameraOutput:
    """What a worker sends back: the compressed HDU (None if missing) and the truth."""

    camera: str
    hdu: bytes | None
    truth: dict[str, Any]
    truncate: float | None
    cpu_seconds: float


def _camera_task(job: CameraJob, night: int) -> _CameraOutput:
    """Worker: render one camera and compress it."""
    start = time.process_time()
    rendered = render_camera(job)
    if rendered.pixels is None:
        return _CameraOutput(job.camera, None, rendered.truth, None, time.process_time() - start)
    model = camera_model(
        job.profile, job.camera, seed=job.instrument_seed, efficiency=job.efficiency
    )
    header = camera_header(
        model.profile,
        job.camera,
        expid=job.expid,
        night=night,
        gains=[a.gain for a in model.amps],
        saturation=[a.saturation for a in model.amps],
        readnoise=[a.readnoise for a in model.amps],
    )
    data = rice_image_hdu_bytes(rendered.pixels, header, job.camera.upper())
    return _CameraOutput(
        job.camera, data, rendered.truth, rendered.truncate, time.process_time() - start
    )


def default_workers(profile: Profile | str, cameras: Iterable[str]) -> int:
    """Rendering processes for these cameras: 1 for small exposures, else min(2, cores)."""
    profile = get_profile(profile)
    pixels = sum(int(np.prod(profile.arms[c[0]].raw_shape)) for c in cameras)
    return min(2, os.cpu_count() or 1) if pixels > _POOL_MIN_PIXELS else 1


def camera_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` spawned processes, started now (None for ``workers`` ≤ 1).

    The workers import numpy, scipy and astropy while the caller prepares the exposure; a
    night reuses one pool for all its exposures.
    """
    if workers <= 1:
        return None
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=_keep_freed_memory
    )
    for _ in range(workers):
        pool.submit(_ready)
    return pool


def _ready() -> bool:
    return True


def _keep_freed_memory() -> None:
    """Worker initializer: let glibc keep freed memory instead of returning it to the kernel.

    A camera allocates and frees tens of arrays of 8–32 MB; by default glibc unmaps or trims
    them, and the next camera faults in fresh zeroed pages again — a fifth of a worker's time
    spent in the kernel. Raising the mmap and trim thresholds keeps them in the heap. A no-op
    where glibc is absent.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 * 1024 * 1024)  # M_MMAP_THRESHOLD (its maximum)
        libc.mallopt(-1, 512 * 1024 * 1024)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass


def _run_jobs(jobs: list[CameraJob], night: int, *, pool, progress: bool, label: str):
    results = {}
    bar = tqdm(total=len(jobs), desc=label, unit="camera", disable=not progress, leave=False)
    try:
        if pool is None:
            for job in jobs:
                results[job.camera] = _camera_task(job, night)
                bar.update()
        else:
            futures = [pool.submit(_camera_task, job, night) for job in jobs]
            for future in as_completed(futures):
                result = future.result()
                results[result.camera] = result
                bar.update()
    finally:
        bar.close()
    return [results[job.camera] for job in jobs]


def _coerce_defects(
    defects: Iterable[Defect | str], cameras: list[str], nfiber: int
) -> list[Defect]:
    out = [d if isinstance(d, Defect) else parse_defect(d) for d in defects]
    for defect in out:
        fibers = defect.params.get("fibers", []) if defect.kind == "dead_fibers" else []
        bad = [f for f in fibers if not 0 <= int(f) < nfiber]
        if bad:
            raise ValueError(f"dead_fibers:{defect.camera}: fibers {bad} outside 0-{nfiber - 1}")
        if defect.camera not in cameras:
            raise ValueError(
                f"defect {defect.kind}: camera {defect.camera} is not simulated "
                f"(cameras: {', '.join(cameras)})"
            )
    if sum(d.kind == "truncated" for d in out) > 1:
        raise ValueError("only one 'truncated' defect per exposure")
    return out


def simulate_exposure(
    out: Path | str,
    *,
    expid: int,
    night: int,
    flavor: str = "science",
    profile: Profile | str = "mini",
    program: str | None = None,
    exptime: float | None = None,
    cameras: list[str] | None = None,
    seed: int = 0,
    instrument_seed: int = INSTRUMENT_SEED,
    calib: Path | str | None = None,
    defects: Iterable[Defect | str] = (),
    tileid: int | None = None,
    start: dt.datetime | None = None,
    workers: int | None = None,
    progress: bool | None = None,
    pool: ProcessPoolExecutor | None = None,
    efficiency: float = 1.0,
    calib_medium: str = "vac",
    throughput_file: bool = False,
) -> ExposureResult:
    """Simulate one exposure into ``out`` and return where it went.

    Writes ``{out}/{NIGHT}/{EXPID:08d}/desi-{EXPID:08d}.fits.fz``, ``truth-{EXPID:08d}.json``,
    for science ``fibermap-{EXPID:08d}.fits``, and the calibration of the cameras under
    ``calib`` (default ``{out}/calib``) if it is not there yet.

    Parameters
    ----------
    cameras
        Camera names (default: every camera of the profile).
    seed
        Exposure seed: pixel noise, cosmics, shifts and targets derive from (seed, expid,
        camera). ``instrument_seed`` fixes the static instrument (calibration).
    defects
        :class:`~qlf.sim.defects.Defect` objects or ``KIND:CAMERA[:AMP][:VALUE]`` strings.
    workers
        Processes rendering cameras (default: 1 for small exposures, else min(2, cores)).
    progress
        Show a progress bar (default: when stderr is a terminal).
    pool
        A :func:`camera_pool` to render in (overrides ``workers``; left running).
    efficiency
        The instrument's throughput relative to the built-in model (1.15: 15 % more efficient).
    calib_medium
        Wavelength medium of the PSF written (``'vac'``, as DESI, or ``'air'``).
    throughput_file
        Also write each camera's true throughput as ``throughput-{camera}.fits``.
    """
    began = time.perf_counter()
    profile = get_profile(profile)
    cameras = list(cameras) if cameras else camera_names(profile)
    known = set(camera_names(profile))
    unknown = [c for c in cameras if c not in known]
    if unknown:
        raise ValueError(f"camera(s) {', '.join(unknown)} not in profile {profile.name!r}")
    cameras = [c for c in camera_names(profile) if c in set(cameras)]
    defect_list = _coerce_defects(defects, cameras, profile.nfiber)
    info = exposure_info(
        expid=expid, night=night, flavor=flavor, program=program, exptime=exptime,
        tileid=tileid, start=start, seed=seed,
    )  # fmt: skip
    calib_dir = Path(calib) if calib is not None else Path(out) / "calib"
    ensure_calibration(
        calib_dir, profile, cameras, seed=instrument_seed, efficiency=efficiency,
        medium=calib_medium, throughput_file=throughput_file,
    )  # fmt: skip
    own_pool = None
    if pool is None:
        if workers is None:
            workers = default_workers(profile, cameras)
        pool = own_pool = camera_pool(workers)
    try:
        return _simulate(
            out, info, profile, cameras, defect_list, seed=seed, instrument_seed=instrument_seed,
            efficiency=efficiency, calib_dir=calib_dir, pool=pool,
            progress=sys.stderr.isatty() if progress is None else progress,
            began=began,
        )  # fmt: skip
    finally:
        if own_pool is not None:
            own_pool.shutdown()


def _simulate(
    out, info, profile, cameras, defect_list, *, seed, instrument_seed, efficiency, calib_dir,
    pool, progress, began,
) -> ExposureResult:  # fmt: skip
    """Write the fibermap, render the cameras in ``pool``, then the truth and the raw file."""
    raw = raw_path(out, info.night, info.expid)
    raw.parent.mkdir(parents=True, exist_ok=True)
    tile = None
    fibermap_file = None
    if info.flavor == "science":
        tile = make_tile(profile, tileid=info.tileid, program=info.program, seed=seed)
        info = _with_tile(info, tile.ra, tile.dec, seed)
        fibermap_file = fibermap_path(out, info.night, info.expid)
        with atomic_path(fibermap_file) as tmp:
            write_fibermap(tmp, tile.fibermap, tile.header)

    jobs = [
        CameraJob(
            profile=profile.name,
            camera=camera,
            expid=info.expid,
            night=info.night,
            flavor=info.flavor,
            program=info.program,
            exptime=info.exptime,
            seed=seed,
            instrument_seed=instrument_seed,
            efficiency=efficiency,
            targets=tile.petal(int(camera[1]), profile.nfiber) if tile else None,
            defects=tuple(d for d in defect_list if d.camera == camera),
        )
        for camera in cameras
    ]
    results = _run_jobs(jobs, info.night, pool=pool, progress=progress,
                        label=f"expid {info.expid}")  # fmt: skip

    # Cameras in instrument order; a truncated camera goes last and the file is cut inside it.
    results.sort(key=lambda r: r.truncate is not None)
    blocks = [_primary_bytes(), _hdu_bytes(fits.ImageHDU(header=spec_header(info), name="SPEC"))]
    truncated = None
    for result in results:
        if result.hdu is None:
            continue
        if result.truncate is not None:
            blocks.append(result.hdu[: max(1, int(len(result.hdu) * result.truncate))])
            truncated = result.camera
        else:
            blocks.append(result.hdu)

    truth = _truth_document(info, profile, seed, instrument_seed, results, defect_list,
                            raw=raw, fibermap=fibermap_file, calib_dir=calib_dir,
                            truncated=truncated)  # fmt: skip
    truth_file = write_json_atomic(truth_path(out, info.night, info.expid), truth)
    write_bytes_atomic(raw, blocks)
    return ExposureResult(
        info=info,
        raw=raw,
        truth=truth_file,
        fibermap=fibermap_file,
        calib_dir=calib_dir,
        seconds=time.perf_counter() - began,
        camera_seconds={r.camera: r.cpu_seconds for r in results},
    )


def _with_tile(info: ExposureInfo, ra: float, dec: float, seed: int) -> ExposureInfo:
    """The exposure pointed at its tile's centre (the tile defines TILERA/TILEDEC)."""
    return exposure_info(
        expid=info.expid, night=info.night, flavor=info.flavor, program=info.program,
        exptime=info.exptime, tileid=info.tileid, tilera=ra, tiledec=dec,
        start=dt.datetime.strptime(info.date_obs, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=dt.UTC),
        seed=seed,
    )  # fmt: skip


def _truth_document(
    info, profile, seed, instrument_seed, results, defects, *, raw, fibermap, calib_dir, truncated
) -> dict[str, Any]:
    cameras = {}
    records = []
    for result in results:
        truth = dict(result.truth)
        records += truth.pop("DEFECTS")
        if result.camera == truncated:
            truth["TRUNCATED"] = True
        cameras[result.camera] = truth
    order = {name: i for i, name in enumerate(camera_names(profile))}
    cameras = dict(sorted(cameras.items(), key=lambda kv: order[kv[0]]))
    records.sort(key=lambda d: (order[d["camera"]], d["kind"]))
    return {
        "EXPID": info.expid,
        "NIGHT": info.night,
        "FLAVOR": info.flavor,
        "PROGRAM": info.program,
        "EXPTIME": info.exptime,
        "TILEID": info.tileid,
        "DATE-OBS": info.date_obs,
        "MJD-OBS": info.mjd,
        "AIRMASS": info.airmass,
        "SEEING": info.seeing,
        "SKYLEVEL": info.skylevel,
        "PROFILE": profile.name,
        "SEED": int(seed),
        "INSTRUMENT_SEED": int(instrument_seed),
        "RAW_FILE": raw.name,
        "FIBERMAP_FILE": fibermap.name if fibermap else None,
        "CALIB_DIR": str(calib_dir),
        "TRUNCATED_CAMERA": truncated,
        "UNITS": _UNITS,
        "cameras": cameras,
        "defects": records,
    }


_UNITS = {
    "BIAS_AMP": "ADU (overscan level, per amp A B C D)",
    "NOISE_AMP": "electrons (read noise)",
    "GAIN_AMP": "e-/ADU",
    "SATURLEV_AMP": "ADU",
    "DARK_CURRENT": "electrons / pixel / hour",
    "GLOW_AMP": "electrons / pixel (hot_amp)",
    "COSMICS": "tracks per amp (EXPTIME + readout)",
    "COSMICS_RATE": "tracks per amp per minute of EXPTIME",
    "XYSHIFTS": "pixels, exposure traces − calibration traces (dx columns, dy rows)",
    "XSIGMA": "pixels (median over fibers)",
    "WSIGMA": "pixels",
    "SKYCONT": "electrons per row per fiber of throughput 1 (mean of the two windows)",
    "PEAKCOUNT": "electrons per second, sum of the arm's sky lines, fiber of throughput 1",
    "SNR_MODEL": "a: e-/row/s per nanomaggy; b: e-/row/s background; at the band centre",
    "SKY_MAG": "AB mag / arcsec², band of the camera, continuum only",
}
