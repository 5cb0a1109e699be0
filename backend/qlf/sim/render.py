"""Render one camera of one exposure: light → electrons → noisy, biased uint16 raw pixels.

Spectra are laid out on the row grid of the (shifted) calibration traces; each fiber's
electrons per row are spread across columns with a pixel-integrated Gaussian (differences of
the normal CDF over a ±5σ window), emission lines along rows the same way. Then dark current,
cosmic rays, Poisson and read noise (one normal draw per pixel with variance e + rn²), gain,
per-row bias and 16-bit saturation, amp by amp.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.polynomial import legendre
from scipy.special import ndtr

from qlf.quicklook.lines import ARM_RANGES, BANDS, SKY_CONTINUUM_WINDOWS
from qlf.quicklook.psf import TraceSet
from qlf.quicklook.skymodel import fidsnr_per_angstrom, snr_coefficients
from qlf.sim.defects import Defect, apply_defect
from qlf.sim.instrument import INSTRUMENT_SEED, CameraModel, camera_model, camera_rng
from qlf.sim.profiles import AMPS
from qlf.sim.spectra import (
    FLAT_ROW_RATE,
    TargetSpectra,
    arc_lines,
    flat_lamp,
    sky_band_mag,
    sky_continuum,
    sky_lines,
)

__all__ = [
    "COSMIC_RATE",
    "READOUT_S",
    "CameraJob",
    "CameraPlan",
    "RenderedCamera",
    "render_camera",
]

#: Cosmic-ray hits per cm² per minute; CCD pixels are 15 µm.
COSMIC_RATE = 2.5
PIXEL_CM = 15e-4
#: Cosmic rays also land during readout: seconds added to EXPTIME (zeros get only these).
READOUT_S = 30.0
#: Electrons deposited per pixel of a cosmic-ray track.
COSMIC_ELECTRONS = (800.0, 4000.0)
#: Width of the boxcar the pipeline extracts with, pixels (for the S/N model).
BOXCAR_WIDTH = 7
_ADU_MAX = 65535
#: Sub-pixel phases and σ levels tabulated for the cross-dispersion profile.
_NPHASE = 1000
_NSIGMA = 41


@dataclass(frozen=True)
class CameraJob:
    """Everything a worker needs to render one camera (small and picklable)."""

    profile: str
    camera: str
    expid: int
    night: int
    flavor: str
    program: str | None
    exptime: float
    seed: int = 0
    instrument_seed: int = INSTRUMENT_SEED
    efficiency: float = 1.0
    targets: TargetSpectra | None = None
    defects: tuple[Defect, ...] = ()


@dataclass
class CameraPlan:
    """The exposure-specific state of a camera, which defects modify before rendering."""

    bias: np.ndarray
    readnoise: np.ndarray
    gain: np.ndarray
    dark_current: np.ndarray
    glow: np.ndarray
    nfiber: int
    default_blob_radius: float
    dx: float = 0.0
    dy: float = 0.0
    psf_factor: float = 1.0
    #: PSF broadening of some fibers (fiber → factor) and of the light on some amps (amp → factor)
    psf_fibers: dict[int, float] = field(default_factory=dict)
    psf_amps: dict[str, float] = field(default_factory=dict)
    #: rms (ADU) of an extra wave along the rows of each amp's bias
    bias_pattern: np.ndarray = field(default_factory=lambda: np.zeros(4))
    #: ADU added to each amp's data section only (a data bias unlike the overscan's)
    data_offset: np.ndarray = field(default_factory=lambda: np.zeros(4))
    dead_fibers: set[int] = field(default_factory=set)
    dead_amps: set[str] = field(default_factory=set)
    blobs: list[tuple[str, float]] = field(default_factory=list)
    missing: bool = False
    truncate: float | None = None
    defects: list[dict[str, Any]] = field(default_factory=list)
    #: set while digitising: the standard deviation (ADU) of each amp's bias along its rows
    row_std: list[float] = field(default_factory=list)
    #: set while digitising: data pixels more than 5 read noises below the bias, per amp
    low_pixels: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedCamera:
    """A rendered camera: raw pixels (None if the HDU is missing) and its truth record."""

    camera: str
    pixels: np.ndarray | None
    truth: dict[str, Any]
    truncate: float | None = None


def _plan(model: CameraModel, job: CameraJob, rng: np.random.Generator) -> CameraPlan:
    amps = model.amps
    plan = CameraPlan(
        bias=np.array([a.bias for a in amps]) + rng.normal(0.0, 0.3, 4),
        readnoise=np.array([a.readnoise for a in amps]),
        gain=np.array([a.gain for a in amps]),
        dark_current=np.array([a.dark_current for a in amps]),
        glow=np.zeros(4),
        nfiber=model.nfiber,
        default_blob_radius=model.profile.blob_radius,
        dx=float(np.clip(rng.normal(0.0, 0.02), -0.05, 0.05)),
        dy=float(np.clip(rng.normal(0.0, 0.02), -0.05, 0.05)),
    )
    defect_rng = camera_rng(job.seed, job.camera, job.expid, 77)
    for defect in job.defects:
        if defect.camera != job.camera:
            continue
        apply_defect(plan, defect, defect_rng)
    return plan


def render_camera(job: CameraJob) -> RenderedCamera:
    """Render ``job.camera`` of an exposure. Deterministic in (seed, expid, camera).

    Not thread-safe: work arrays are reused from one call to the next in a process.
    """
    model = camera_model(
        job.profile, job.camera, seed=job.instrument_seed, efficiency=job.efficiency
    )
    rng = camera_rng(job.seed, job.camera, job.expid)
    plan = _plan(model, job, rng)
    if plan.missing:
        truth = {"CAMERA": job.camera, "HDU_PRESENT": False, "DEFECTS": plan.defects}
        return RenderedCamera(job.camera, None, truth)

    geom = model.geometry
    nrows, ncols = geom.trimmed_shape
    traces = model.traces.shifted(plan.dx, plan.dy)
    xsigma = model.traces.xsigma * plan.psf_factor
    wsigma = model.wsigma * plan.psf_factor
    local = plan.psf_fibers or plan.psf_amps
    pad = int(np.ceil(5 * xsigma.max() * _max_local_factor(plan))) + 2
    canvas = _scratch("canvas", (nrows, ncols + 2 * pad), np.float32)
    canvas.fill(0.0)
    image = canvas[:, pad : pad + ncols]
    live = np.ones(model.nfiber, dtype=bool)
    live[sorted(plan.dead_fibers)] = False
    extra: dict[str, Any] = {}

    if job.flavor in ("flat", "arc", "science"):
        x, wave = traces.x_at_rows(nrows)
        valid = np.isfinite(wave)
        wave0 = np.where(valid, wave, ARM_RANGES[model.arm][0])
        dwave = _row_dispersion(wave)
        flat = _fiberflat_at(model, np.arange(model.nfiber)[:, None], wave0) * live[:, None]
        rows_e, line_list, extra = _spectra(model, job, traces, wave0, dwave, flat, live)
        scale = _psf_scale(plan, geom, x) if local else None
        for fibers, ycen, electrons in line_list:
            line_sigma = wsigma
            if scale is not None:
                row = np.clip(np.rint(ycen).astype(np.int64), 0, nrows - 1)
                line_sigma = wsigma * scale[fibers, row]
            _add_lines(rows_e, fibers, ycen, electrons, line_sigma)
        rows_e[~valid] = 0.0
        _splat_fibers(canvas, pad, x, rows_e, xsigma if scale is None else xsigma[:, None] * scale)
        if scale is not None:
            extra["XWSIGMA_AMP"] = _xwsigma_amp_truth(geom, x, xsigma, wsigma, scale)

    cosmics = _finish_electrons(image, model, plan, job, rng)
    pixels, saturated, litfrac = _digitize(image, model, plan, rng)
    truth = _truth(model, job, plan, xsigma, wsigma, live, cosmics, saturated)
    truth["LITFRAC_AMP"] = [round(v, 6) for v in litfrac]
    truth.update(extra)
    return RenderedCamera(job.camera, pixels, truth, plan.truncate)


_SCRATCH: dict[tuple, np.ndarray] = {}


def _scratch(name: str, shape: tuple[int, int], dtype) -> np.ndarray:
    """A work array kept for the next camera of the same shape (contents undefined).

    A process renders its cameras one after another; reusing the few 70 MB arrays spares
    the kernel from mapping and zeroing fresh pages for each camera (a quarter of the time).
    """
    key = (name, tuple(shape), np.dtype(dtype).str)
    buffer = _SCRATCH.get(key)
    if buffer is None:
        for old in [k for k in _SCRATCH if k[0] == name]:
            del _SCRATCH[old]
        buffer = _SCRATCH[key] = np.empty(shape, dtype=dtype)
    return buffer


def _row_dispersion(wave: np.ndarray) -> np.ndarray:
    """|dλ/drow| per fiber and row, Å; one-sided differences at the ends of the coverage."""
    fwd = np.full(wave.shape, np.nan)
    fwd[:, :-1] = np.diff(wave, axis=1)
    back = np.full(wave.shape, np.nan)
    back[:, 1:] = fwd[:, :-1]
    both = np.isfinite(fwd) & np.isfinite(back)
    out = np.where(both, 0.5 * (fwd + back), np.where(np.isfinite(fwd), fwd, back))
    return np.abs(np.nan_to_num(out, nan=0.0))


def _fiberflat_at(model: CameraModel, fibers: np.ndarray, wave: np.ndarray) -> np.ndarray:
    """Fiber throughput of ``fibers`` at ``wave`` (broadcast together), linear in λ."""
    grid = model.flat_wave
    j = np.clip(np.searchsorted(grid, wave) - 1, 0, grid.size - 2)
    t = np.clip((wave - grid[j]) / (grid[j + 1] - grid[j]), 0.0, 1.0)
    return model.fiberflat[fibers, j] * (1.0 - t) + model.fiberflat[fibers, j + 1] * t


def _trace_y(traces: TraceSet, fibers: np.ndarray, wave: np.ndarray) -> np.ndarray:
    """Row of fiber ``fibers[k]`` at ``wave[k]`` for every k."""
    u = traces.u(wave)
    basis = legendre.legvander(u, traces.ycoef.shape[1] - 1)
    return np.sum(basis * traces.ycoef[fibers], axis=1)


def _line_list(model, traces, waves, electrons_per_fiber):
    """Lines at ``waves`` in every fiber: (fibers, row centres, electrons), flattened."""
    nfiber = model.nfiber
    fibers = np.repeat(np.arange(nfiber), waves.size)
    wave = np.tile(waves, nfiber)
    return fibers, _trace_y(traces, fibers, wave), electrons_per_fiber.ravel()


def _spectra(model, job, traces, wave, dwave, flat, live):
    """Electrons per row of each fiber (continuum) and its emission lines, plus truth extras."""
    arm = model.arm
    lines = []
    extra: dict[str, Any] = {}
    fibers_all = np.arange(model.nfiber)[:, None]
    if job.flavor == "flat":
        lo, hi = ARM_RANGES[arm]
        nrows = model.geometry.trimmed_shape[0]
        mean_dispersion = (hi - lo) / (nrows - 2 * model.profile.row_margin)
        rate = FLAT_ROW_RATE * job.exptime / mean_dispersion
        rows_e = rate * flat_lamp(wave, arm) * dwave * flat
        extra["FLAT_PEAK_E_PER_ROW"] = float(FLAT_ROW_RATE * job.exptime)
    elif job.flavor == "arc":
        rows_e = np.zeros(wave.shape)
        table = arc_lines(arm)
        ff = _fiberflat_at(model, fibers_all, table[None, :, 0]) * live[:, None]
        lines.append(_line_list(model, traces, table[:, 0], table[None, :, 1] * job.exptime * ff))
        extra["ARC_LINES"] = [float(w) for w in table[:, 0]]
    else:
        program = job.program or "DARK"
        through = model.throughput
        fnu = sky_continuum(wave, program) * through.fiber_area_arcsec2
        if job.targets is not None:
            fnu = fnu + job.targets.continuum(wave)
        rows_e = through.electrons_per_angstrom(wave, exptime=job.exptime, fnu_nmgy=fnu)
        rows_e *= dwave * flat
        table = sky_lines(arm)
        e_unit = through.electrons_per_angstrom(table[:, 0], exptime=job.exptime)
        line_e = table[:, 1] * through.fiber_area_arcsec2 * e_unit
        ff = _fiberflat_at(model, fibers_all, table[None, :, 0]) * live[:, None]
        lines.append(_line_list(model, traces, table[:, 0], line_e[None, :] * ff))
        if job.targets is not None:
            index, lwave, lflux = job.targets.lines()
            lo, hi = ARM_RANGES[arm]
            keep = (lwave > lo) & (lwave < hi)
            index, lwave, lflux = index[keep], lwave[keep], lflux[keep]
            e = through.electrons_per_angstrom(lwave, exptime=job.exptime, fnu_nmgy=lflux)
            e = e * _fiberflat_at(model, index, lwave) * live[index]
            lines.append((index, _trace_y(traces, index, lwave), e))
        extra.update(_sky_truth(model, job, program, table, line_e, wave, dwave))
    return rows_e, lines, extra


def _max_local_factor(plan: CameraPlan) -> float:
    """An upper bound of the local PSF broadening: a fiber's factor times an amp's."""
    return max([1.0, *plan.psf_fibers.values()]) * max([1.0, *plan.psf_amps.values()])


def _psf_scale(plan: CameraPlan, geom, x: np.ndarray) -> np.ndarray:
    """PSF broadening of every fiber at every row (nfiber, nrow) from the local defects: a
    fiber's factor, times an amp's factor where the trace lies on that amp."""
    scale = np.ones(x.shape)
    for fiber, factor in plan.psf_fibers.items():
        scale[fiber] *= factor
    rows = np.arange(x.shape[1])[None, :]
    for amp, factor in plan.psf_amps.items():
        amp_rows, amp_cols = geom.sections(amp)["CCDSEC"]
        on_amp = (rows >= amp_rows.start) & (rows < amp_rows.stop)
        on_amp = on_amp & (x >= amp_cols.start) & (x < amp_cols.stop)
        scale[on_amp] *= factor
    return scale


def _xwsigma_amp_truth(geom, x, xsigma, wsigma, scale) -> dict[str, float]:
    """Median σ across (X_) and along (W_) of the traces on each amp (XWSIGMA_AMP's truth)."""
    rows = np.arange(x.shape[1])[None, :]
    truth = {}
    for amp in AMPS:
        amp_rows, amp_cols = geom.sections(amp)["CCDSEC"]
        on_amp = (rows >= amp_rows.start) & (rows < amp_rows.stop)
        on_amp = on_amp & (x >= amp_cols.start) & (x < amp_cols.stop)
        local = scale[on_amp]
        truth[f"X_{amp}"] = float(np.median((xsigma[:, None] * scale)[on_amp]))
        truth[f"W_{amp}"] = float(np.median(wsigma * local))
    return truth


def _add_lines(rows_e, fibers, ycen, electrons, wsigma) -> None:
    """Add Gaussian lines (σ ``wsigma`` rows, one value or one per line, pixel-integrated) to
    electrons per row."""
    nrows = rows_e.shape[1]
    inside = (ycen > -3 * wsigma) & (ycen < nrows - 1 + 3 * wsigma) & (electrons > 0)
    fibers, ycen, electrons = fibers[inside], ycen[inside], electrons[inside]
    if np.ndim(wsigma):
        wsigma = wsigma[inside]
    half = int(np.ceil(5 * np.max(wsigma, initial=0.0)))
    base = np.floor(ycen).astype(int)
    for k in range(-half, half + 1):
        row = base + k
        weight = ndtr((row + 0.5 - ycen) / wsigma) - ndtr((row - 0.5 - ycen) / wsigma)
        ok = (row >= 0) & (row < nrows)
        np.add.at(rows_e, (fibers[ok], row[ok]), electrons[ok] * weight[ok])


def _profile_table(sigmas: np.ndarray, half: int) -> np.ndarray:
    """Pixel-integrated Gaussian weights by pixel offset, σ level and sub-pixel phase.

    ``table[k, s * _NPHASE + j]`` is the fraction of light of a profile of σ ``sigmas[s]``
    centred at ``x`` that falls in pixel ``floor(x) − half + k`` when
    ``x − floor(x) = (j + 0.5) / _NPHASE``: a difference of the normal CDF at the pixel edges.
    """
    phase = (np.arange(_NPHASE) + 0.5) / _NPHASE
    edges = (np.arange(2 * half + 2) - half - 0.5)[:, None] - phase[None, :]
    cdf = ndtr(edges[:, None, :] / sigmas[None, :, None])
    return np.diff(cdf, axis=0).reshape(2 * half + 1, -1).astype(np.float32)


def _splat_fibers(canvas, pad, x, rows_e, xsigma) -> None:
    """Spread electrons per row across columns: pixel-integrated Gaussians of σ ``xsigma``.

    ``canvas`` is the trimmed image with ``pad`` spare columns on each side, so every ±5σ
    window fits. Weights come from a table (:func:`_profile_table`) at the nearest of
    ``_NPHASE`` sub-pixel phases (position error < 1/(2·_NPHASE) px) and the nearest of
    ``_NSIGMA`` levels spanning the fibers' σ (error < 0.1 % of σ). ``xsigma`` is one σ per
    fiber, or per fiber and row. Entries go row by row so
    the scattered adds walk through memory in order.
    """
    nrows, width = canvas.shape
    ncols = width - 2 * pad
    lit = rows_e.T > 0  # (nrows, nfiber): entries in row-major order
    if not lit.any():
        return
    xsigma = np.asarray(xsigma, dtype=float)
    half = int(np.ceil(5 * float(xsigma.max())))
    if half >= pad:
        raise ValueError(f"PSF σ {xsigma.max():.2f} px too broad for a {pad}-column margin")
    lo, hi = float(xsigma.min()), float(xsigma.max())
    nlevel = _NSIGMA if hi > lo else 1
    level = np.rint((xsigma - lo) / max(hi - lo, 1e-12) * (nlevel - 1)).astype(np.int32)
    table = _profile_table(np.linspace(lo, hi, nlevel), half)

    xs = np.clip(x.T[lit], -1.0, ncols).astype(np.float32)
    signal = rows_e.T[lit].astype(np.float32)
    row = np.broadcast_to(np.arange(nrows, dtype=np.int64)[:, None], lit.shape)[lit]
    # σ per fiber, or per fiber and row (nfiber, nrow) for defects that broaden part of the CCD
    fiber_level = (level.T if level.ndim == 2 else np.broadcast_to(level[None, :], lit.shape))[lit]
    first = np.floor(xs)
    phase = np.minimum(((xs - first) * np.float32(_NPHASE)).astype(np.int32), _NPHASE - 1)
    lookup = fiber_level * _NPHASE + phase
    start = row * width + (first.astype(np.int64) - half + pad)
    target = canvas.reshape(-1)
    for k in range(2 * half + 1):
        np.add.at(target[k:], start, table[k].take(lookup) * signal)


def _finish_electrons(image, model, plan, job, rng) -> list[int]:
    """Dark current, amp glow, saturated blobs, dead amps and cosmic rays, in electrons."""
    geom = model.geometry
    amp_area = geom.ncols_amp * geom.nrows_amp * PIXEL_CM**2
    minutes = (job.exptime + READOUT_S) / 60.0
    counts = []
    for i, amp in enumerate(AMPS):
        rows, cols = geom.sections(amp)["CCDSEC"]
        region = image[rows, cols]
        if amp in plan.dead_amps:
            region[:] = 0.0
            counts.append(0)
            continue
        region += np.float32(plan.dark_current[i] * job.exptime / 3600.0 + plan.glow[i])
        for blob_amp, radius in plan.blobs:
            if blob_amp == amp:
                rr, cc = np.ogrid[: region.shape[0], : region.shape[1]]
                r0, c0 = region.shape[0] / 2.0, region.shape[1] / 2.0
                region[(rr - r0) ** 2 + (cc - c0) ** 2 <= radius**2] += np.float32(2e6)
        ncosmic = int(rng.poisson(COSMIC_RATE * amp_area * minutes))
        _add_cosmics(region, ncosmic, model.profile.max_track, rng)
        counts.append(ncosmic)
    return counts


def _add_cosmics(region, n, max_track, rng) -> None:
    """Short straight tracks of a few pixels, each pixel thousands of electrons."""
    if n == 0:
        return
    length = rng.integers(1, max_track + 1, n)
    angle = rng.uniform(0.0, np.pi, n)
    r0 = rng.uniform(0, region.shape[0], n)
    c0 = rng.uniform(0, region.shape[1], n)
    track = np.repeat(np.arange(n), length)
    step = np.arange(track.size) - np.repeat(np.cumsum(length) - length, length)
    rows = np.clip(np.floor(r0[track] + step * np.sin(angle[track])), 0, region.shape[0] - 1)
    cols = np.clip(np.floor(c0[track] + step * np.cos(angle[track])), 0, region.shape[1] - 1)
    charge = rng.uniform(*COSMIC_ELECTRONS, track.size).astype(np.float32)
    np.add.at(region, (rows.astype(int), cols.astype(int)), charge)


def _bias_rows(nrows: int, data_rows: slice, amplitude: float, rng) -> np.ndarray:
    """Slow row-to-row bias pattern (ADU), zero mean over the data rows."""
    rows = np.arange(nrows)
    pattern = np.zeros(nrows)
    periods = rng.uniform(0.3, 2.0, 3) * nrows
    phases = rng.uniform(0, 2 * np.pi, 3)
    for period, phase in zip(periods, phases, strict=True):
        pattern += np.sin(2 * np.pi * rows / period + phase)
    pattern -= pattern[data_rows].mean()
    peak = np.abs(pattern).max()
    return amplitude * pattern / peak if peak > 0 else pattern


def _pattern_wave(nrows: int, data_rows: slice, rms: float) -> np.ndarray:
    """A wave of ``rms`` ADU along the rows (period 100 rows), zero mean over the data rows."""
    wave = np.sin(2 * np.pi * np.arange(nrows) / 100.0)
    wave -= wave[data_rows].mean()
    return rms * wave / wave[data_rows].std()


def _digitize(image, model, plan, rng) -> tuple[np.ndarray, list[int], list[float]]:
    """Raw ADU, amp by amp: bias(row) + (e + √(e + rn²)·N(0,1)) / gain, clipped to 16 bits.

    Each amp's quadrant gets one normal draw per pixel: scaled by the read noise in the
    prescan and overscan, by √(e + rn²) in the data section. Buffers are reused across amps
    (fresh pages are costly at 17 Mpixel). Also returns, per amp, the saturated data pixels
    and the fraction of data pixels above 5 × read noise (LITFRAC_AMP).
    """
    geom = model.geometry
    raw = _scratch("raw", geom.raw_shape, np.float32)
    qrows, qcols = geom.quadrant("A")
    noise = _scratch("noise", (qrows.stop - qrows.start, qcols.stop - qcols.start), np.float32)
    work = _scratch("work", (geom.nrows_amp, geom.ncols_amp), np.float32)
    saturated = []
    litfrac = []
    row_std = []
    low = []
    for i, amp in enumerate(AMPS):
        qrows, qcols = geom.quadrant(amp)
        secs = geom.sections(amp)
        drows, dcols = secs["DATASEC"]
        dq = (
            slice(drows.start - qrows.start, drows.stop - qrows.start),
            slice(dcols.start - qcols.start, dcols.stop - qcols.start),
        )
        rows_bias = _bias_rows(noise.shape[0], dq[0], model.amps[i].row_structure, rng)
        if plan.bias_pattern[i]:
            rows_bias = rows_bias + _pattern_wave(noise.shape[0], dq[0], plan.bias_pattern[i])
        row_std.append(float(np.std(rows_bias[dq[0]])))
        bias = (plan.bias[i] + rows_bias).astype(np.float32)[:, None]
        rng.standard_normal(dtype=np.float32, out=noise)
        quadrant = raw[qrows, qcols]
        np.multiply(noise, np.float32(plan.readnoise[i] / plan.gain[i]), out=quadrant)
        quadrant += bias
        electrons = image[secs["CCDSEC"]]
        np.maximum(electrons, 0, out=work)
        work += np.float32(plan.readnoise[i] ** 2)
        np.sqrt(work, out=work)
        work *= noise[dq]
        work += electrons
        litfrac.append(float(np.count_nonzero(work > 5 * plan.readnoise[i]) / work.size))
        if plan.data_offset[i]:
            work += np.float32(plan.data_offset[i] * plan.gain[i])
        low.append(int(np.count_nonzero(work < -5 * plan.readnoise[i])))
        work *= np.float32(1.0 / plan.gain[i])
        work += bias[dq[0]]
        quadrant[dq] = work
        saturated.append(int(np.count_nonzero(work >= model.amps[i].saturation)))
    np.rint(raw, out=raw)
    np.clip(raw, 0, _ADU_MAX, out=raw)
    plan.row_std, plan.low_pixels = row_std, low
    return raw.astype(np.uint16), saturated, litfrac


def _sky_truth(model, job, program, table, line_e, wave, dwave) -> dict[str, Any]:
    """Sky and S/N expectations of a science camera, for a fiber of mean throughput."""
    arm = model.arm
    through = model.throughput
    area = through.fiber_area_arcsec2
    centre = np.argmin(np.abs(wave - 0.5 * (wave.min() + wave.max())), axis=1)
    dl_row = float(np.median(dwave[np.arange(model.nfiber), centre]))
    band, lo, hi = BANDS[arm]
    grid = np.arange(lo, hi + 1.0, 1.0)
    sky_band = float(np.mean(sky_continuum(grid, program)))
    inband = (table[:, 0] >= lo) & (table[:, 0] <= hi)
    sky_band_lines = sky_band + float(np.sum(table[inband, 1])) / (hi - lo)
    windows = []
    window_fnu = []
    for wlo, whi in SKY_CONTINUUM_WINDOWS[arm]:
        w = np.arange(wlo, whi + 1.0, 1.0)
        fnu = sky_continuum(w, program)
        e = through.electrons_per_angstrom(w, exptime=job.exptime, fnu_nmgy=fnu * area)
        windows.append(float(np.mean(e)))
        window_fnu.append(float(np.mean(fnu)))
    noise = {
        "readnoise": float(np.sqrt(np.mean([amp.readnoise**2 for amp in model.amps]))),
        "dark_current": float(np.mean([amp.dark_current for amp in model.amps])),
        "throughput": through,
        "boxcar": BOXCAR_WIDTH,
    }
    a, b, wc = snr_coefficients(arm, program, exptime=job.exptime, dispersion=dl_row, **noise)
    fidsnr_a = fidsnr_per_angstrom(arm, program, exptime=job.exptime, dispersion=dl_row, **noise)
    out: dict[str, Any] = {
        "SKY_PROGRAM": program,
        "SKY_MAG_R": sky_band_mag("r", program, with_lines=False),
        "THROUGHPUT": through.source,
        "SKY_MAG": float(22.5 - 2.5 * np.log10(sky_band)),
        "SKY_MAG_WITH_LINES": float(22.5 - 2.5 * np.log10(sky_band_lines)),
        "SKYCONT": float(np.mean(windows) * dl_row),
        "SKYCONT_E_PER_ANGSTROM": windows,
        "SKYCONT_MAG": float(22.5 - 2.5 * np.log10(np.mean(window_fnu))),
        "DISPERSION": dl_row,
        "PEAKCOUNT": float(np.sum(line_e) / job.exptime) if job.exptime > 0 else 0.0,
        "SKY_LINES": [[float(w), float(e)] for w, e in zip(table[:, 0], line_e, strict=True)],
        "SNR_MODEL": {"a": a, "b": b, "band": band, "wave": wc},
        "FIDSNR": float(fidsnr_a * np.sqrt(dl_row)),
        # the same per Å of spectrum instead of per row
        "SNR_MODEL_PER_ANGSTROM": {
            "a": a / dl_row,
            "b": b / dl_row,
            "band": band,
            "wave": wc,
        },
        "FIDSNR_PER_ANGSTROM": fidsnr_a,
    }
    if arm == "r":
        out["SKYRBAND"] = float(22.5 - 2.5 * np.log10(sky_band_lines))
    return out


def _truth(model, job, plan, xsigma, wsigma, live, cosmics, saturated) -> dict[str, Any]:
    minutes = job.exptime / 60.0
    dead = sorted(int(f) for f in plan.dead_fibers)
    return {
        "CAMERA": job.camera,
        "HDU_PRESENT": True,
        "AMPS": list(AMPS),
        "BIAS_AMP": [round(float(v), 3) for v in plan.bias],
        "NOISE_AMP": [round(float(v), 4) for v in plan.readnoise],
        "GAIN_AMP": [float(v) for v in plan.gain],
        "SATURLEV_AMP": [float(a.saturation) for a in model.amps],
        "DARK_CURRENT": [float(v) for v in plan.dark_current],
        "GLOW_AMP": [float(v) for v in plan.glow],
        "DEAD_AMPS": sorted(plan.dead_amps),
        "BIAS_ROW_STRUCTURE": [float(a.row_structure) for a in model.amps],
        # standard deviation (ADU) of the bias along the data rows: structure + bias_pattern
        "BIAS_ROW_STD_AMP": [round(v, 4) for v in plan.row_std],
        "DATA_OFFSET_AMP": [float(v) for v in plan.data_offset],
        "DATA5SIG_AMP": list(plan.low_pixels),
        "COSMICS": cosmics,
        "COSMICS_RATE": [c / minutes for c in cosmics] if minutes > 0 else None,
        "COSMICS_RATE_MODEL": float(
            COSMIC_RATE * model.geometry.ncols_amp * model.geometry.nrows_amp * PIXEL_CM**2
        ),
        "XYSHIFTS": [float(plan.dx), float(plan.dy)],
        "XSIGMA": float(np.median(xsigma)),
        "WSIGMA": float(wsigma),
        "NFIBER": int(model.nfiber),
        "DEAD_FIBERS": dead,
        "NLIVE_FIBERS": int(live.sum()),
        # exposure / calibration throughput: over live fibers, and over all fibers
        "FIBER_THROUGHPUT": 1.0,
        "FIBER_THROUGHPUT_ALL": float(live.mean()),
        "SATURATED": int(sum(saturated)),
        "SATURATED_AMP": saturated,
        "DEFECTS": plan.defects,
    }
